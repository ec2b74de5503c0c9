import { ReportContext } from './context';
import { SourcedObject } from './inputs';
import { NodeSource, SourceFit, nodeSources, sourceFits } from './node-sources';
import { ClusterStack } from './platform';
import { ZoneAffinity } from './pod-facts';
import { Check } from './row-builder';
import { Workload } from './workloads';
import { ZONE_TOPOLOGY_KEY } from '../../policy/spread';

/** A cluster the pods may run in and the zones they can use there (no cluster: the input has none with known zones). */
export interface ZoneCandidate {
  readonly cluster?: ClusterStack;
  readonly zones: string[];
  /** The cluster's zones the pods' zone affinity allows, before the node sources are matched. */
  readonly allowed?: string[];
  /** What each NodePool and managed node group of the cluster offers the pods (empty: none is known, the subnets' zones count). */
  readonly fits?: SourceFit[];
}

/** Where a workload's pods can run: the candidate clusters, why those, and what stops them running anywhere. */
export interface Placement {
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
export function placement(context: ReportContext, workload: Workload, affinity: ZoneAffinity): Placement {
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

