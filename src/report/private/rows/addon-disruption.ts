import { ReportRow, Requirement } from '../../report-row';
import { ClusterStack } from '../platform';
import { Check, rowOf } from '../row-builder';
import { allowedEvictions, DO_NOT_DISRUPT } from './disruption';

/**
 * A workload a Helm chart renders, read from the release's values with the
 * chart's own defaults (values.yaml at the pinned version; checked
 * 2026-12-02 against the nearest tags the public repositories hold:
 * karpenter 1.14.1, aws-load-balancer-controller 3.5.0, external-secrets
 * 2.9.0, external-dns 1.21.1, velero 12.1.0, istio 1.30.3, argo-cd 10.1.1
 * with redis-ha 4.38.0, descheduler 0.36.0).
 */
interface ChartComponent {
  readonly chart: string;
  readonly component: string;
  readonly replicas: (values: any) => number;
  /** The PodDisruptionBudget spec the chart renders, if any. */
  readonly budget: (values: any, replicas: number) => any | undefined;
  readonly podAnnotations: (values: any) => { [key: string]: string };
  /** Why the component needs neither a budget nor do-not-disrupt, and what an eviction costs it. */
  readonly whyNoBudget?: string;
}

const get = (values: any, path: string): any => path.split('.').reduce((v, key) => (v === undefined || v === null ? undefined : v[key]), values);
const filled = (spec: any) => (spec && Object.keys(spec).length > 0 ? spec : undefined);
const enabledBudget = (spec: any) => (spec?.enabled
  ? { minAvailable: spec.minAvailable ?? (spec.maxUnavailable === undefined ? 1 : undefined), maxUnavailable: spec.maxUnavailable } : undefined);
/** Argo CD's `<component>.pdb`: enabled without a value, the chart renders minAvailable 0. */
const argoBudget = (spec: any) => (spec?.enabled
  ? { minAvailable: spec.minAvailable ?? (spec.maxUnavailable === undefined ? 0 : undefined), maxUnavailable: spec.maxUnavailable } : undefined);
const argoAnnotations = (component: string) => (v: any) => ({ ...(get(v, 'global.podAnnotations') ?? {}), ...(get(v, `${component}.podAnnotations`) ?? {}) });

const COMPONENTS: ChartComponent[] = [
  {
    chart: 'karpenter',
    component: 'karpenter controller',
    replicas: (v) => v.replicas ?? 2,
    budget: (v) => ({ maxUnavailable: 1, ...(v.podDisruptionBudget ?? {}) }),
    podAnnotations: (v) => v.podAnnotations ?? {},
  },
  {
    chart: 'aws-load-balancer-controller',
    component: 'aws-load-balancer-controller',
    replicas: (v) => v.replicaCount ?? 2,
    budget: (v, replicas) => (replicas > 1 ? filled(v.podDisruptionBudget) : undefined),
    podAnnotations: (v) => v.podAnnotations ?? {},
  },
  ...['', 'webhook.', 'certController.'].map((prefix): ChartComponent => ({
    chart: 'external-secrets',
    component: `external-secrets ${prefix ? prefix.slice(0, -1) : 'controller'}`,
    replicas: (v) => get(v, `${prefix}replicaCount`) ?? 1,
    budget: (v) => enabledBudget(get(v, `${prefix}podDisruptionBudget`)),
    podAnnotations: (v) => get(v, `${prefix}podAnnotations`) ?? get(v, 'global.podAnnotations') ?? {},
  })),
  {
    chart: 'external-dns',
    component: 'external-dns',
    replicas: () => 1,
    budget: () => undefined,
    podAnnotations: (v) => v.podAnnotations ?? {},
    whyNoBudget: 'ExternalDNS has no leader election and runs one replica; it reconciles every record each minute, so an eviction delays a DNS change and drops no request',
  },
  {
    chart: 'velero',
    component: 'velero server',
    replicas: () => 1,
    budget: (v) => enabledBudget(v.podDisruptionBudget),
    podAnnotations: (v) => v.podAnnotations ?? {},
    // Its podAnnotations also reach the node-agent DaemonSet on every node, so do-not-disrupt there would stop all consolidation.
    whyNoBudget: 'the chart runs one Velero server (no replicas value) and shares its pod annotations with the node agents on every node; ' +
      'an eviction during a backup fails that backup and the next scheduled run takes it again, one interval later (the RPO must allow one missed run)',
  },
  {
    chart: 'istiod',
    component: 'istiod',
    replicas: (v) => (v.autoscaleEnabled === false ? v.replicaCount ?? 1 : v.autoscaleMin ?? 1),
    budget: (v, replicas) => (replicas > 1 && get(v, 'global.defaultPodDisruptionBudget.enabled') !== false ? { minAvailable: get(v, 'pdb.minAvailable') ?? 1 } : undefined),
    podAnnotations: (v) => v.podAnnotations ?? {},
  },
  {
    chart: 'argo-cd',
    component: 'argocd application controller',
    replicas: (v) => get(v, 'controller.replicas') ?? 1,
    budget: (v) => argoBudget(get(v, 'controller.pdb')),
    podAnnotations: argoAnnotations('controller'),
  },
  ...['server', 'repoServer', 'applicationSet'].map((component): ChartComponent => ({
    chart: 'argo-cd',
    component: `argocd ${component}`,
    replicas: (v) => get(v, `${component}.replicas`) ?? 1,
    budget: (v) => argoBudget(get(v, `${component}.pdb`)),
    podAnnotations: argoAnnotations(component),
  })),
  ...['dex', 'notifications'].map((component): ChartComponent => ({
    chart: 'argo-cd',
    component: `argocd ${component}`,
    replicas: (v) => (get(v, `${component}.enabled`) === false ? 0 : 1),
    budget: (v) => argoBudget(get(v, `${component}.pdb`)),
    podAnnotations: argoAnnotations(component),
  })),
  {
    chart: 'argo-cd',
    component: 'argocd redis-ha server',
    replicas: (v) => (get(v, 'redis-ha.enabled') ? get(v, 'redis-ha.replicas') ?? 3 : 0),
    budget: (v) => filled(get(v, 'redis-ha.podDisruptionBudget')),
    podAnnotations: (v) => get(v, 'redis-ha.redis.podAnnotations') ?? {},
  },
  {
    chart: 'argo-cd',
    component: 'argocd redis-ha haproxy',
    replicas: (v) => (get(v, 'redis-ha.enabled') && get(v, 'redis-ha.haproxy.enabled') !== false ? get(v, 'redis-ha.haproxy.replicas') ?? 3 : 0),
    budget: (v) => filled(get(v, 'redis-ha.haproxy.podDisruptionBudget')),
    podAnnotations: (v) => get(v, 'redis-ha.haproxy.podAnnotations') ?? {},
  },
  {
    chart: 'descheduler',
    component: 'descheduler',
    replicas: (v) => (v.kind === 'Deployment' ? v.replicas ?? 1 : 0),
    budget: () => undefined,
    podAnnotations: (v) => v.podAnnotations ?? {},
    whyNoBudget: 'the descheduler only evicts pods that break a spread; evicting its replicas pauses rebalancing until one restarts and drops no request',
  },
];

/**
 * The Deployments of the EKS managed add-ons, read from their configuration
 * values with the add-on's own defaults. Defaults from the add-ons'
 * configuration schemas (`aws eks describe-addon-configuration`, as
 * mirrored by plumdog/eks-addon-configuration: coredns v1.14.7-eksbuild.10,
 * metrics-server v0.9.0-eksbuild.6, aws-ebs-csi-driver v1.65.0-eksbuild.1,
 * snapshot-controller v8.6.0-eksbuild.4, nearest to the pins of
 * src/versions.ts; checked 2026-12-02) and the EKS user guide (CoreDNS: two
 * replicas). `chart` holds the add-on name.
 */
/** An add-on's `podDisruptionBudget` values: on unless disabled, maxUnavailable 1 unless set otherwise. */
const addonBudget = (spec: any) => (spec?.enabled === false ? undefined
  : { maxUnavailable: spec?.maxUnavailable ?? (spec?.minAvailable === undefined ? 1 : undefined), minAvailable: spec?.minAvailable });

const MANAGED_COMPONENTS: ChartComponent[] = [
  {
    chart: 'coredns',
    component: 'CoreDNS',
    replicas: (v) => (v.autoScaling?.enabled ? v.autoScaling.minReplicas ?? 2 : v.replicaCount ?? 2),
    budget: (v) => addonBudget(v.podDisruptionBudget),
    podAnnotations: (v) => v.podAnnotations ?? {},
  },
  {
    chart: 'metrics-server',
    component: 'metrics-server',
    replicas: (v) => v.replicas ?? 2,
    budget: (v) => addonBudget(v.podDisruptionBudget),
    podAnnotations: (v) => v.podAnnotations ?? {},
  },
  {
    chart: 'aws-ebs-csi-driver',
    component: 'EBS CSI controller',
    replicas: (v) => v.controller?.replicaCount ?? 2,
    // The chart renders maxUnavailable 1 up to 2 replicas and minAvailable 2 above.
    budget: (v, replicas) => (v.controller?.podDisruptionBudget?.enabled === false ? undefined
      : v.controller?.podDisruptionBudget?.maxUnavailable !== undefined || v.controller?.podDisruptionBudget?.minAvailable !== undefined
        ? { maxUnavailable: v.controller.podDisruptionBudget.maxUnavailable, minAvailable: v.controller.podDisruptionBudget.minAvailable }
        : replicas <= 2 ? { maxUnavailable: 1 } : { minAvailable: 2 }),
    podAnnotations: (v) => v.controller?.podAnnotations ?? {},
  },
  {
    chart: 'snapshot-controller',
    component: 'snapshot-controller',
    replicas: () => 1,
    budget: () => undefined,
    podAnnotations: (v) => v.podAnnotations ?? {},
    whyNoBudget: 'its replica count on EKS is not published (no replicas key; the schema renders a budget of maxUnavailable 1); while it restarts, ' +
      'VolumeSnapshots wait and nothing running is affected',
  },
  {
    chart: 'amazon-cloudwatch-observability',
    component: 'CloudWatch agent operator',
    replicas: () => 1,
    budget: () => undefined,
    podAnnotations: () => ({}),
    whyNoBudget: 'one operator replica whose webhook fails open (failurePolicy Ignore): while it restarts, new pods start uninstrumented and none is blocked; ' +
      'its agents are DaemonSets on every node',
  },
];

/** EKS managed add-ons that run only DaemonSets: each node's pod leaves with its node, so a drain moves nothing to protect. */
const NODE_LOCAL_ADDONS = new Set(['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent', 'eks-node-monitoring-agent']);

/** Charts whose workloads are node-local DaemonSets (or none): a drain moves nothing to protect. */
const NODE_LOCAL_CHARTS = new Set(['base', 'cni', 'ztunnel', 'karpenter-crd']);

function componentCheck(release: { logicalId: string; values: any }, component: ChartComponent, valuesName: string): Check | undefined {
  const replicas = component.replicas(release.values);
  if (replicas === 0) return undefined;
  const where = `${release.logicalId} ${component.component}`;
  if (component.whyNoBudget) return { ok: true, found: `${where}: ${replicas} replica(s), no budget needed: ${component.whyNoBudget}` };
  if (replicas >= 2) {
    const budget = component.budget(release.values, replicas);
    const allowed = budget ? allowedEvictions(budget, replicas) : replicas;
    return {
      ok: budget !== undefined && allowed >= 1 && replicas - allowed >= 1,
      found: `${where}: ${replicas} replicas, ${budget ? `budget ${JSON.stringify(budget)} allows ${allowed}, keeps ${replicas - allowed}` : 'no PodDisruptionBudget: a drain may evict them all at once'}`,
      fix: `give ${component.component} a PodDisruptionBudget with maxUnavailable 1 in ${valuesName}`,
    };
  }
  const annotated = component.podAnnotations(release.values)[DO_NOT_DISRUPT] === 'true';
  return {
    ok: annotated,
    found: `${where}: 1 replica${annotated ? `, ${DO_NOT_DISRUPT}: Karpenter does not interrupt its work` : `, neither a second replica nor ${DO_NOT_DISRUPT}`}`,
    fix: `run 2 replicas with a budget, or annotate ${component.component}'s pods ${DO_NOT_DISRUPT}: "true"`,
  };
}

/**
 * The platform's own add-ons, Helm charts and EKS managed add-ons, survive
 * voluntary disruption: each component with several replicas has a budget
 * that lets a drain take one and keeps one; a single replica is not
 * interrupted by Karpenter mid-work, unless its restart is harmless.
 */
export function addonDisruptionRow(cluster: ClusterStack): ReportRow {
  const checks: Check[] = [];
  const judge = (
    source: { logicalId: string; values: any }, name: string, kind: string, table: ChartComponent[], nodeLocal: Set<string>, valuesName: string,
  ) => {
    if (nodeLocal.has(name)) return;
    const components = table.filter((c) => c.chart === name);
    if (components.length === 0) {
      checks.push({
        ok: false,
        found: `${source.logicalId}: ${kind} ${name} is not modelled, so its replicas and budgets cannot be shown`,
        fix: `add ${name}'s components to the report's tables (src/report/private/rows/addon-disruption.ts)`,
      });
      return;
    }
    for (const component of components) {
      const check = componentCheck(source, component, valuesName);
      if (check) checks.push(check);
    }
  };
  for (const release of cluster.helmReleases) judge(release, release.chart, 'chart', COMPONENTS, NODE_LOCAL_CHARTS, `the ${release.chart} chart values`);
  for (const addon of cluster.managedAddons) {
    judge(addon, addon.name, 'EKS add-on', MANAGED_COMPONENTS, NODE_LOCAL_ADDONS, `the ${addon.name} add-on's configurationValues`);
  }
  return rowOf({
    id: 'addon-disruption',
    requirement: Requirement.FAULT_TOLERANCE,
    claim: 'The platform\'s own add-ons survive drains and Karpenter consolidation',
    subject: cluster.stack.name,
    evidence: `${cluster.helmReleases.length} Custom::AWSCDK-EKS-HelmChart, ${cluster.managedAddons.length} AWS::EKS::Addon (${cluster.stack.templatePath})`,
  }, checks);
}
