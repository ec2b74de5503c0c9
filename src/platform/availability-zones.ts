import { Stack, Token } from 'aws-cdk-lib';
import { invalid } from '../policy/errors';
import { MIN_ZONE_COUNT } from '../policy/zones';

/**
 * Availability Zones named for regions where every zone supports EKS (first
 * three of each, in order). Zone names map to different zone IDs in each
 * account; us-east-1 is left out because one of its zones (use1-az3) does not
 * support EKS and whichever name maps to it in an account would fail
 * CreateCluster: name its zones explicitly.
 */
const REGION_ZONES: { [region: string]: string[] } = {
  'us-east-2': ['us-east-2a', 'us-east-2b', 'us-east-2c'],
  'us-west-2': ['us-west-2a', 'us-west-2b', 'us-west-2c'],
  'ca-central-1': ['ca-central-1a', 'ca-central-1b', 'ca-central-1d'],
  'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  'eu-west-2': ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'],
  'eu-west-3': ['eu-west-3a', 'eu-west-3b', 'eu-west-3c'],
  'eu-central-1': ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
  'eu-north-1': ['eu-north-1a', 'eu-north-1b', 'eu-north-1c'],
  'ap-southeast-1': ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'],
  'ap-southeast-2': ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'],
  'ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
  'ap-south-1': ['ap-south-1a', 'ap-south-1b', 'ap-south-1c'],
  'sa-east-1': ['sa-east-1a', 'sa-east-1b', 'sa-east-1c'],
};

const ZONE_NAME = /^([a-z]{2}(-[a-z]+)+-\d)[a-z]$/;

/**
 * The zones the platform spans, known at synth without asking AWS: the
 * names from props, or the region's defaults. Also makes sure ec2.Vpc will
 * not look them up: on a stack with a concrete account and region, ec2.Vpc
 * reads the account's zones from context, and a missing context entry turns
 * `cdk synth` into an AWS call.
 */
export function resolveAvailabilityZones(stack: Stack, requested: string[] | undefined, requestedCount: number | undefined): string[] {
  const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
  let zones: string[];
  if (requested) {
    zones = requested;
    requested.forEach((zone, i) => {
      const match = ZONE_NAME.exec(zone);
      if (!match || (region && match[1] !== region)) {
        invalid(`availabilityZones[${i}]`, zone, `must be an Availability Zone of the stack's region${region ? ` (${region})` : ''}`,
          `use zone names such as "${region ?? 'eu-west-1'}a"`);
      }
    });
    if (new Set(requested).size !== requested.length) invalid('availabilityZones', requested, 'lists a zone twice', 'list each zone once');
    if (requestedCount !== undefined && requestedCount !== requested.length) {
      invalid('zoneCount', requestedCount, `disagrees with availabilityZones, which names ${requested.length} zones`, 'remove zoneCount');
    }
  } else {
    if (requestedCount !== undefined && !Number.isInteger(requestedCount)) {
      invalid('zoneCount', requestedCount, 'must be a whole number of zones', 'use 3');
    }
    const known = region ? REGION_ZONES[region] : undefined;
    if (!known) {
      invalid('availabilityZones', undefined,
        region ? `has no default for region ${region} (zone names map to account-specific zone IDs, not all of which support EKS)` :
          'cannot be defaulted: the stack has no concrete region',
        'pass availabilityZones, e.g. ["eu-west-1a", "eu-west-1b", "eu-west-1c"], or give the stack a region this library knows');
    }
    zones = known.slice(0, requestedCount ?? known.length);
    if (requestedCount !== undefined && requestedCount > known.length) {
      invalid('zoneCount', requestedCount, `exceeds the ${known.length} zones this library names for ${region}`, 'pass availabilityZones explicitly');
    }
  }
  if (zones.length < MIN_ZONE_COUNT) {
    invalid(requested ? 'availabilityZones' : 'zoneCount', requested ?? requestedCount, `must give at least ${MIN_ZONE_COUNT} zones: a platform in one zone cannot survive its loss`,
      'use 3 zones');
  }
  requireNoAvailabilityZoneLookup(stack, zones);
  return [...zones];
}

function requireNoAvailabilityZoneLookup(stack: Stack, zones: string[]): void {
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) return;
  const key = `availability-zones:account=${stack.account}:region=${stack.region}`;
  const known = stack.node.tryGetContext(key);
  if (!Array.isArray(known) || !zones.every((zone) => known.includes(zone))) {
    invalid(`context["${key}"]`, known,
      `must list the platform's zones: stack '${stack.stackName}' has a concrete account and region, so ec2.Vpc reads the account's zones ` +
      'from this context entry and, without it, cdk synth calls AWS to look them up',
      `add "${key}": ${JSON.stringify(zones)} to the context in cdk.json, or leave the stack's account unset (env: { region })`);
  }
}
