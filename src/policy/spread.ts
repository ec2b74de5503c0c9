import { k8s } from 'cdk8s-plus-33';
import { HPA_TOLERANCE, thinnestZone } from './autoscaling';
import { Decision } from './decision';

/** The well-known node labels the spread is computed over. */
export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';
export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';
/** Set by the Deployment controller on every pod; differs per rollout revision. */
export const POD_TEMPLATE_HASH = 'pod-template-hash';

/**
 * A soft zone spread for platform components (CoreDNS, controllers, ArgoCD):
 * spread when capacity allows, but never wait Pending for a zone, since a
 * controller that does not run is worse than one that shares a zone.
 */
export function softZoneSpread(matchLabels: { [key: string]: string }): k8s.TopologySpreadConstraint[] {
  return [{ maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...matchLabels } } }];
}

/**
 * Why the spread looks the way it does.
 *
 * It must meet two criteria at once:
 * 1. in normal operation replicas are spread evenly over every zone and node,
 *    and Karpenter launches capacity in the zone that lacks a replica;
 * 2. when one zone is lost, replacement and scale-up pods can still be
 *    scheduled in the surviving zones.
 *
 * Zone constraint: `maxSkew: 1`, `whenUnsatisfiable: DoNotSchedule`.
 * - Hard, because the scheduler and Karpenter only *guarantee* hard
 *   constraints: Karpenter treats `ScheduleAnyway` as a preference it relaxes
 *   when it cannot satisfy it, so a soft zone constraint guarantees nothing
 *   (criterion 1). With skew 1 the largest zone holds at most ceil(R/N)
 *   replicas, which is exactly what the HPA's static-stability bound assumes.
 * - `nodeTaintsPolicy: Honor`: when a zone fails its nodes get the
 *   `node.kubernetes.io/unreachable` / `not-ready` NoSchedule taints. Our pods
 *   only tolerate the NoExecute variant (for a short time), so with Honor the
 *   dead nodes stop counting as a domain. With the default (Ignore) the dead
 *   zone would still count, its global minimum would pin every surviving zone
 *   at `maxSkew` above it, and replacements would stay Pending (criterion 2).
 * - `nodeAffinityPolicy: Honor` (the default, written out): zones the pod may
 *   not run in (node affinity, architecture) are not domains either.
 * - No `minDomains`: with `minDomains = N` the global minimum becomes 0 as
 *   soon as fewer than N zones are eligible, which caps every surviving zone
 *   at `maxSkew` pods during an outage (criterion 2).
 * - `matchLabelKeys: [pod-template-hash]`: each rollout revision is spread on
 *   its own, so a new ReplicaSet is not skewed by the old one it replaces.
 *
 * Hostname constraint: `maxSkew: 1`, `whenUnsatisfiable: ScheduleAnyway`.
 * - Soft on purpose. A node lives in one zone, so the hard zone constraint
 *   already bounds what one node failure can take (at most one zone's share,
 *   which the HPA target absorbs). A hard per-node rule would make Karpenter
 *   launch one node per replica and leave pods Pending when nodes are full:
 *   cost with no extra guarantee. Soft still spreads replicas over nodes
 *   whenever the capacity exists.
 *
 * What the constraints cannot do, and what covers it:
 * - A zone that is impaired but not dead (nodes Ready, no EC2 capacity) keeps
 *   counting as a domain, so pods above the skew wait Pending
 *   (kubernetes/kubernetes#116978). The replicas already running carry the
 *   load because the HPA target leaves room for a zone's share, and the zone
 *   is taken out with an ARC zonal shift.
 * - The scheduler only counts zones that have at least one node the pods may
 *   run on. A zone without such a node gets no replica until one exists; a
 *   Karpenter NodePool spanning every zone (what the platform installs) makes
 *   that rare, since Karpenter keeps nodes where spread pods run.
 * - Constraints hold when pods are placed, not when they are removed: an HPA
 *   scale-down picks victims without looking at zones and can leave the spread
 *   uneven until the next placements. A descheduler running
 *   RemovePodsViolatingTopologySpreadConstraint restores it.
 */
export function topologySpreadConstraints(selector: { [key: string]: string }): k8s.TopologySpreadConstraint[] {
  const common = {
    maxSkew: 1,
    labelSelector: { matchLabels: { ...selector } },
    matchLabelKeys: [POD_TEMPLATE_HASH],
    nodeAffinityPolicy: 'Honor',
    nodeTaintsPolicy: 'Honor',
  };
  return [
    { ...common, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: 'DoNotSchedule' },
    { ...common, topologyKey: HOSTNAME_TOPOLOGY_KEY, whenUnsatisfiable: 'ScheduleAnyway' },
  ];
}

/** The Service `trafficDistribution` that keeps a call in its caller's zone when a ready endpoint is there (GA in Kubernetes 1.35, KEP-3015). */
export const PREFER_SAME_ZONE = 'PreferSameZone';

/**
 * The highest CPU utilisation (percent of requests) a pod reaches when its
 * Service keeps calls in the caller's zone, over the replica counts
 * [min, max], at the HPA target plus the HPA tolerance, with callers spread
 * evenly over the zones that are up (a caller service spread like this one).
 *
 * Each zone then carries 1/N of the calls whatever its replica count, and the
 * zone spread leaves the thinnest zone {@link thinnestZone} replicas
 * (floor(R/N) at maxSkew 1): its pods get R / (N x thinnest) times the
 * average, which the HPA's average does not see. After a zone is lost its
 * callers are gone too, and each of the N-1 survivors carries 1/(N-1) of the
 * calls: the thinnest pods then run at target x (1 + tolerance) x R /
 * ((N-1) x thinnest). That is the worst case, and it is higher than without
 * same-zone routing whenever the spread allows uneven zones.
 */
export function sameZoneWorstUtilization(zones: number, minReplicas: number, maxReplicas: number, cpuTarget: number,
  maxSkew: number = 1, tolerance: number = HPA_TOLERANCE): { utilization: number; replicas: number } {
  let worst = { utilization: 0, replicas: minReplicas };
  for (let replicas = minReplicas; replicas <= maxReplicas; replicas++) {
    const thinnest = thinnestZone(replicas, zones, maxSkew);
    const utilization = thinnest === 0 ? Infinity : (cpuTarget * (1 + tolerance) * replicas) / ((zones - 1) * thinnest);
    if (utilization > worst.utilization) worst = { utilization, replicas };
  }
  return worst;
}

/**
 * Whether a service's Service prefers endpoints in the caller's zone
 * (`trafficDistribution: PreferSameZone`): calls stop crossing zones (lower
 * latency, no inter-AZ data charges, a zone's failure stays in that zone), but
 * the Service no longer evens the load out over all replicas. So it is turned
 * on only where {@link sameZoneWorstUtilization} stays within the requests over
 * the whole replica range, before and after a zone loss: a fixed count that
 * is a multiple of the zones, or a CPU target low enough for the uneven
 * counts. A zone without a ready replica sends its calls to the others; calls
 * from an ALB go straight to pod IPs and are never affected.
 */
export function sameZoneTraffic(zones: number, minReplicas: number, maxReplicas: number, cpuTarget: number | undefined,
  requested: boolean | undefined, maxSkew: number = 1, tolerance: number = HPA_TOLERANCE): Decision<boolean> {
  if (requested === false) {
    return { value: false, reason: 'turned off (preferSameZoneTraffic: false): calls are spread over every ready replica in every zone' };
  }
  if (cpuTarget === undefined) {
    const even = thinnestZone(minReplicas, zones, maxSkew) * zones === minReplicas;
    return even
      ? { value: true, reason: `${PREFER_SAME_ZONE}: ${minReplicas} replicas over ${zones} zones put the same count in every zone, so same-zone calls load every pod alike` }
      : {
        value: false,
        reason: (maxSkew > 1 ? `a zone spread of maxSkew ${maxSkew} may split ${minReplicas} replicas unevenly over ${zones} zones`
          : `${minReplicas} replicas cannot be split evenly over ${zones} zones`) + ': same-zone calls would load the thinnest zone\'s pods more than the others',
      };
  }
  const worst = sameZoneWorstUtilization(zones, minReplicas, maxReplicas, cpuTarget, maxSkew, tolerance);
  const thinnest = thinnestZone(worst.replicas, zones, maxSkew);
  if (worst.utilization > 100) {
    return {
      value: false,
      reason: `spread over every zone: with same-zone calls, ${worst.replicas} replicas leave ${thinnest} in the thinnest zone` +
        `${maxSkew > 1 ? ` (maxSkew ${maxSkew})` : ''}, whose pods would run at ${Math.round(worst.utilization)}% of their requests after a zone loss ` +
        `(${cpuTarget}% x ${+(1 + tolerance).toFixed(4)} x ${worst.replicas} / (${zones - 1} x ${thinnest})); a CPU target of ` +
        `${Math.floor((100 * cpuTarget) / worst.utilization)}% or less would allow it`,
    };
  }
  return {
    value: true,
    reason: `${PREFER_SAME_ZONE}: calls stay in their zone; the thinnest zone's pods stay at ${Math.round(worst.utilization)}% of their requests ` +
      `or less, even after a zone loss (worst at ${worst.replicas} replicas)`,
  };
}
