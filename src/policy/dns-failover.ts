import { MIN_RTO_MINUTES } from './disaster-recovery';
import { invalid } from './errors';
import { DnsFailoverOptions, RecoveryStrategy } from '../platform/disaster-recovery-options';

/**
 * Seconds between two checks of a Route 53 health checker. 30 is the standard
 * interval (10 is "fast" and billed extra); the RTO arithmetic reads it from
 * the template.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
 */
export const HEALTH_CHECK_INTERVAL_SECONDS = 30;
/** Consecutive failed checks before Route 53 calls an endpoint unhealthy (Route 53's default, 1 to 10 allowed). */
export const HEALTH_CHECK_FAILURE_THRESHOLD = 3;
/**
 * TTL of the failover CNAME records: how long resolvers keep answering with
 * the failed region once Route 53 has switched. Route 53's own alias records
 * use 60 s; a shorter TTL costs more queries for little gain.
 */
export const FAILOVER_RECORD_TTL_SECONDS = 60;

/**
 * The longest clients keep reaching a failed region: the health checkers
 * need `threshold` consecutive failures `interval` apart, then resolvers
 * hold the old answer for the record's TTL.
 */
export function dnsDetectionSeconds(intervalSeconds: number, failureThreshold: number, ttlSeconds: number): number {
  return intervalSeconds * failureThreshold + ttlSeconds;
}

/**
 * The name a region's load balancer is published under for one public name:
 * the region as a leading label ("eu-west-1.www.shop.example.com"). Each
 * region's ExternalDNS owns only its own regional names, so the two clusters
 * never contend for a record; the failover record of the public name, owned by
 * CloudFormation, points at them and Route 53 health-checks each.
 */
export function regionalHostName(region: string, host: string): string {
  return `${region}.${host}`;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[0-9A-Z]{1,31}$/;
const HEALTH_CHECK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** An absolute URL path in the characters Route 53 takes, at most 255 of them. */
const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
const MAX_HEALTH_CHECK_PATH = 255;

/**
 * A public name that can fail over inside `zoneName`: a lower-case name below
 * the zone (a CNAME cannot live at the zone apex, where the zone's own SOA
 * and NS records are), short enough to take the region as a leading label.
 */
export function requireFailoverName(prop: string, name: string, zoneName: string): string {
  if (!DOMAIN.test(name) || !name.endsWith(`.${zoneName}`)) {
    invalid(prop, name, name === zoneName
      ? 'must be a name below the zone, not its apex: the failover records are CNAMEs, which the apex (with its SOA and NS records) cannot hold'
      : `must be a lower-case DNS name below the hosted zone ${zoneName}`,
    `use a name such as "www.${zoneName}" and the same host in the service's expose.host`);
  }
  if (regionalHostName('ap-southeast-1', name).length > 253) {
    invalid(prop, name, 'must leave room for the region as a leading label (253 characters in all)', 'use a shorter name');
  }
  return name;
}

/**
 * A warm standby's RTO counts on Route 53 moving the clients: its shortest
 * RTO ({@link MIN_RTO_MINUTES}) is detection (interval x failures + TTL)
 * plus a scale-out, which leaves no time for anyone to repoint clients by
 * hand. Pilot light and backup and restore take half an hour or more to
 * serve again, time within which an operator can repoint DNS as the failover
 * runbook says: for them failover records are an option.
 */
export function requireDnsFailoverFor(strategy: RecoveryStrategy, hasDnsFailover: boolean, prop: string): void {
  if (strategy !== RecoveryStrategy.WARM_STANDBY || hasDnsFailover) return;
  const detection = dnsDetectionSeconds(HEALTH_CHECK_INTERVAL_SECONDS, HEALTH_CHECK_FAILURE_THRESHOLD, FAILOVER_RECORD_TTL_SECONDS);
  invalid(prop, undefined, `must be set for ${strategy}: its RTO (${MIN_RTO_MINUTES[strategy]} minutes at best) counts on Route 53 detecting the failure ` +
    `(${HEALTH_CHECK_INTERVAL_SECONDS} s x ${HEALTH_CHECK_FAILURE_THRESHOLD} + ${FAILOVER_RECORD_TTL_SECONDS} s TTL = ${detection} s) and sending the clients to the standby, ` +
    'and without failover records they reach the failed region until someone repoints them',
  `set dnsFailover: { hostedZoneId, zoneName, records: [{ name, healthCheckPath }] } (a public hosted zone in Route 53), or choose ${RecoveryStrategy.PILOT_LIGHT}`);
}

/**
 * Every rule of the DNS failover options, checked once where they are given
 * (the platform's `disasterRecovery.dnsFailover`, the project type's
 * `dnsFailover`): a hosted zone ID and a zone name Route 53 accepts, at least
 * one record, each a distinct name below the zone with a health-check path
 * Route 53 takes and, where given, Route 53 health check IDs.
 */
export function requireDnsFailoverOptions(options: DnsFailoverOptions, prop: string): void {
  if (!HOSTED_ZONE_ID.test(options.hostedZoneId)) {
    invalid(`${prop}.hostedZoneId`, options.hostedZoneId, 'must be a Route 53 hosted zone ID', 'copy it from `aws route53 list-hosted-zones` (e.g. "Z0123456789ABCDEFGHIJ")');
  }
  if (!DOMAIN.test(options.zoneName)) {
    invalid(`${prop}.zoneName`, options.zoneName, 'must be a lower-case domain name without a trailing dot', 'use the zone\'s name, e.g. "shop.example.com"');
  }
  if (options.records.length === 0) {
    invalid(`${prop}.records`, options.records, 'must name at least one public name: without records nothing fails over',
      `list each exposed service's host, e.g. [{ name: 'www.${options.zoneName}', healthCheckPath: '/healthz' }]`);
  }
  const seen = new Set<string>();
  options.records.forEach((record, i) => {
    const at = `${prop}.records[${i}]`;
    const name = requireFailoverName(`${at}.name`, record.name, options.zoneName);
    if (seen.has(name)) invalid(`${at}.name`, name, 'is listed twice: each name has one failover pair', 'list each name once');
    seen.add(name);
    const path = record.healthCheckPath ?? '/';
    if (!HEALTH_CHECK_PATH.test(path) || path.length > MAX_HEALTH_CHECK_PATH) {
      invalid(`${at}.healthCheckPath`, path, `must be an absolute URL path of at most ${MAX_HEALTH_CHECK_PATH} characters (Route 53's limit)`,
        'use the service\'s readiness path, e.g. "/healthz"');
    }
    for (const [region, id] of Object.entries(record.regionSwitchHealthCheckIds ?? {})) {
      if (!HEALTH_CHECK_ID.test(id)) {
        invalid(`${at}.regionSwitchHealthCheckIds.${region}`, id, 'must be a Route 53 health check ID (a UUID)',
          'copy it from the failover runbook\'s step 0 (list-route53-health-checks-in-region)');
      }
    }
  });
}
