import { fullestZone } from '../../../policy/autoscaling';
import { ReportRow } from '../../report-row';
import { ReportContext } from '../context';
import { survivorUtilization } from '../hpa-tolerance';
import { ClusterStack, helmRelease } from '../platform';
import { durationSeconds } from '../quantities';
import { Check, notApplicable, percent, rowOf } from '../row-builder';
import { selects } from '../selectors';
import { Workload } from '../workloads';
import { computable, zoneFacts, zoneRowHeader as header } from '../zone-facts';

/** The rebalancer the report recognises: the descheduler's plugin that evicts pods breaking a hard spread. */
export const DESCHEDULER_CHART = 'descheduler';
export const SPREAD_PLUGIN = 'RemovePodsViolatingTopologySpreadConstraint';

/** Priority classes Kubernetes defines itself; the DefaultEvictor never evicts their pods unless told to. */
const SYSTEM_PRIORITY_CLASSES = ['system-cluster-critical', 'system-node-critical'];

/** The descheduler's default: rebalance only onto a node that can take the pod (descheduler README, RemovePodsViolatingTopologySpreadConstraint args). */
const DEFAULT_TOPOLOGY_BALANCE_NODE_FIT = true;

/** Why the descheduler's profile leaves these pods where they are, if it does. */
function evictionScope(context: ReportContext, workload: Workload, spreadArgs: any, evictor: any): string | undefined {
  const namespaces = spreadArgs.namespaces ?? {};
  if (namespaces.include && !namespaces.include.includes(workload.namespace)) return `its namespaces.include (${namespaces.include.join(', ')}) leaves out ${workload.namespace}`;
  if ((namespaces.exclude ?? []).includes(workload.namespace)) return `its namespaces.exclude lists ${workload.namespace}`;
  if (spreadArgs.labelSelector && !selects(spreadArgs.labelSelector, workload.podLabels)) return 'its labelSelector does not select these pods';
  const priorityClass: string | undefined = workload.podSpec.priorityClassName;
  if (priorityClass && SYSTEM_PRIORITY_CLASSES.includes(priorityClass) && evictor.evictSystemCriticalPods !== true) {
    return `the pods run at ${priorityClass}, which the DefaultEvictor never evicts`;
  }
  const threshold = evictor.priorityThreshold?.value ?? context.objects.map((o) => o.object)
    .find((o) => o.kind === 'PriorityClass' && o.metadata.name === evictor.priorityThreshold?.name)?.value;
  const value = context.objects.map((o) => o.object).find((o) => o.kind === 'PriorityClass' && o.metadata.name === priorityClass)?.value;
  if (threshold !== undefined && value !== undefined && value >= threshold) {
    return `the pods' priority ${value} (${priorityClass}) is at or above the DefaultEvictor's priorityThreshold ${threshold}`;
  }
  return undefined;
}

/**
 * With topologyBalanceNodeFit the descheduler moves a pod only onto a node
 * that can take it now; after a scale-down that room is on the nodes the
 * removed pods left, and Karpenter consolidates those away consolidateAfter
 * later. A pass within that window finds the room; otherwise the spread may
 * stay broken with no Pending pod to make Karpenter add a node.
 */
function nodeFitWindow(cluster: ClusterStack, interval: number | undefined): Check | undefined {
  const consolidating = cluster.objects.map((o) => o.object).filter((o) => o.kind === 'NodePool' && o.apiVersion === 'karpenter.sh/v1' &&
    (o.spec?.disruption?.consolidationPolicy ?? 'WhenEmptyOrUnderutilized') === 'WhenEmptyOrUnderutilized')
    .map((o) => ({ name: o.metadata.name, after: durationSeconds(o.spec?.disruption?.consolidateAfter ?? '0s') }))
    .filter((p): p is { name: string; after: number } => p.after !== undefined);
  if (consolidating.length === 0) return undefined;
  const soonest = consolidating.reduce((a, b) => (b.after < a.after ? b : a));
  return {
    ok: interval !== undefined && interval <= soonest.after,
    found: `topologyBalanceNodeFit: a pass every ${interval ?? '?'} s <= NodePool/${soonest.name} consolidateAfter ${soonest.after} s, ` +
      'so a pass comes while the room the scale-down freed still exists',
    fix: `make deschedulingInterval at most ${soonest.after} s, or set topologyBalanceNodeFit: false so the evicted pod goes Pending and Karpenter adds a node in its zone`,
  };
}

/** Whether a cluster runs an HA descheduler that restores these pods' hard spread, and how often. */
export function rebalancerCheck(context: ReportContext, cluster: ClusterStack, workload: Workload): Check {
  const release = helmRelease(cluster, DESCHEDULER_CHART);
  if (!release) {
    return {
      ok: false,
      found: `${cluster.stack.name} installs no descheduler: nothing restores the spread after a zone-blind scale-down`,
      fix: 'install the descheduler with RemovePodsViolatingTopologySpreadConstraint (ResilientEksPlatform does)',
    };
  }
  const values = release.values;
  const profiles: any[] = values.deschedulerPolicy?.profiles ?? [];
  const profile = profiles.find((p) => (p.plugins?.balance?.enabled ?? []).includes(SPREAD_PLUGIN));
  const pluginArgs = (name: string) => (profile?.pluginConfig ?? []).find((c: any) => c.name === name)?.args ?? {};
  const spreadArgs = pluginArgs(SPREAD_PLUGIN);
  const evictor = pluginArgs('DefaultEvictor');
  const constraints: string[] = spreadArgs.constraints ?? ['DoNotSchedule'];
  const ha = values.kind === 'Deployment' && (values.replicas ?? 1) >= 2 && values.leaderElection?.enabled === true;
  // The DefaultEvictor protects pods with local storage (emptyDir) unless the profile lifts that protection.
  const localStorage = (workload.podSpec.volumes ?? []).some((v: any) => v.emptyDir !== undefined);
  const evictable = !localStorage || evictor.evictLocalStoragePods === true || (evictor.podProtections?.defaultDisabled ?? []).includes('PodsWithLocalStorage');
  const outOfScope = profile ? evictionScope(context, workload, spreadArgs, evictor) : undefined;
  const nodeFit = spreadArgs.topologyBalanceNodeFit ?? DEFAULT_TOPOLOGY_BALANCE_NODE_FIT;
  const window = nodeFit ? nodeFitWindow(cluster, durationSeconds(values.deschedulingInterval)) : undefined;
  const ok = profile !== undefined && constraints.includes('DoNotSchedule') && ha && evictable && outOfScope === undefined && (window?.ok ?? true);
  return {
    ok,
    found: `${cluster.stack.name}/${release.logicalId}: descheduler ${release.version ?? ''} ${values.kind ?? 'CronJob'} x${values.replicas ?? 1}` +
      `${values.leaderElection?.enabled ? ' with leader election' : ''}, ${SPREAD_PLUGIN} ${profile ? `on (${constraints.join(', ')})` : 'off'}` +
      `${values.deschedulingInterval ? ` every ${values.deschedulingInterval}` : ''}` +
      `${evictable ? '' : '; the DefaultEvictor protects these pods (emptyDir volumes), so they are never moved'}` +
      `${outOfScope ? `; the profile does not move these pods: ${outOfScope}` : ''}` +
      `${window ? `; ${window.found}` : nodeFit ? '' : '; topologyBalanceNodeFit off: an evicted pod may wait Pending for a node Karpenter adds in its zone'}`,
    fix: ok ? undefined : [
      ...(profile && ha && constraints.includes('DoNotSchedule') ? [] : [`run the descheduler as a Deployment of 2+ replicas with leaderElection.enabled and ${SPREAD_PLUGIN} in a profile's balance plugins`]),
      ...(evictable ? [] : ['set DefaultEvictor podProtections.defaultDisabled: [PodsWithLocalStorage]']),
      ...(outOfScope ? [`widen the ${SPREAD_PLUGIN} profile to these pods (${outOfScope})`] : []),
      ...(window && !window.ok ? [window.fix!] : []),
    ].join('; '),
  };
}

/**
 * After a zone-blind HPA scale-down: how uneven the spread can get, what a
 * zone loss then costs, and whether a rebalancer restores the spread.
 */
export function zoneRebalanceRow(context: ReportContext, workload: Workload): ReportRow {
  const h = header(workload, 'zone-rebalance', 'After an HPA scale-down (which ignores zones) the spread is restored before a zone loss can overload the survivors');
  const facts = zoneFacts(context, workload);
  if (!facts.range.autoscaled || facts.range.max === facts.range.min) return notApplicable(h, 'the replica count never scales down');
  if (!computable(facts) || !facts.spread) {
    return rowOf(h, [{ ok: false, found: 'the zone-loss row cannot be computed, so neither can the skew after a scale-down', fix: 'fix the zone-loss row first' }]);
  }
  const zones = facts.worst!.zones.length;
  const target = facts.target!;
  // From an even spread at maxReplicas, a scale-down may remove every victim from the other zones.
  const before = fullestZone(facts.range.max, zones, facts.spread.maxSkew);
  let worst = { replicas: facts.range.min, lost: 0, utilization: -1 };
  for (let replicas = facts.range.min; replicas < facts.range.max; replicas++) {
    const lost = Math.min(replicas, before);
    const utilization = survivorUtilization(target, (replicas - lost) / replicas, facts.tolerance.value);
    if (utilization > worst.utilization) worst = { replicas, lost, utilization };
  }
  const skew = {
    ok: true,
    found: `without rebalancing: scaling down from ${facts.range.max} (${before} in the fullest zone) to ${worst.replicas} can leave ${worst.lost} in one zone; ` +
      `losing it leaves ${worst.replicas - worst.lost}/${worst.replicas}: ${target}% x ${+(1 + facts.tolerance.value).toFixed(4)} / ${((worst.replicas - worst.lost) / worst.replicas).toFixed(3)} = ${percent(worst.utilization)} of requests`,
  };
  // Only the clusters that run these pods need to rebalance them.
  const running = facts.placement.candidates.map((c) => c.cluster).filter((c): c is ClusterStack => c !== undefined);
  const clusters = (running.length > 0 ? running : context.clusters).map((cluster) => rebalancerCheck(context, cluster, workload));
  if (clusters.length === 0) {
    clusters.push({ ok: false, found: 'no platform stack in the input: no rebalancer can be shown', fix: 'pass the cloud assembly of the platform' });
  }
  return rowOf(h, [{ ...skew, ok: worst.utilization <= 100 || clusters.every((c) => c.ok) }, ...clusters]);
}

