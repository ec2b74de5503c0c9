import { isIP } from 'net';
import { invalid } from './errors';

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/**
 * Names that become a Service name: a DNS-1035 label (the stricter form of a
 * DNS-1123 label that also starts with a letter), at most 63 characters.
 */
export function requireServiceName(prop: string, value: string): string {
  if (value.length > 63 || !DNS_1035_LABEL.test(value)) {
    invalid(prop, value, 'must be a DNS-1123 label that starts with a letter (lower-case letters, digits and "-", at most 63 characters), because it names the Service',
      `rename it, e.g. ${JSON.stringify(suggestLabel(value))}`);
  }
  return value;
}

/** A namespace name: a DNS-1123 label. */
export function requireNamespace(prop: string, value: string): string {
  if (value.length > 63 || !DNS_1123_LABEL.test(value)) {
    invalid(prop, value, 'must be a namespace name: a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)',
      `use the namespace's exact name, e.g. ${JSON.stringify(suggestLabel(value))}`);
  }
  return value;
}

/** A Kubernetes object name such as a ConfigMap, Secret or ServiceAccount: a DNS-1123 subdomain. */
export function requireObjectName(prop: string, value: string): string {
  if (value.length > 253 || !DNS_1123_SUBDOMAIN.test(value)) {
    invalid(prop, value, 'must be a DNS-1123 subdomain (lower-case letters, digits, "-" and ".", at most 253 characters)',
      `use the object's exact name, e.g. ${JSON.stringify(suggestLabel(value))}`);
  }
  return value;
}

/** A label value (app.kubernetes.io/version, part-of...). */
export function requireLabelValue(prop: string, value: string): string {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    invalid(prop, value, 'must be a valid label value (at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit)',
      'shorten it or replace the other characters with "-"');
  }
  return value;
}

/** An annotation or label key: an optional DNS subdomain prefix and a name of at most 63 characters. */
export function requireQualifiedName(prop: string, value: string): string {
  const parts = value.split('/');
  const name = parts[parts.length - 1];
  const prefix = parts.length === 2 ? parts[0] : undefined;
  const ok = parts.length <= 2 && name.length <= 63 && QUALIFIED_NAME_PART.test(name) &&
    (prefix === undefined || (prefix.length <= 253 && DNS_1123_SUBDOMAIN.test(prefix)));
  if (!ok) {
    invalid(prop, value, 'must be a qualified name: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "."',
      'use a key such as "eks.amazonaws.com/role-arn"');
  }
  return value;
}

/** An environment variable name. */
export function requireEnvVarName(prop: string, value: string): string {
  if (!ENV_VAR_NAME.test(value)) {
    invalid(prop, value, 'must be a valid environment variable name (letters, digits, "_", "-" and ".", not starting with a digit)',
      `rename it, e.g. ${JSON.stringify(value.replace(/[^-._a-zA-Z0-9]/g, '_').replace(/^(\d)/, '_$1'))}`);
  }
  return value;
}

/**
 * An image reference pinned by tag or digest. Without one (or with
 * `latest`) a rollback or a node replacement can silently run other code
 * than the rest of the replicas, and ECR's immutable tags cannot protect it.
 */
export function requirePinnedImage(prop: string, value: string): string {
  const [withoutDigest, digest] = value.split('@', 2);
  const lastSegment = withoutDigest.substring(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  const tag = colon >= 0 ? lastSegment.substring(colon + 1) : undefined;
  const repository = colon >= 0 ? withoutDigest.substring(0, withoutDigest.length - tag!.length - 1) : withoutDigest;
  if (!repository || /\s/.test(value)) {
    invalid(prop, value, 'must be an image reference such as "registry/repository:tag"', 'pass the full image reference');
  }
  if (digest !== undefined) {
    if (!IMAGE_DIGEST.test(digest)) {
      invalid(prop, value, 'has a malformed digest', 'use "repository@sha256:<64 hex characters>"');
    }
    return value;
  }
  if (tag === undefined || tag === 'latest' || !IMAGE_TAG.test(tag)) {
    invalid(prop, value, 'must be pinned to a tag other than "latest" or to a digest, so every replica, rollback and replacement runs the same code',
      `use "${repository}:<version>" or "${repository}@sha256:<digest>"`);
  }
  return value;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/** An AWS region name such as "eu-west-1". */
export function requireRegion(prop: string, value: string, fix: string): string {
  if (!REGION.test(value)) invalid(prop, value, 'must be an AWS region such as "eu-central-1"', fix);
  return value;
}

/** An EKS cluster name, known at synth (IAM conditions and resource names are built from it). */
export function requireClusterName(prop: string, value: string): string {
  if (!CLUSTER_NAME.test(value)) {
    invalid(prop, value, 'must be a literal of at most 100 letters, digits, "-" and "_", starting with a letter or digit (IAM conditions are keyed on it)',
      'pass clusterName, e.g. "shop-prod"');
  }
  return value;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/;

/** An email address (an SNS email subscription, which AWS asks the address to confirm). */
export function requireEmail(prop: string, value: string): string {
  if (!EMAIL.test(value)) invalid(prop, value, 'must be an email address', 'use "oncall@example.com"');
  return value;
}

/** An IPv4 or IPv6 CIDR block. */
export function requireCidr(prop: string, value: string): string {
  const [address, bits, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  const maxBits = family === 6 ? 128 : 32;
  if (rest.length > 0 || family === 0 || bits === undefined || !/^\d+$/.test(bits) || Number(bits) > maxBits) {
    invalid(prop, value, 'must be a CIDR block such as "10.0.0.0/16"', 'write the address and the prefix length, e.g. "10.0.0.0/16"');
  }
  return value;
}

function suggestLabel(value: string): string {
  const cleaned = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').substring(0, 63).replace(/-+$/, '');
  return cleaned || 'my-service';
}
