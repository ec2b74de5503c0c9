import { k8s } from 'cdk8s-plus-33';
import { Decision } from './decision';

/**
 * The HPA leaves replicas alone while usage/target stays within 1 +/- 0.1
 * (kube-controller-manager `--horizontal-pod-autoscaler-tolerance`, 0.1 on
 * EKS), so steady-state usage can sit 10% above the target.
 */
export const HPA_TOLERANCE = 0.1;

/** Room for peaks above the floor before the HPA stops: three times the floor. */
export const DEFAULT_MAX_REPLICAS_FACTOR = 3;

/**
 * The most of R replicas one of N zones can hold when a hard zone spread
 * keeps the skew within `maxSkew`: every other zone holds at least
 * c - maxSkew, so c + (N-1)(c - maxSkew) <= R. With maxSkew 1 that is
 * ceil(R / N).
 */
export function fullestZone(replicas: number, zones: number, maxSkew: number = 1): number {
  return Math.min(replicas, Math.floor((replicas + (zones - 1) * maxSkew) / zones));
}

/**
 * The fewest of R replicas one of N zones can hold under a hard zone spread
 * of `maxSkew`: every other zone holds at most c + maxSkew, so
 * c + (N-1)(c + maxSkew) >= R. With maxSkew 1 that is floor(R / N).
 */
export function thinnestZone(replicas: number, zones: number, maxSkew: number = 1): number {
  return Math.max(0, Math.ceil((replicas - (zones - 1) * maxSkew) / zones));
}

/** The share of R replicas that survives the loss of the fullest zone (see {@link fullestZone}). */
export function survivingShare(replicas: number, zones: number, maxSkew: number = 1): number {
  return (replicas - fullestZone(replicas, zones, maxSkew)) / replicas;
}

/**
 * The highest HPA utilisation target (in percent) that keeps a service
 * statically stable: after losing any one zone, the surviving replicas carry
 * the whole load within their requests before any new capacity arrives.
 *
 * With an even spread that is (N-1)/N, but the HPA may settle on any replica
 * count between min and max, and an uneven count loses more than 1/N (4
 * replicas over 3 zones sit 2/1/1: losing the first zone loses half). So the
 * bound is the worst surviving share over [min, max], divided by 1 + the HPA
 * tolerance because usage may sit that much above the target. Floored.
 */
export function maxStableUtilization(zones: number, minReplicas: number, maxReplicas: number): Decision<number> {
  let worstReplicas = minReplicas;
  let worstShare = survivingShare(minReplicas, zones);
  for (let replicas = minReplicas + 1; replicas <= maxReplicas; replicas++) {
    const share = survivingShare(replicas, zones);
    if (share < worstShare) {
      worstShare = share;
      worstReplicas = replicas;
    }
  }
  const value = Math.floor((100 * worstShare) / (1 + HPA_TOLERANCE));
  return {
    value,
    reason: `at ${worstReplicas} replicas over ${zones} zones one zone holds ${fullestZone(worstReplicas, zones)}, ` +
      `so ${Math.round(worstShare * 100)}% of the replicas survive a zone loss; divided by 1 + the HPA tolerance ` +
      `(${HPA_TOLERANCE}) that leaves ${value}% as the highest target the survivors can carry`,
  };
}

/**
 * Memory target: a ceiling guard, not the zone-loss headroom. Most runtimes
 * hold a memory baseline (heap, caches) that does not shrink when replicas are
 * added; a target below that baseline keeps the HPA at maxReplicas for ever.
 * CPU is the load-proportional metric and carries the static-stability bound;
 * memory scales out before a pod approaches its limit (= request), where the
 * kernel would OOM-kill it.
 */
export const DEFAULT_MEMORY_TARGET_UTILIZATION = 80;

/** The memory target's reason, for the settings report. */
export const MEMORY_TARGET_REASON =
  `memory scales out at ${DEFAULT_MEMORY_TARGET_UTILIZATION}% of the request (= limit) by default: memory is mostly a baseline ` +
  'that does not fall as replicas are added, so a lower target would pin the service at maxReplicas; CPU carries the zone-loss headroom';

/**
 * Explicit scaling behaviour (the defaults are implicit and differ by version):
 * scale up fast (double, or +4 pods, every 15 s: whichever adds more) because
 * an overloaded service fails requests; scale down slowly (at most 20% a
 * minute after 5 minutes of lower usage) so a short dip does not remove the
 * headroom that the next zone failure needs.
 */
export function scalingBehavior(): k8s.HorizontalPodAutoscalerBehaviorV2 {
  return {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Percent', value: 100, periodSeconds: 15 },
        { type: 'Pods', value: 4, periodSeconds: 15 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: 300,
      selectPolicy: 'Min',
      policies: [{ type: 'Percent', value: 20, periodSeconds: 60 }],
    },
  };
}
