import { HPA_TOLERANCE, fullestZone, survivingShare, thinnestZone } from '../../../policy/autoscaling';
import { POD_TEMPLATE_HASH, ZONE_TOPOLOGY_KEY, sameZoneWorstUtilization } from '../../../policy/spread';
import { ReportRow, Requirement } from '../../report-row';
import { ReportContext } from '../context';
import { KubeObject, SourcedObject } from '../inputs';
import { NodeSource, SourceFit, nodeSources, sourceFits } from '../node-sources';
import { ClusterStack, helmRelease } from '../platform';
import { ZoneAffinity, containersWithoutCpuRequest, cpuTarget, replicaRange, spreadConstraints, zoneAffinity } from '../pod-facts';
import { durationSeconds } from '../quantities';
import { Check, notApplicable, percent, rowOf } from '../row-builder';
import { LabelSelector, selects } from '../selectors';
import { Workload } from '../workloads';
import { SAME_ZONE_VALUES } from './same-zone';

/** The rebalancer the report recognises: the descheduler's plugin that evicts pods breaking a hard spread. */
export const DESCHEDULER_CHART = 'descheduler';
export const SPREAD_PLUGIN = 'RemovePodsViolatingTopologySpreadConstraint';

/** CPU utilisation the survivors carry after a zone loss that leaves `share` of the replicas: target x (1 + tolerance) / share. */
export function survivorUtilization(target: number, share: number, tolerance: number = HPA_TOLERANCE): number {
  return share <= 0 ? Infinity : (target * (1 + tolerance)) / share;
}

/**
 * The first Kubernetes version whose HPAs honour a per-HPA tolerance by
 * default: HPAConfigurableTolerance (KEP-4951) is alpha in 1.33 and beta, on
 * by default, in 1.35 (the v1.35 API reference of HPAScalingRules.tolerance).
 * With the gate off the API server drops the field and the controller's 0.1
 * applies.
 */
const CONFIGURABLE_TOLERANCE_VERSION = [1, 35];

/** A tolerance quantity ("0.05", "50m", 0.5) as a fraction; undefined when unset or not a quantity. */
function toleranceOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value >= 0 ? value : undefined;
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)(m?)$/.exec(value) : null;
  return match ? Number(match[1]) / (match[2] === 'm' ? 1000 : 1) : undefined;
}

/** Whether a cluster's Kubernetes version (AWS::EKS::Cluster Version) honours a per-HPA tolerance by default. */
function honoursTolerance(cluster: ClusterStack): boolean {
  const version = cluster.stack.template.Resources?.[cluster.clusterLogicalId]?.Properties?.Version;
  const [major, minor] = typeof version === 'string' ? version.split('.').map(Number) : [];
  const [wantMajor, wantMinor] = CONFIGURABLE_TOLERANCE_VERSION;
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

/** How far above its target the HPA lets usage sit before it scales up, and where that comes from. */
export interface ScaleUpTolerance {
  readonly value: number;
  readonly found?: string;
}

/**
 * The HPA's scale-up tolerance: behavior.scaleUp.tolerance where every
 * cluster that runs the pods honours it, else the controller's 0.1 (a larger
 * tolerance is taken even then, since it may be honoured).
 */
export function scaleUpTolerance(hpa: KubeObject | undefined, clusters: ClusterStack[]): ScaleUpTolerance {
  const set = toleranceOf(hpa?.spec?.behavior?.scaleUp?.tolerance);
  if (set === undefined) return { value: HPA_TOLERANCE };
  const honoured = clusters.length > 0 && clusters.every(honoursTolerance);
  const value = honoured ? set : Math.max(set, HPA_TOLERANCE);
  return {
    value,
    found: `HorizontalPodAutoscaler/${hpa!.metadata.name} behavior.scaleUp.tolerance ${set}` +
      (honoured ? ` replaces the controller's ${HPA_TOLERANCE}` : `; ${value} counts, since not every cluster that runs the pods is known to run ` +
        `Kubernetes ${CONFIGURABLE_TOLERANCE_VERSION.join('.')}+, where HPAConfigurableTolerance is on by default`),
  };
}

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

/** A cluster the pods may run in and the zones they can use there (no cluster: the input has none with known zones). */
interface ZoneCandidate {
  readonly cluster?: ClusterStack;
  readonly zones: string[];
  /** The cluster's zones the pods' zone affinity allows, before the node sources are matched. */
  readonly allowed?: string[];
  /** What each NodePool and managed node group of the cluster offers the pods (empty: none is known, the subnets' zones count). */
  readonly fits?: SourceFit[];
}

/** Where a workload's pods can run: the candidate clusters, why those, and what stops them running anywhere. */
interface Placement {
  readonly candidates: ZoneCandidate[];
  readonly why: string;
  readonly nowhere?: Check;
}

const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** The platform's root Application: its repository is the GitOps repository the manifests are read from. */
const ROOT_APPLICATION = 'root';

/** A path as its directory components, without `.` and empty ones. */
const components = (path: string) => path.split(/[\\/]+/).filter((c) => c !== '' && c !== '.');

/**
 * The Git paths a cluster's own Argo CD Applications sync into it from the
 * GitOps repository (the root Application's repoURL). A source of another
 * repository (upstream CRDs, say) or a Helm chart (`chart`) holds nothing
 * read from the GitOps repository's directories, whatever its path.
 */
function syncedPaths(cluster: ClusterStack): string[][] {
  const applications = cluster.objects.map((o) => o.object)
    .filter((o) => o.kind === 'Application' && (o.spec?.destination?.server === IN_CLUSTER_SERVER || o.spec?.destination?.name === 'in-cluster'));
  const sourcesOf = (o: any): any[] => [o.spec?.source, ...(Array.isArray(o.spec?.sources) ? o.spec.sources : [])].filter((s) => s && typeof s === 'object');
  const root = applications.find((o) => o.metadata.name === ROOT_APPLICATION);
  const repositories = new Set((root ? sourcesOf(root) : []).map((s) => s.repoURL).filter((url) => typeof url === 'string'));
  return applications.flatMap(sourcesOf)
    .filter((source) => source.chart === undefined && (repositories.size === 0 || repositories.has(source.repoURL)))
    .map((source) => (typeof source.path === 'string' ? components(source.path) : []))
    .filter((path) => path.length > 0);
}

/** Whether a manifest's directory lies at or below a synced path, matched by whole directory components. */
function below(file: string, path: string[]): boolean {
  const directory = components(file).slice(0, -1);
  return directory.some((_, start) => path.every((c, i) => directory[start + i] === c));
}

/**
 * The clusters that apply a workload: the stack whose template holds it, or
 * the clusters whose Argo CD syncs the Git directory its manifest was read
 * from (or one below it, where the root Application's child Applications
 * point). Only clusters whose zones are known count.
 */
function applyingClusters(clusters: ClusterStack[], sourced: SourcedObject): Array<{ cluster: ClusterStack; how: string }> {
  return clusters.flatMap((cluster) => {
    if (cluster.stack.name === sourced.stack) return [{ cluster, how: `its template applies the ${sourced.object.kind}` }];
    const path = syncedPaths(cluster).find((p) => below(sourced.source, p));
    return path ? [{ cluster, how: `its Argo CD syncs ${path.join('/')}/, where the manifest was read` }] : [];
  });
}

/**
 * The NodePools and managed node groups of a cluster: its own, and the
 * NodePools of the manifests it applies (every cluster's, when no cluster is
 * known to apply them).
 */
export function clusterNodeSources(context: ReportContext, cluster: ClusterStack): NodeSource[] {
  const manifests = context.objects.filter((o) => o.stack === undefined && o.object.kind === 'NodePool');
  return nodeSources(cluster, manifests, (o) => {
    const applying = applyingClusters(context.clusters, o);
    return applying.length === 0 || applying.some((a) => a.cluster === cluster);
  });
}

/**
 * The clusters a workload's pods may run in, each with the zones they can
 * use there: the zones where a NodePool or managed node group of the cluster
 * can launch nodes that take the pods (their node affinity, nodeSelector and
 * tolerations against its requirements, labels and taints) or, where the
 * cluster has none in the input, the cluster's zones (from its subnets) that
 * the pods' node affinity allows. A cluster that applies the workload is the candidate;
 * otherwise pods that name their zones run in the clusters that have any of
 * them, and pods that name none in any cluster of the input.
 */
function placement(context: ReportContext, workload: Workload, affinity: ZoneAffinity): Placement {
  const known = context.clusters.filter((c) => c.zones.length > 0);
  const usable = (cluster: ClusterStack): ZoneCandidate => {
    const allowed = cluster.zones.filter(affinity.allows);
    const fits = sourceFits(clusterNodeSources(context, cluster), workload.podSpec);
    if (fits.length === 0) return { cluster, zones: allowed, allowed, fits };
    return { cluster, zones: [...new Set(fits.flatMap((f) => f.zones))].filter(affinity.allows).sort(), allowed, fits };
  };
  const applying = applyingClusters(known, workload.deployment);
  if (applying.length > 0) {
    return { candidates: applying.map((a) => usable(a.cluster)), why: applying.map((a) => `${a.cluster.stack.name} runs it (${a.how})`).join('; ') };
  }
  const named = affinity.named;
  if (named === undefined) {
    return { candidates: known.map(usable), why: 'the pods name no zones: they may run in any cluster of the input' };
  }
  if (known.length === 0) {
    return { candidates: [{ zones: named }], why: 'the pods\' node affinity alone (no cluster with known zones in the input)' };
  }
  const matching = known.filter((c) => c.zones.some((zone) => named.includes(zone)));
  const others = known.filter((c) => !matching.includes(c));
  const unknown = context.clusters.filter((c) => c.zones.length === 0);
  if (matching.length === 0 && unknown.length > 0) {
    return {
      candidates: [{ zones: named }],
      why: `the pods' node affinity (no cluster with known zones has them, and ${unknown.map((c) => c.stack.name).join(', ')} has subnets known only at deploy time)`,
    };
  }
  if (matching.length === 0) {
    const clusterZones = known.map((c) => `${c.stack.name} has ${c.zones.join(', ')}`).join('; ');
    return {
      candidates: [],
      why: 'no cluster of the input has a zone the pods name',
      nowhere: {
        ok: false,
        found: `the pods may run only in ${named.length > 0 ? named.join(', ') : 'no zone'} (${affinity.restriction ?? 'no node selector term'}), and no cluster of the input has any of them ` +
          `(${clusterZones}): they schedule in no cluster`,
        fix: `make the node affinity on ${ZONE_TOPOLOGY_KEY} allow the zones of the cluster that runs these pods ` +
          `(${known.map((c) => `${c.stack.name}: ${c.zones.join(', ')}`).join('; ')})`,
      },
    };
  }
  return {
    candidates: matching.map(usable),
    why: `the clusters with a zone the pods name${others.length > 0 ? ` (not ${others.map((c) => `${c.stack.name}, whose zones ${c.zones.join(', ')} the pods do not name`).join('; ')})` : ''}`,
  };
}

/** A hard zone constraint and why it does not spread these pods, if it does not. */
interface RejectedSpread {
  readonly constraint: any;
  readonly why: string;
}

const selectorText = (selector: LabelSelector) => [
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
const computable = (facts: ZoneFacts) => facts.worst !== undefined && facts.worst.zones.length >= 2 && facts.target !== undefined &&
  facts.withoutCpuRequest.length === 0;

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
