import { HPA_TOLERANCE } from '../../../policy/autoscaling';
import { ReportRow, Requirement } from '../../report-row';
import { KubeObject } from '../inputs';
import { cpuTarget, replicaRange } from '../pod-facts';
import { Check, percent, rowOf } from '../row-builder';
import { Workload } from '../workloads';

/** Karpenter never voluntarily disrupts a node running a pod with this annotation. */
export const DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';

/**
 * Why the API server rejects a budget's minAvailable or maxUnavailable, if it
 * does (ValidatePodDisruptionBudgetSpec, pkg/apis/policy/validation): each is
 * an IntOrString that must be a non-negative integer or a percentage string
 * of digits and `%` up to 100%, so `"1"` is refused; both may not be set.
 */
export function budgetValueProblem(spec: any): string | undefined {
  const problems = (['minAvailable', 'maxUnavailable'] as const).flatMap((field) => {
    const value = spec[field];
    if (value === undefined || value === null) return [];
    if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? [] : [`${field} ${value} is not a non-negative integer`];
    if (typeof value === 'string' && /^[0-9]+%$/.test(value)) return Number(value.slice(0, -1)) <= 100 ? [] : [`${field} "${value}" is more than 100%`];
    return [`${field} ${JSON.stringify(value)} is a string without % (it must be an integer or a percentage such as "25%")`];
  });
  if (spec.minAvailable != null && spec.maxUnavailable != null) problems.push('minAvailable and maxUnavailable cannot be both set');
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/**
 * How many pods of `replicas` a PodDisruptionBudget lets the eviction API
 * take at once (a percentage rounded up, as the disruption controller does).
 * A budget the API server rejects does not exist: nothing limits evictions.
 */
export function allowedEvictions(spec: any, replicas: number): number {
  if (budgetValueProblem(spec) !== undefined) return replicas;
  const amount = (value: number | string) => (typeof value === 'string'
    ? Math.ceil((Number(value.slice(0, -1)) * replicas) / 100) : value);
  if (spec.maxUnavailable != null) return Math.min(replicas, amount(spec.maxUnavailable));
  if (spec.minAvailable != null) return Math.max(0, replicas - amount(spec.minAvailable));
  return replicas;
}

/** The budget's setting as written, for the arithmetic. */
const budgetSetting = (spec: any) => (spec.maxUnavailable !== undefined ? `maxUnavailable ${spec.maxUnavailable}` : `minAvailable ${spec.minAvailable}`);

/**
 * Voluntary disruption: at every replica count the HPA allows, the one
 * budget of the pods permits at least one eviction (Karpenter consolidation,
 * node upgrades and drains proceed), and takes one pod at a time unless the
 * pods left carry the load within their requests; a pod stuck unready never
 * blocks it.
 */
export function voluntaryDisruptionRow(workload: Workload): ReportRow {
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
    const budget = budgets[0];
    const spec = budget.spec ?? {};
    const invalid = budgetValueProblem(spec);
    if (invalid !== undefined) {
      checks.push({
        ok: false,
        found: `PodDisruptionBudget/${budget.metadata.name}: ${invalid}: the API server rejects the budget, so none protects the pods`,
        fix: `write the budget of PodDisruptionBudget/${budget.metadata.name} as a number (maxUnavailable: 1) or a percentage string ("25%"), and only one of minAvailable and maxUnavailable`,
      });
    } else {
      checks.push(...budgetChecks(workload, budget));
    }
  }
  const annotations = workload.deployment.object.spec?.template?.metadata?.annotations ?? {};
  if (annotations[DO_NOT_DISRUPT] === 'true') {
    checks.push({ ok: false, found: `pods carry ${DO_NOT_DISRUPT}: Karpenter never consolidates or expires their nodes`, fix: `remove ${DO_NOT_DISRUPT} from the pod template` });
  }
  return rowOf({
    id: 'voluntary-disruption',
    requirement: Requirement.FAULT_TOLERANCE,
    claim: 'Drains, upgrades and Karpenter consolidation can always proceed, one pod at a time unless the rest carry the load',
    subject: workload.subject,
    evidence: [`Deployment/${workload.deployment.object.metadata.name}`, ...budgets.map((b) => `PodDisruptionBudget/${b.metadata.name}`)].join(', ') + ` (${workload.deployment.source})`,
  }, checks);
}

/** The checks of the one budget of the pods, whose values the API server accepts. */
function budgetChecks(workload: Workload, budget: KubeObject): Check[] {
  const range = replicaRange(workload);
  const spec = budget.spec ?? {};
  const checks: Check[] = [];
  const target = cpuTarget(workload.horizontalPodAutoscaler);
  const counts = Array.from({ length: range.max - range.min + 1 }, (_, i) => range.min + i);
  const blocked = counts.find((replicas) => allowedEvictions(spec, replicas) < 1);
  const atMin = allowedEvictions(spec, range.min);
  checks.push({
    ok: blocked === undefined,
    found: `PodDisruptionBudget/${budget.metadata.name} ${budgetSetting(spec)} at ${range.min} replicas: ${atMin} eviction(s) allowed, ${range.min - atMin} keep serving` +
      (blocked !== undefined && blocked !== range.min ? `; at ${blocked} replicas none is allowed` : ''),
    fix: 'allow at least one eviction (maxUnavailable: 1), or drains and Karpenter consolidation block for ever',
  });
  // More than one eviction at once is safe only if the pods left carry the load within their requests.
  const several = counts.map((replicas) => ({ replicas, allowed: allowedEvictions(spec, replicas) }))
    .filter((c) => c.allowed > 1 || c.allowed >= c.replicas);
  if (several.length > 0) {
    const worst = several.map((c) => ({
      ...c,
      utilization: c.allowed >= c.replicas || target === undefined ? Infinity
        : (target * (1 + HPA_TOLERANCE) * c.replicas) / (c.replicas - c.allowed),
    })).reduce((a, b) => (b.utilization > a.utilization ? b : a));
    checks.push({
      ok: worst.utilization <= 100,
      found: `at ${worst.replicas} replicas the budget lets ${worst.allowed} go at once; the ${worst.replicas - worst.allowed} left carry ` +
        (target === undefined ? 'a load nothing bounds (no CPU utilisation target)'
          : `${target}% x ${1 + HPA_TOLERANCE} x ${worst.replicas} / ${worst.replicas - worst.allowed} = ${percent(worst.utilization)} of requests`),
      fix: `set maxUnavailable: 1 on PodDisruptionBudget/${budget.metadata.name}${worst.allowed >= worst.replicas ? ' and run at least 2 replicas' : ''}`,
    });
  }
  checks.push({
    ok: spec.unhealthyPodEvictionPolicy === 'AlwaysAllow',
    found: `unhealthyPodEvictionPolicy ${spec.unhealthyPodEvictionPolicy ?? 'IfHealthyBudget (default)'}`,
    fix: 'set unhealthyPodEvictionPolicy: AlwaysAllow so a pod stuck unready cannot hold the budget at zero',
  });
  return checks;
}
