import { Decision } from './decision';
import { invalid, requireIntegerInRange } from './errors';

/** Three zones: one can fail and two remain, so a quorum of anything survives. */
export const DEFAULT_ZONE_COUNT = 3;
/** Fewer than two zones cannot survive the loss of a zone at all. */
export const MIN_ZONE_COUNT = 2;
/** No AWS region offers more than six Availability Zones (us-east-1 has six). */
export const MAX_ZONE_COUNT = 6;
/**
 * The mission's floor of replicas: with 3 replicas, one voluntary disruption
 * (PDB) plus one involuntary failure still leaves one pod serving.
 */
export const MIN_REPLICAS = 3;

const ZONE_NAME = /^[a-z]{2}(-[a-z0-9]+)+[a-z]$/;

/**
 * Validates named zones (e.g. "eu-west-1a"): distinct Availability Zone names,
 * as many as a zone count allows. Returns them sorted so the output does not
 * depend on the order they were listed in.
 */
export function namedZones(zones: string[], prop: string, countProp: string, count: number | undefined): string[] {
  zones.forEach((zone, i) => {
    if (!ZONE_NAME.test(zone)) {
      invalid(`${prop}[${i}]`, zone, 'must be an Availability Zone name such as "eu-west-1a"', 'use the zone names of your region');
    }
  });
  const distinct = [...new Set(zones)].sort();
  if (distinct.length !== zones.length) {
    invalid(prop, zones, 'lists a zone twice', 'list each zone once');
  }
  if (count !== undefined && count !== distinct.length) {
    invalid(countProp, count, `disagrees with ${prop}, which names ${distinct.length} zones`, `remove ${countProp}: it follows from ${prop}`);
  }
  return distinct;
}

/** Decides how many zones a workload spreads over. */
export function zoneCount(requested: number | undefined, prop: string): Decision<number> {
  if (requested === undefined) {
    return {
      value: DEFAULT_ZONE_COUNT,
      reason: `${DEFAULT_ZONE_COUNT} zones: losing one still leaves two, and the HPA target keeps the survivors within capacity`,
    };
  }
  requireIntegerInRange(prop, requested, MIN_ZONE_COUNT, MAX_ZONE_COUNT, 'one zone must be able to fail with at least one left, and no AWS region has more than 6 zones');
  return { value: requested, reason: `${requested} zones as requested` };
}

/**
 * The lowest replica count allowed: one replica per zone at least, and never
 * fewer than {@link MIN_REPLICAS}.
 */
export function replicaFloor(zones: number): Decision<number> {
  const value = Math.max(MIN_REPLICAS, zones);
  return {
    value,
    reason: `at least one replica in each of the ${zones} zones and never fewer than ${MIN_REPLICAS}, ` +
      'so that one voluntary disruption and one failure together still leave a pod serving',
  };
}
