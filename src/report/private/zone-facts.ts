import { POD_TEMPLATE_HASH, ZONE_TOPOLOGY_KEY } from '../../policy/spread';
import { Requirement } from '../report-row';
import { ReportContext } from './context';
import { ScaleUpTolerance, scaleUpTolerance } from './hpa-tolerance';
import { Placement, ZoneCandidate, placement } from './placement';
import { ZoneAffinity, containersWithoutCpuRequest, cpuTarget, replicaRange, spreadConstraints, zoneAffinity } from './pod-facts';
import { LabelSelector, selects } from './selectors';
import { Workload } from './workloads';

/** A hard zone constraint and why it does not spread these pods, if it does not. */
interface RejectedSpread {
  readonly constraint: any;
  readonly why: string;
}

/** A label selector as text, for a row's arithmetic. */
export const selectorText = (selector: LabelSelector) => [
  ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`),
  ...(selector.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${(e.values ?? []).length > 0 ? ` (${e.values!.join(', ')})` : ''}`),
].join(', ') || 'everything';

/**
 * Why a zone constraint does not spread these pods. The scheduler counts, per
 * zone, the pods its labelSelector selects, and counts the incoming pod only
 * if the selector selects it too; a constraint without labelSelector counts
 * nothing, since a null label selector matches no objects (Kubernetes API
 * reference, TopologySpreadConstraint.labelSelector and LabelSelector). The
 * matchLabelKeys narrow the selected pods to those with the incoming pod's
 * values of the keys: pod-template-hash, set per ReplicaSet, narrows them to
 * this Deployment's revision.
 */
function notSpreading(context: ReportContext, workload: Workload, constraint: any): string | undefined {
  const selector: LabelSelector | undefined = constraint.labelSelector;
  if (!selector) return 'it has no labelSelector, so it counts no pods (a null label selector matches nothing) and spreads nothing';
  if (!selects(selector, workload.podLabels)) {
    return `its labelSelector (${selectorText(selector)}) does not select these pods (${selectorText({ matchLabels: workload.podLabels })}), ` +
      'so it spreads other pods and leaves these free to share a zone';
  }
  const keys: string[] = constraint.matchLabelKeys ?? [];
  const together = context.workloads.filter((other) => other !== workload && other.namespace === workload.namespace &&
    selects(selector, other.podLabels) &&
    keys.every((key) => key !== POD_TEMPLATE_HASH && (workload.podLabels[key] === undefined || other.podLabels[key] === workload.podLabels[key])));
  if (together.length > 0) {
    return `its labelSelector (${selectorText(selector)}) also selects the pods of ${together.map((w) => `Deployment/${w.deployment.object.metadata.name}`).join(', ')}, ` +
      'so the skew bounds those pods together, not these alone';
  }
  return undefined;
}

/** What the zone rows (and the cross-zone cost row) know about where a workload's pods run and how they spread. */
export interface ZoneFacts {
  readonly affinity: ZoneAffinity;
  readonly placement: Placement;
  /** The candidate with the fewest usable zones: what a zone loss costs most in. */
  readonly worst?: ZoneCandidate;
  readonly range: { min: number; max: number; autoscaled: boolean };
  readonly target?: number;
  /** How far above the target the HPA lets usage sit. */
  readonly tolerance: ScaleUpTolerance;
  /** Containers without the CPU request the HPA's utilisation target divides by. */
  readonly withoutCpuRequest: string[];
  /** The hard zone constraint that spreads these pods, the tightest if several do. */
  readonly spread?: any;
  readonly rejected: RejectedSpread[];
}

export function zoneFacts(context: ReportContext, workload: Workload): ZoneFacts {
  const affinity = zoneAffinity(workload.podSpec);
  const where = placement(context, workload, affinity);
  const hard = spreadConstraints(workload.podSpec, ZONE_TOPOLOGY_KEY, true);
  const rejected = hard.map((constraint) => ({ constraint, why: notSpreading(context, workload, constraint) }))
    .filter((r): r is RejectedSpread => r.why !== undefined);
  const spreading = hard.filter((c) => !rejected.some((r) => r.constraint === c)).sort((a, b) => a.maxSkew - b.maxSkew);
  const target = cpuTarget(workload.horizontalPodAutoscaler);
  return {
    affinity,
    placement: where,
    worst: [...where.candidates].sort((a, b) => a.zones.length - b.zones.length)[0],
    range: replicaRange(workload),
    target,
    tolerance: scaleUpTolerance(workload.horizontalPodAutoscaler, where.candidates.flatMap((c) => (c.cluster ? [c.cluster] : []))),
    withoutCpuRequest: target === undefined ? [] : containersWithoutCpuRequest(workload.podSpec),
    spread: spreading[0],
    rejected,
  };
}


/** What the zone-loss arithmetic needs: at least 2 usable zones and a CPU target the HPA can compute. */
export const computable = (facts: ZoneFacts) => facts.worst !== undefined && facts.worst.zones.length >= 2 && facts.target !== undefined &&
  facts.withoutCpuRequest.length === 0;

/** The header every zone row of a workload shares. */
export const zoneRowHeader = (workload: Workload, id: string, claim: string) => ({
  id,
  requirement: Requirement.HIGH_AVAILABILITY,
  claim,
  subject: workload.subject,
  evidence: [workload.deployment.object, workload.horizontalPodAutoscaler].filter((o) => o).map((o) => `${o!.kind}/${o!.metadata.name}`).join(', ') +
    ` (${workload.deployment.source})`,
});
