import { invalid } from './errors';

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
