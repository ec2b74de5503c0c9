import { Decision } from './decision';

/** The PodDisruptionBudget every HaMicroservice gets. */
export interface DisruptionBudget {
  readonly maxUnavailable: number;
  readonly unhealthyPodEvictionPolicy: 'AlwaysAllow';
}

/**
 * One voluntary disruption at a time, whatever the replica count: drains,
 * Karpenter consolidation and node expiry proceed pod by pod, and with at
 * least 3 replicas spread over zones one more involuntary failure still leaves
 * a pod serving. `maxUnavailable` (not `minAvailable`) keeps that true when
 * the HPA changes the replica count.
 *
 * `AlwaysAllow` lets pods that are not Ready be evicted: otherwise one pod
 * stuck in CrashLoopBackOff holds the budget at zero and blocks every node
 * drain and Karpenter consolidation for ever.
 */
export function disruptionBudget(): Decision<DisruptionBudget> {
  return {
    value: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    reason: 'one voluntary disruption at a time; unhealthy pods may always be evicted so a stuck pod never blocks node drains',
  };
}
