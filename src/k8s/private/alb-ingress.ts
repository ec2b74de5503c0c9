import { wholeSeconds } from '../../policy/durations';
import { invalid, requireIntegerInRange } from '../../policy/errors';
import { requireCidr } from '../../policy/names';
import { AlbExposure, LoadBalancerScheme } from '../alb-exposure';

/** The AWS Load Balancer Controller's IngressClass. */
export const ALB_INGRESS_CLASS = 'alb';
/** TLS 1.3 with TLS 1.2 fallback: ELB's recommended policy. */
export const ALB_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
/** With target-type ip the ALB's addresses are in the VPC; these ranges cover any VPC CIDR. */
export const DEFAULT_ALB_SOURCE_CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

const PREFIX = 'alb.ingress.kubernetes.io';
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const GROUP_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUCCESS_CODES = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Everything the Ingress needs, validated against the ALB's own limits. */
export interface RenderedAlbIngress {
  readonly annotations: { [key: string]: string };
  readonly host?: string;
  readonly path: string;
  readonly sourceCidrs: string[];
}

/** Validates an exposure and renders the Load Balancer Controller annotations. */
export function renderAlbIngress(expose: AlbExposure, healthCheckPath: string, deregistrationDelaySeconds: number): RenderedAlbIngress {
  const path = expose.path ?? '/';
  if (!path.startsWith('/')) {
    invalid('expose.path', path, 'an Ingress path must start with "/"', `use ${JSON.stringify(`/${path}`)}`);
  }
  if (expose.host !== undefined && (expose.host.length > 253 || !HOST.test(expose.host))) {
    invalid('expose.host', expose.host, 'must be a lower-case DNS name, optionally starting with "*."', 'use a host such as "shop.example.com"');
  }
  const checkPath = expose.healthCheckPath ?? healthCheckPath;
  if (!checkPath.startsWith('/')) {
    invalid('expose.healthCheckPath', checkPath, 'an ALB health-check path must start with "/"', `use ${JSON.stringify(`/${checkPath}`)}`);
  }
  const interval = expose.healthCheckInterval ? wholeSeconds('expose.healthCheckInterval', expose.healthCheckInterval) : 10;
  const timeout = expose.healthCheckTimeout ? wholeSeconds('expose.healthCheckTimeout', expose.healthCheckTimeout) : 5;
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
    [`${PREFIX}/healthcheck-port`]: 'traffic-port',
    [`${PREFIX}/healthcheck-path`]: checkPath,
    [`${PREFIX}/healthcheck-interval-seconds`]: String(interval),
    [`${PREFIX}/healthcheck-timeout-seconds`]: String(timeout),
    [`${PREFIX}/healthy-threshold-count`]: String(healthy),
    [`${PREFIX}/unhealthy-threshold-count`]: String(unhealthy),
    [`${PREFIX}/success-codes`]: successCodes,
    [`${PREFIX}/target-group-attributes`]: `deregistration_delay.timeout_seconds=${deregistrationDelaySeconds}`,
    // Requests with malformed headers are dropped at the ALB instead of reaching the pods.
    [`${PREFIX}/load-balancer-attributes`]: 'routing.http.drop_invalid_header_fields.enabled=true',
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
  return { annotations, host: expose.host, path, sourceCidrs: [...sourceCidrs] };
}
