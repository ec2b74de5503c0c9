import { HPA_TOLERANCE, fullestZone } from '../../../policy/autoscaling';
import { sameZoneWorstUtilization } from '../../../policy/spread';
import { ReportRow, Requirement } from '../../report-row';
import { ReportContext, platformZoneCount } from '../context';
import { ClusterStack, helmRelease } from '../platform';
import { affinityZones, cpuTarget, replicaRange, zoneSpread } from '../pod-facts';
import { Check, notApplicable, percent, rowOf } from '../row-builder';
import { Workload } from '../workloads';
import { SAME_ZONE_VALUES } from './same-zone';

/** The rebalancer the report recognises: the descheduler's plugin that evicts pods breaking a hard spread. */
export const DESCHEDULER_CHART = 'descheduler';
export const SPREAD_PLUGIN = 'RemovePodsViolatingTopologySpreadConstraint';

/** CPU utilisation the survivors carry after losing the fullest zone: target x (1 + tolerance) / surviving share. */
export function survivorUtilization(target: number, replicas: number, lost: number): number {
  const share = (replicas - lost) / replicas;
  return share <= 0 ? Infinity : (target * (1 + HPA_TOLERANCE)) / share;
}

interface ZoneFacts {
  readonly zones?: number;
  readonly zonesFrom: string;
  readonly range: { min: number; max: number; autoscaled: boolean };
  readonly target?: number;
  readonly spread?: any;
}

function zoneFacts(context: ReportContext, workload: Workload): ZoneFacts {
  const named = affinityZones(workload.podSpec);
  const platform = platformZoneCount(context);
  return {
    zones: named?.length ?? platform,
    zonesFrom: named ? `node affinity (${named.join(', ')})` : platform ? 'the cluster\'s subnets' : 'nowhere',
    range: replicaRange(workload),
    target: cpuTarget(workload.horizontalPodAutoscaler),
    spread: zoneSpread(workload.podSpec, true),
  };
}

const header = (workload: Workload, id: string, claim: string) => ({
  id,
  requirement: Requirement.HIGH_AVAILABILITY,
  claim,
  subject: workload.subject,
  evidence: [workload.deployment.object, workload.horizontalPodAutoscaler].filter((o) => o).map((o) => `${o!.kind}/${o!.metadata.name}`).join(', ') +
    ` (${workload.deployment.source})`,
});

/**
 * Zone loss: for every replica count the HPA can settle on, the share that
 * survives losing the fullest zone under the emitted spread, and the CPU
 * utilisation the survivors then carry, which must stay within 100% of their
 * requests.
 */
export function zoneLossRow(context: ReportContext, workload: Workload): ReportRow {
  const h = header(workload, 'zone-loss', 'After losing any one zone, the surviving replicas carry the whole load within their CPU requests');
  const facts = zoneFacts(context, workload);
  const checks: Check[] = [];
  const zones = facts.zones;
  checks.push(zones !== undefined && zones >= 2
    ? { ok: true, found: `${zones} zones from ${facts.zonesFrom}` }
    : { ok: false, found: `${zones ?? 'no'} zone(s) known from ${facts.zonesFrom}`, fix: 'restrict the pods to at least 2 named zones (node affinity on topology.kubernetes.io/zone) or synthesize the platform with them' });
  const spread = facts.spread;
  if (!spread) {
    checks.push({
      ok: false,
      found: 'no DoNotSchedule spread on topology.kubernetes.io/zone: every replica may land in one zone (0% survive its loss)',
      fix: 'add a topologySpreadConstraint on topology.kubernetes.io/zone with maxSkew 1 and whenUnsatisfiable DoNotSchedule (HaMicroservice does)',
    });
  } else {
    checks.push(spread.nodeTaintsPolicy === 'Honor'
      ? { ok: true, found: 'nodeTaintsPolicy Honor: the lost zone\'s tainted nodes leave the spread' }
      : {
        ok: false,
        found: `nodeTaintsPolicy ${spread.nodeTaintsPolicy ?? 'Ignore (default)'}: the lost zone still counts and caps every surviving zone at maxSkew above it, so replacements stay Pending`,
        fix: 'set nodeTaintsPolicy: Honor on the zone constraint',
      });
    if (spread.minDomains !== undefined && zones !== undefined && spread.minDomains >= zones) {
      checks.push({
        ok: false,
        found: `minDomains ${spread.minDomains} >= ${zones} zones: with one zone gone the global minimum is 0 and each survivor is capped at maxSkew (${spread.maxSkew}) pods`,
        fix: 'remove minDomains from the zone constraint',
      });
    }
  }
  if (facts.target === undefined) {
    checks.push({
      ok: false,
      found: facts.range.autoscaled ? 'the HPA has no CPU utilisation target' : `a fixed ${facts.range.min} replicas with no utilisation target: nothing bounds the load each survivor gets`,
      fix: 'autoscale on CPU utilisation with a target at or below the static-stability bound (HaMicroservice computes it)',
    });
  }
  if (zones !== undefined && zones >= 2 && facts.target !== undefined) {
    const maxSkew = spread?.maxSkew ?? Infinity;
    let worst = { replicas: facts.range.min, lost: 0, utilization: -1 };
    for (let replicas = facts.range.min; replicas <= facts.range.max; replicas++) {
      const lost = spread ? fullestZone(replicas, zones, maxSkew) : replicas;
      const utilization = survivorUtilization(facts.target, replicas, lost);
      if (utilization > worst.utilization) worst = { replicas, lost, utilization };
    }
    const share = (worst.replicas - worst.lost) / worst.replicas;
    const sameZone = workload.services.filter((service) => SAME_ZONE_VALUES.includes(service.spec?.trafficDistribution));
    if (sameZone.length > 0) {
      // Same-zone routing gives each zone 1/N of the calls whatever its replica count: the thinnest zone sets the load.
      const routed = sameZoneWorstUtilization(zones, facts.range.min, facts.range.max, facts.target);
      const thinnest = Math.floor(routed.replicas / zones);
      checks.push({
        ok: routed.utilization <= 100,
        found: `Service/${sameZone[0].metadata.name} keeps calls in their zone: at ${routed.replicas} replicas the thinnest zone has ${thinnest}, ` +
          `and after a zone loss its pods carry 1/${zones - 1} of the calls: ${facts.target}% x ${1 + HPA_TOLERANCE} x ${routed.replicas} / ` +
          `(${zones - 1} x ${thinnest}) = ${percent(routed.utilization)} of requests (callers spread evenly over the zones that are up)`,
        fix: `remove trafficDistribution from Service/${sameZone[0].metadata.name}, or lower the CPU target to ` +
          `${Math.floor((100 * facts.target) / routed.utilization)}%`,
      });
    }
    checks.push({
      ok: worst.utilization <= 100,
      found: `worst over ${facts.range.min}-${facts.range.max} replicas: ${worst.replicas} with ${worst.lost} in the fullest zone, ` +
        `${worst.replicas - worst.lost}/${worst.replicas} = ${percent(share * 100)} survive; ${facts.target}% x ${1 + HPA_TOLERANCE} / ${share.toFixed(3)} = ` +
        `${percent(worst.utilization)} of requests`,
      fix: `lower the CPU target to ${Math.floor((100 * share) / (1 + HPA_TOLERANCE))}% or raise minReplicas`,
    });
  }
  return rowOf(h, checks);
}

/** Whether a cluster runs an HA descheduler that restores hard spreads, and how often. */
export function rebalancerCheck(cluster: ClusterStack, workload: Workload): Check {
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
  const enabled = profiles.some((p) => (p.plugins?.balance?.enabled ?? []).includes(SPREAD_PLUGIN));
  const config = profiles.flatMap((p) => p.pluginConfig ?? []).find((c: any) => c.name === SPREAD_PLUGIN);
  const constraints: string[] = config?.args?.constraints ?? ['DoNotSchedule'];
  const ha = values.kind === 'Deployment' && (values.replicas ?? 1) >= 2 && values.leaderElection?.enabled === true;
  // The DefaultEvictor protects pods with local storage (emptyDir) unless the profile lifts that protection.
  const evictor = profiles.flatMap((p) => p.pluginConfig ?? []).find((c: any) => c.name === 'DefaultEvictor')?.args ?? {};
  const localStorage = (workload.podSpec.volumes ?? []).some((v: any) => v.emptyDir !== undefined);
  const evictable = !localStorage || evictor.evictLocalStoragePods === true || (evictor.podProtections?.defaultDisabled ?? []).includes('PodsWithLocalStorage');
  const ok = enabled && constraints.includes('DoNotSchedule') && ha && evictable;
  return {
    ok,
    found: `${cluster.stack.name}/${release.logicalId}: descheduler ${release.version ?? ''} ${values.kind ?? 'CronJob'} x${values.replicas ?? 1}` +
      `${values.leaderElection?.enabled ? ' with leader election' : ''}, ${SPREAD_PLUGIN} ${enabled ? `on (${constraints.join(', ')})` : 'off'}` +
      `${values.deschedulingInterval ? ` every ${values.deschedulingInterval}` : ''}` +
      `${evictable ? '' : '; the DefaultEvictor protects these pods (emptyDir volumes), so they are never moved'}`,
    fix: ok ? undefined : `run the descheduler as a Deployment of 2+ replicas with leaderElection.enabled and ${SPREAD_PLUGIN} in a profile's balance plugins` +
      `${evictable ? '' : ', with DefaultEvictor podProtections.defaultDisabled: [PodsWithLocalStorage]'}`,
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
  if (facts.zones === undefined || facts.target === undefined || !facts.spread) {
    return rowOf(h, [{ ok: false, found: 'the zone-loss row cannot be computed, so neither can the skew after a scale-down', fix: 'fix the zone-loss row first' }]);
  }
  const zones = facts.zones;
  // From an even spread at maxReplicas, a scale-down may remove every victim from the other zones.
  const before = fullestZone(facts.range.max, zones, facts.spread.maxSkew);
  let worst = { replicas: facts.range.min, lost: 0, utilization: -1 };
  for (let replicas = facts.range.min; replicas < facts.range.max; replicas++) {
    const lost = Math.min(replicas, before);
    const utilization = survivorUtilization(facts.target, replicas, lost);
    if (utilization > worst.utilization) worst = { replicas, lost, utilization };
  }
  const skew = {
    ok: true,
    found: `without rebalancing: scaling down from ${facts.range.max} (${before} in the fullest zone) to ${worst.replicas} can leave ${worst.lost} in one zone; ` +
      `losing it leaves ${worst.replicas - worst.lost}/${worst.replicas}: ${facts.target}% x ${1 + HPA_TOLERANCE} / ${((worst.replicas - worst.lost) / worst.replicas).toFixed(3)} = ${percent(worst.utilization)} of requests`,
  };
  const clusters = context.clusters.map((cluster) => rebalancerCheck(cluster, workload));
  if (clusters.length === 0) {
    clusters.push({ ok: false, found: 'no platform stack in the input: no rebalancer can be shown', fix: 'pass the cloud assembly of the platform' });
  }
  return rowOf(h, [{ ...skew, ok: worst.utilization <= 100 || clusters.every((c) => c.ok) }, ...clusters]);
}
