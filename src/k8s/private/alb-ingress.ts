import { regionalHostName } from '../../policy/dns-failover';
import { wholeSeconds } from '../../policy/durations';
import { invalid, requireIntegerInRange } from '../../policy/errors';
import { requireCidr, requireRegion } from '../../policy/names';
import { AlbExposure, LoadBalancerScheme } from '../alb-exposure';

/** The AWS Load Balancer Controller's IngressClass. */
export const ALB_INGRESS_CLASS = 'alb';
/** TLS 1.3 with TLS 1.2 fallback: ELB's recommended policy. */
export const ALB_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
/** With target-type ip the ALB's addresses are in the VPC; these ranges cover any VPC CIDR. */
export const DEFAULT_ALB_SOURCE_CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

const PREFIX = 'alb.ingress.kubernetes.io';
const EXTERNAL_DNS = 'external-dns.alpha.kubernetes.io';
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const GROUP_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUCCESS_CODES = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Everything the Ingress needs, validated against the ALB's own limits. */
export interface RenderedAlbIngress {
  readonly annotations: { [key: string]: string };
  readonly host?: string;
  /** The region's own name for the host, which Route 53 health-checks (with DNS failover). */
  readonly regionalHost?: string;
  readonly path: string;
  readonly sourceCidrs: string[];
  /** The port the ALB health-checks, when it is not the traffic port. */
  readonly healthCheckPort?: number;
}

/** Where the ALB health-checks each pod. */
export interface AlbHealthCheckTarget {
  readonly path: string;
  /** A port other than the traffic port (the readiness probe's own port). */
  readonly port?: number;
}

/** Validates an exposure and renders the Load Balancer Controller annotations. */
export function renderAlbIngress(expose: AlbExposure, healthCheck: AlbHealthCheckTarget, deregistrationDelaySeconds: number): RenderedAlbIngress {
  const path = expose.path ?? '/';
  requireIngressPath('expose.path', path);
  if (expose.host !== undefined && (expose.host.length > 253 || !HOST.test(expose.host) || expose.host.split('.').some((label) => label.length > 63))) {
    invalid('expose.host', expose.host, 'must be a lower-case DNS name (labels of at most 63 characters, 253 in all), optionally starting with "*."',
      'use a host such as "shop.example.com"');
  }
  const checkPath = expose.healthCheckPath ?? healthCheck.path;
  if (!checkPath.startsWith('/') || checkPath.length > 1024) {
    invalid(expose.healthCheckPath !== undefined ? 'expose.healthCheckPath' : 'readinessProbe.path', checkPath,
      'an ALB health-check path must start with "/" and have at most 1024 characters', `use ${JSON.stringify(`/${checkPath.replace(/^\/*/, '').substring(0, 1000)}`)}`);
  }
  const checkPort = expose.healthCheckPath === undefined ? healthCheck.port : undefined;
  const interval = expose.healthCheckInterval ? wholeSeconds('expose.healthCheckInterval', expose.healthCheckInterval) : 5;
  const timeout = expose.healthCheckTimeout ? wholeSeconds('expose.healthCheckTimeout', expose.healthCheckTimeout) : 4;
  requireIntegerInRange('expose.healthCheckInterval', interval, 5, 300, 'the ALB accepts 5 to 300 seconds');
  requireIntegerInRange('expose.healthCheckTimeout', timeout, 2, Math.min(120, interval - 1), 'the ALB accepts 2 to 120 seconds, shorter than the interval');
  const healthy = requireIntegerInRange('expose.healthyThresholdCount', expose.healthyThresholdCount ?? 2, 2, 10, 'the ALB accepts 2 to 10');
  const unhealthy = requireIntegerInRange('expose.unhealthyThresholdCount', expose.unhealthyThresholdCount ?? 2, 2, 10, 'the ALB accepts 2 to 10');
  const successCodes = expose.successCodes ?? '200';
  if (!SUCCESS_CODES.test(successCodes) || successCodes.split(/[-,]/).some((code) => Number(code) < 200 || Number(code) > 499)) {
    invalid('expose.successCodes', successCodes, 'must list HTTP codes from 200 to 499, as "200", "200,204" or "200-299"', 'use "200" or a range such as "200-299"');
  }
  if (expose.groupName !== undefined && (expose.groupName.length > 63 || !GROUP_NAME.test(expose.groupName))) {
    invalid('expose.groupName', expose.groupName, 'must be at most 63 lower-case letters, digits, "-" and ".", starting and ending with a letter or digit', 'use a name such as "shop"');
  }
  if (expose.certificateArn !== undefined && !CERTIFICATE_ARN.test(expose.certificateArn)) {
    invalid('expose.certificateArn', expose.certificateArn, 'must be an ACM certificate ARN', 'use "arn:aws:acm:<region>:<account>:certificate/<id>"');
  }
  const sourceCidrs = expose.sourceCidrs ?? DEFAULT_ALB_SOURCE_CIDRS;
  if (sourceCidrs.length === 0) {
    invalid('expose.sourceCidrs', sourceCidrs, 'must list at least one CIDR, or the NetworkPolicy blocks the ALB and every target fails its health check', 'pass the VPC CIDR, e.g. ["10.0.0.0/16"]');
  }
  sourceCidrs.forEach((cidr, i) => requireCidr(`expose.sourceCidrs[${i}]`, cidr));

  const annotations: { [key: string]: string } = {
    [`${PREFIX}/scheme`]: expose.scheme ?? LoadBalancerScheme.INTERNAL,
    [`${PREFIX}/target-type`]: 'ip',
    [`${PREFIX}/healthcheck-protocol`]: 'HTTP',
    [`${PREFIX}/healthcheck-port`]: checkPort !== undefined ? String(checkPort) : 'traffic-port',
    [`${PREFIX}/healthcheck-path`]: checkPath,
    [`${PREFIX}/healthcheck-interval-seconds`]: String(interval),
    [`${PREFIX}/healthcheck-timeout-seconds`]: String(timeout),
    [`${PREFIX}/healthy-threshold-count`]: String(healthy),
    [`${PREFIX}/unhealthy-threshold-count`]: String(unhealthy),
    [`${PREFIX}/success-codes`]: successCodes,
    [`${PREFIX}/target-group-attributes`]: `deregistration_delay.timeout_seconds=${deregistrationDelaySeconds}`,
    // Requests with malformed headers are dropped at the ALB instead of reaching the pods. ARC zonal shift is off
    // on an ALB until this attribute enables it (ELB docs, "Enable zonal shift for your Application Load Balancer",
    // checked 2026-12-02): without it the az-evacuation runbook's start-zonal-shift fails for this ALB.
    [`${PREFIX}/load-balancer-attributes`]: ['routing.http.drop_invalid_header_fields.enabled=true', 'zonal_shift.config.enabled=true'].join(','),
  };
  if (expose.certificateArn) {
    annotations[`${PREFIX}/listen-ports`] = '[{"HTTP":80},{"HTTPS":443}]';
    annotations[`${PREFIX}/certificate-arn`] = expose.certificateArn;
    annotations[`${PREFIX}/ssl-policy`] = ALB_SSL_POLICY;
    annotations[`${PREFIX}/ssl-redirect`] = '443';
  } else {
    annotations[`${PREFIX}/listen-ports`] = '[{"HTTP":80}]';
  }
  if (expose.groupName) {
    annotations[`${PREFIX}/group.name`] = expose.groupName;
  }
  if (expose.dnsFailover) {
    Object.assign(annotations, dnsFailoverAnnotations(expose));
  }
  const regionalHost = expose.dnsFailover ? regionalHostName(expose.dnsFailover.region, expose.host!) : undefined;
  return { annotations, host: expose.host, regionalHost, path, sourceCidrs: [...sourceCidrs], healthCheckPort: checkPort };
}

/** The ExternalDNS annotations that publish this region's name for the Ingress's host, and nothing else. */
function dnsFailoverAnnotations(expose: AlbExposure): { [key: string]: string } {
  const failover = expose.dnsFailover!;
  if (expose.host === undefined || expose.host.startsWith('*.')) {
    invalid('expose.host', expose.host, 'must name one host with dnsFailover: the failover record is published for it', 'set expose.host, e.g. "www.shop.example.com"');
  }
  if (expose.scheme !== LoadBalancerScheme.INTERNET_FACING) {
    invalid('expose.scheme', expose.scheme ?? LoadBalancerScheme.INTERNAL, 'must be INTERNET_FACING with dnsFailover: the record points public clients at the ALB',
      'set expose.scheme: LoadBalancerScheme.INTERNET_FACING');
  }
  requireRegion('expose.dnsFailover.region', failover.region, 'use the region these manifests run in, e.g. "eu-west-1"');
  return {
    [`${EXTERNAL_DNS}/hostname`]: regionalHostName(failover.region, expose.host),
    // The public host belongs to the platform's failover records: ExternalDNS must not publish it from the rules.
    [`${EXTERNAL_DNS}/ingress-hostname-source`]: 'annotation-only',
  };
}

/**
 * A Prefix path the API server and the ALB both accept: absolute, no empty,
 * "." or ".." segment, no encoded slash, no wildcard (the ALB controller
 * rejects wildcards in Prefix paths) and at most 128 characters (ALB's limit
 * for a path pattern).
 */
function requireIngressPath(prop: string, path: string): void {
  const segments = path.split('/').slice(1);
  const badSegment = segments.slice(0, -1).some((s) => s === '') || segments.some((s) => s === '.' || s === '..');
  if (!path.startsWith('/') || badSegment || /%2f/i.test(path) || /[*?\s]/.test(path) || path.length > 128) {
    invalid(prop, path,
      'an Ingress Prefix path must start with "/", have no empty, "." or ".." segment, no "%2F", no wildcard or space, and at most 128 characters',
      `use a plain prefix such as ${JSON.stringify(`/${segments.map((s) => s.replace(/[*?\s]|%2f/gi, '')).filter((s) => s && s !== '.' && s !== '..').join('/')}`)}`);
  }
}

/** What services sharing an ALB (an Ingress group) must agree on, per cdk8s app. */
interface IngressGroupMember {
  readonly owner: string;
  readonly scheme: string;
  readonly routes: Set<string>;
}
const INGRESS_GROUPS = new WeakMap<object, Map<string, IngressGroupMember>>();

/**
 * Services in one Ingress group share one ALB: the Load Balancer Controller
 * refuses a group whose members ask for different schemes, and two members
 * routing the same host and path make the ALB's rule order decide who gets
 * the traffic. Both are rejected here, at synth.
 */
export function registerIngressGroup(app: object, owner: string, expose: AlbExposure, rendered: RenderedAlbIngress): void {
  if (!expose.groupName) return;
  const groups = INGRESS_GROUPS.get(app) ?? new Map<string, IngressGroupMember>();
  INGRESS_GROUPS.set(app, groups);
  const scheme = rendered.annotations[`${PREFIX}/scheme`];
  const route = `${rendered.host ?? '*'}${rendered.path}`;
  const member = groups.get(expose.groupName);
  if (!member) {
    groups.set(expose.groupName, { owner, scheme, routes: new Set([route]) });
    return;
  }
  if (member.scheme !== scheme) {
    invalid('expose.scheme', scheme, `differs from "${member.scheme}" used by '${member.owner}' in the same Ingress group "${expose.groupName}": one ALB has one scheme`,
      'use the same scheme for every service of a group, or another groupName');
  }
  if (member.routes.has(route)) {
    invalid('expose.path', rendered.path, `routes host "${rendered.host ?? '*'}" and path "${rendered.path}" already routed in Ingress group "${expose.groupName}"`,
      'give each service of a group its own host or path');
  }
  member.routes.add(route);
}
