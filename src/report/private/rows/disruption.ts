import { ReportRow, Requirement } from '../../report-row';
import { replicaRange } from '../pod-facts';
import { Check, rowOf } from '../row-builder';
import { Workload } from '../workloads';

/** Karpenter never voluntarily disrupts a node running a pod with this annotation. */
export const DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';

/** How many pods of `replicas` a PodDisruptionBudget lets the eviction API take at once. */
export function allowedEvictions(spec: any, replicas: number): number {
  const amount = (value: number | string) => (typeof value === 'string' && value.endsWith('%')
    ? Math.ceil((Number(value.slice(0, -1)) * replicas) / 100) : Number(value));
  if (spec.maxUnavailable !== undefined) return Math.min(replicas, amount(spec.maxUnavailable));
  if (spec.minAvailable !== undefined) return Math.max(0, replicas - amount(spec.minAvailable));
  return replicas;
}

/**
 * Voluntary disruption: at the lowest replica count, the one budget of the
 * pods permits at least one eviction (Karpenter consolidation, node upgrades
 * and drains proceed) and keeps at least one pod serving; a pod stuck
 * unready never blocks it.
 */
export function voluntaryDisruptionRow(workload: Workload): ReportRow {
  const range = replicaRange(workload);
  const budgets = workload.podDisruptionBudgets;
  const checks: Check[] = [];
  if (budgets.length !== 1) {
    checks.push({
      ok: false,
      found: budgets.length === 0 ? 'no PodDisruptionBudget selects the pods: a drain may evict every replica at once'
        : `${budgets.length} PodDisruptionBudgets select the pods (${budgets.map((b) => b.metadata.name).join(', ')}): the eviction API refuses every eviction`,
      fix: 'give the pods exactly one PodDisruptionBudget with maxUnavailable: 1',
    });
  } else {
    const spec = budgets[0].spec ?? {};
    const allowed = allowedEvictions(spec, range.min);
    checks.push(
      {
        ok: allowed >= 1 && range.min - allowed >= 1,
        found: `PodDisruptionBudget/${budgets[0].metadata.name} ${spec.maxUnavailable !== undefined ? `maxUnavailable ${spec.maxUnavailable}` : `minAvailable ${spec.minAvailable}`} ` +
          `at ${range.min} replicas: ${allowed} eviction(s) allowed, ${range.min - allowed} keep serving`,
        fix: allowed < 1 ? 'allow at least one eviction (maxUnavailable: 1), or drains and Karpenter consolidation block for ever' : 'keep at least one pod serving (maxUnavailable: 1 with 3+ replicas)',
      },
      {
        ok: spec.unhealthyPodEvictionPolicy === 'AlwaysAllow',
        found: `unhealthyPodEvictionPolicy ${spec.unhealthyPodEvictionPolicy ?? 'IfHealthyBudget (default)'}`,
        fix: 'set unhealthyPodEvictionPolicy: AlwaysAllow so a pod stuck unready cannot hold the budget at zero',
      },
    );
  }
  const annotations = workload.deployment.object.spec?.template?.metadata?.annotations ?? {};
  if (annotations[DO_NOT_DISRUPT] === 'true') {
    checks.push({ ok: false, found: `pods carry ${DO_NOT_DISRUPT}: Karpenter never consolidates or expires their nodes`, fix: `remove ${DO_NOT_DISRUPT} from the pod template` });
  }
  return rowOf({
    id: 'voluntary-disruption',
    requirement: Requirement.FAULT_TOLERANCE,
    claim: 'Drains, upgrades and Karpenter consolidation can always proceed, one pod at a time',
    subject: workload.subject,
    evidence: [`Deployment/${workload.deployment.object.metadata.name}`, ...budgets.map((b) => `PodDisruptionBudget/${b.metadata.name}`)].join(', ') + ` (${workload.deployment.source})`,
  }, checks);
}
