import { Decision } from './decision';

/** What a profile decides; see PlatformProfile for the trade-offs. */
export interface ProfileSettings {
  /** NAT gateways: one per zone, or one in all. */
  readonly natGatewaysPerZone: boolean;
  /** Interface VPC endpoints (ECR, STS, EC2, SQS, CloudWatch Logs). */
  readonly interfaceEndpoints: boolean;
  /** System node group: capacity, size and instance types (Graviton). */
  readonly systemNodes: {
    readonly spot: boolean;
    readonly instanceTypes: string[];
    readonly minSize: number;
    readonly desiredSize: number;
    readonly maxSize: number;
  };
}

/**
 * The settings of each profile. System nodes host Karpenter (2 replicas that
 * must not share a node, ~1 vCPU / 1 GiB each), CoreDNS, the Load Balancer
 * Controller and metrics-server: m7g.large (2 vCPU, 8 GiB) fits all of them
 * with room for a node to be replaced.
 */
export function profileSettings(highAvailability: boolean): Decision<ProfileSettings> {
  if (highAvailability) {
    return {
      value: {
        natGatewaysPerZone: true,
        interfaceEndpoints: true,
        // Several Graviton types, so a shortage of one in a zone still leaves that zone a system node.
        systemNodes: { spot: false, instanceTypes: ['m7g.large', 'm6g.large', 'c7g.xlarge'], minSize: 3, desiredSize: 3, maxSize: 6 },
      },
      reason: 'one NAT gateway and one on-demand system node per zone, and interface endpoints, so no zone failure stops egress, image pulls or Karpenter',
    };
  }
  return {
    value: {
      natGatewaysPerZone: false,
      interfaceEndpoints: false,
      systemNodes: { spot: true, instanceTypes: ['m7g.large', 'm6g.large', 't4g.large', 'c7g.xlarge'], minSize: 2, desiredSize: 2, maxSize: 4 },
    },
    reason: 'a single NAT gateway, no interface endpoints and two spot system nodes over several instance types: the fewest hourly charges ' +
      'that still keep two replicas of Karpenter and CoreDNS on separate nodes',
  };
}
