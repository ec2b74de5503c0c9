import { fullestZone, survivingShare, thinnestZone } from '../../../policy/autoscaling';
import { POD_TEMPLATE_HASH, ZONE_TOPOLOGY_KEY, sameZoneWorstUtilization } from '../../../policy/spread';
import { ReportRow } from '../../report-row';
import { ReportContext } from '../context';
import { survivorUtilization } from '../hpa-tolerance';
import { ZoneCandidate } from '../placement';
import { Check, percent, rowOf } from '../row-builder';
import { Workload } from '../workloads';
import { SAME_ZONE_VALUES } from './same-zone';
import { ZoneFacts, computable, selectorText, zoneFacts, zoneRowHeader as header } from '../zone-facts';

/**
 * What keeps the HPA scaling the Deployment: one autoscaler (two HPAs, or an
 * HPA and a KEDA ScaledObject, which makes one, leave each with ScalingActive
 * False, AmbiguousSelector: neither scales), no spec.replicas beside it (0
 * disables it; any other count is written back on every apply or Argo CD
 * sync), and a scale-up that is not Disabled.
 */
function autoscalingChecks(workload: Workload): Check[] {
  const checks: Check[] = [];
  const names = workload.autoscalers.map((a) => `${a.kind}/${a.metadata.name}`);
  const deployment = `Deployment/${workload.deployment.object.metadata.name}`;
  if (workload.autoscalers.length > 1) {
    checks.push({
      ok: false,
      found: `${names.join(' and ')} all scale ${deployment}${workload.autoscalers.some((a) => a.kind === 'ScaledObject') ? ' (KEDA makes an HPA of each ScaledObject)' : ''}: ` +
        'the HPA controller finds several HPAs for the same pods, sets ScalingActive False (AmbiguousSelector) on each, and none scales',
      fix: `keep one autoscaler on ${deployment}: put every metric into one HPA, or drive them all from one ScaledObject`,
    });
  }
  const hpa = workload.horizontalPodAutoscaler;
  const replicas = workload.deployment.object.spec?.replicas;
  if (hpa && replicas !== undefined && replicas !== null) {
    checks.push({
      ok: false,
      found: replicas === 0
        ? `${deployment} sets spec.replicas 0 beside HorizontalPodAutoscaler/${hpa.metadata.name}: the HPA is disabled (ScalingActive False, ScalingDisabled) and the service runs no pods`
        : `${deployment} sets spec.replicas ${replicas} beside HorizontalPodAutoscaler/${hpa.metadata.name}: every kubectl apply or Argo CD sync resets the HPA's count to ${replicas}, ` +
          'removing the headroom the HPA added until it reacts',
      fix: `remove spec.replicas from ${deployment} (HaMicroservice omits it)`,
    });
  }
  if (hpa?.spec?.behavior?.scaleUp?.selectPolicy === 'Disabled') {
    checks.push({
      ok: false,
      found: `HorizontalPodAutoscaler/${hpa.metadata.name} behavior.scaleUp.selectPolicy Disabled: it never scales up, so nothing bounds the load each replica gets`,
      fix: `remove selectPolicy: Disabled from behavior.scaleUp of HorizontalPodAutoscaler/${hpa.metadata.name}`,
    });
  }
  return checks;
}


/** The zones the pods can use in each candidate cluster, and where they come from. */
function zonesCheck(facts: ZoneFacts): Check {
  const where = facts.placement;
  if (where.nowhere) return where.nowhere;
  const allowed = facts.affinity.restriction ?? 'the pods allow any zone';
  if (where.candidates.length === 0) {
    return {
      ok: false,
      found: `no zone known: the pods name none (${allowed}) and no cluster with known zones is in the input`,
      fix: `restrict the pods to at least 2 named zones (node affinity on ${ZONE_TOPOLOGY_KEY}) or pass the cloud assembly of the platform that runs them`,
    };
  }
  const list = (zones: string[]) => `${zones.length}${zones.length > 0 ? ` (${zones.join(', ')})` : ''}`;
  const describe = (c: ZoneCandidate) => c.cluster
    ? `${c.cluster.stack.name}'s subnets are in ${c.cluster.zones.join(', ')}, of which ${allowed} allows ${list(c.allowed ?? c.zones)}`
    : `${allowed} allows ${list(c.zones)}`;
  const stranded = where.candidates.filter((c) =>
    (c.allowed ?? []).length > 0 && (c.fits ?? []).length > 0 && c.fits!.every((f) => f.zones.length === 0));
  if (stranded.length > 0) {
    return {
      ok: false,
      found: `zones from ${where.why}: ${stranded.map((c) => `no NodePool or node group of ${c.cluster!.stack.name} can run the pods ` +
        `(${c.fits!.map((f) => `${f.source.name}: ${f.why}`).join('; ')}): Karpenter finds them compatible with no NodePool and they stay Pending for ever`).join('; ')}`,
      fix: `make the pods' node affinity, nodeSelector and tolerations fit a NodePool of ${stranded.map((c) => c.cluster!.stack.name).join(', ')}, ` +
        'or add a NodePool that offers what they require',
    };
  }
  const short = where.candidates.filter((c) => c.zones.length < 2);
  const fewest = where.candidates.length > 1 ? `; the fewest, ${facts.worst!.zones.length}, count` : '';
  return {
    ok: short.length === 0,
    found: `zones from ${where.why}: ${where.candidates.map(describe).join('; ')}${fewest}` +
      where.candidates.filter((c) => c.cluster && (c.allowed ?? []).length > 0).map((c) => `; ${nodesText(c)}`).join(''),
    fix: short.map((c) => c.cluster
      ? `make the node affinity on ${ZONE_TOPOLOGY_KEY} allow at least 2 of ${c.cluster.stack.name}'s zones (${c.cluster.zones.join(', ')})`
      : `allow at least 2 zones in the node affinity on ${ZONE_TOPOLOGY_KEY}`).join('; '),
  };
}

/** Which node sources the zones come from, and why the others do not count. */
function nodesText(c: ZoneCandidate): string {
  const fits = c.fits ?? [];
  const cluster = c.cluster!.stack.name;
  if (fits.length === 0) return `${cluster} has no NodePool or managed node group in the input, so its subnets' zones count`;
  const running = fits.filter((f) => f.zones.length > 0);
  const others = fits.filter((f) => f.zones.length === 0);
  return `in ${cluster}, nodes that take the pods come from ${running.map((f) => `${f.source.name} (${f.zones.join(', ')})`).join(', ')}` +
    `${others.length > 0 ? `, not ${others.map((f) => `${f.source.name} (${f.why})`).join(', ')}` : ''}: ${c.zones.length} zone(s) usable` +
    `${c.zones.length > 0 ? ` (${c.zones.join(', ')})` : ''}`;
}


/**
 * Zone loss: for every replica count the HPA can settle on, the share that
 * survives losing the fullest zone under the emitted spread, and the CPU
 * utilisation the survivors then carry, which must stay within 100% of their
 * requests.
 */
export function zoneLossRow(context: ReportContext, workload: Workload): ReportRow {
  const facts = zoneFacts(context, workload);
  const subnets = facts.placement.candidates.flatMap((c) => (c.cluster ? [c.cluster.subject] : []));
  const base = header(workload, 'zone-loss', 'After losing any one zone, the surviving replicas carry the whole load within their CPU requests');
  const h = subnets.length > 0 ? { ...base, evidence: `${base.evidence}; zones from the subnets of ${subnets.join(', ')}` } : base;
  const checks: Check[] = [zonesCheck(facts)];
  const zones = facts.worst?.zones.length;
  const spread = facts.spread;
  const rejected = facts.rejected.map((r) => `a DoNotSchedule zone constraint does not count: ${r.why}`);
  if (!spread) {
    checks.push({
      ok: false,
      found: [...rejected, `no DoNotSchedule spread on ${ZONE_TOPOLOGY_KEY} selects these pods: every replica may land in one zone (0% survive its loss)`].join('; '),
      fix: rejected.length > 0
        ? `make the zone constraint's labelSelector select these pods alone (matchLabels ${selectorText({ matchLabels: workload.deployment.object.spec?.selector?.matchLabels ?? workload.podLabels })}, with matchLabelKeys: [${POD_TEMPLATE_HASH}])`
        : `add a topologySpreadConstraint on ${ZONE_TOPOLOGY_KEY} with maxSkew 1 and whenUnsatisfiable DoNotSchedule (HaMicroservice does)`,
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
    // With Ignore, zones the node affinity excludes still count as domains: they hold 0 pods and cap every other zone at maxSkew.
    const excluded = facts.placement.candidates.filter((c) => c.cluster && c.zones.length > 0 && c.zones.length < c.cluster.zones.length);
    if (spread.nodeAffinityPolicy === 'Ignore' && excluded.length > 0) {
      checks.push({
        ok: false,
        found: `nodeAffinityPolicy Ignore: ${excluded.map((c) => `${c.cluster!.zones.filter((z) => !c.zones.includes(z)).join(', ')} of ${c.cluster!.stack.name}`).join('; ')} ` +
          `still count as zones with no pod, so every zone the pods use is capped at maxSkew (${spread.maxSkew}) pods and the rest stay Pending`,
        fix: 'set nodeAffinityPolicy: Honor (the default) on the zone constraint',
      });
    }
    if (rejected.length > 0) checks.push({ ok: true, found: rejected.join('; ') });
  }
  if (facts.target === undefined) {
    checks.push({
      ok: false,
      found: facts.range.autoscaled ? 'the HPA has no CPU utilisation target' : `a fixed ${facts.range.min} replicas with no utilisation target: nothing bounds the load each survivor gets`,
      fix: 'autoscale on CPU utilisation with a target at or below the static-stability bound (HaMicroservice computes it)',
    });
  } else if (facts.withoutCpuRequest.length > 0) {
    const hpa = workload.horizontalPodAutoscaler!.metadata.name;
    checks.push({
      ok: false,
      found: `HorizontalPodAutoscaler/${hpa} targets ${facts.target}% CPU utilisation, but container(s) ${facts.withoutCpuRequest.join(', ')} set no resources.requests.cpu: ` +
        'the HPA cannot compute utilisation (FailedGetResourceMetric: missing request for cpu) and does not scale on CPU, so nothing bounds the survivors\' load',
      fix: `set resources.requests.cpu on container(s) ${facts.withoutCpuRequest.join(', ')} (the HPA divides CPU usage by the pod's summed requests)`,
    });
  }
  checks.push(...autoscalingChecks(workload));
  if (computable(facts)) {
    const target = facts.target!;
    const n = zones!;
    const tolerance = facts.tolerance.value;
    const factor = +(1 + tolerance).toFixed(4);
    if (facts.tolerance.found) checks.push({ ok: true, found: facts.tolerance.found });
    let worst = { replicas: facts.range.min, share: 0, utilization: -1 };
    for (let replicas = facts.range.min; replicas <= facts.range.max; replicas++) {
      const share = spread ? survivingShare(replicas, n, spread.maxSkew) : 0;
      const utilization = survivorUtilization(target, share, tolerance);
      if (utilization > worst.utilization) worst = { replicas, share, utilization };
    }
    const lost = spread ? fullestZone(worst.replicas, n, spread.maxSkew) : worst.replicas;
    const sameZone = workload.services.filter((service) => SAME_ZONE_VALUES.includes(service.spec?.trafficDistribution));
    if (sameZone.length > 0) {
      // Same-zone routing gives each zone 1/N of the calls whatever its replica count: the thinnest zone sets the load.
      // Without a spread every replica may share one zone: the others then have none.
      const skew = spread?.maxSkew ?? Infinity;
      const routed = sameZoneWorstUtilization(n, facts.range.min, facts.range.max, target, skew, tolerance);
      const thinnest = thinnestZone(routed.replicas, n, skew);
      checks.push({
        ok: routed.utilization <= 100,
        found: `Service/${sameZone[0].metadata.name} keeps calls in their zone: at ${routed.replicas} replicas the thinnest zone has ${thinnest}` +
          `${spread ? (spread.maxSkew !== 1 ? ` (maxSkew ${spread.maxSkew})` : '') : ' (no zone spread)'}, ` +
          `and after a zone loss its pods carry 1/${n - 1} of the calls: ${target}% x ${factor} x ${routed.replicas} / ` +
          `(${n - 1} x ${thinnest}) = ${percent(routed.utilization)} of requests (callers spread evenly over the zones that are up)`,
        fix: `remove trafficDistribution from Service/${sameZone[0].metadata.name}, or lower the CPU target to ` +
          `${Math.floor((100 * target) / routed.utilization)}%`,
      });
    }
    checks.push({
      ok: worst.utilization <= 100,
      found: `worst over ${facts.range.min}-${facts.range.max} replicas: ${worst.replicas} with ${lost} in the fullest zone` +
        `${spread && spread.maxSkew !== 1 ? ` (maxSkew ${spread.maxSkew})` : ''}, ` +
        `${worst.replicas - lost}/${worst.replicas} = ${percent(worst.share * 100)} survive; ${target}% x ${factor} / ${worst.share.toFixed(3)} = ` +
        `${percent(worst.utilization)} of requests`,
      fix: `lower the CPU target to ${Math.floor((100 * worst.share) / (1 + tolerance))}% or raise minReplicas`,
    });
  }
  return rowOf(h, checks);
}

