import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IDependable } from 'constructs';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TOLERATIONS } from './system-nodes';
import { softZoneSpread } from '../../policy/spread';
import { DESCHEDULER_CHART_REPOSITORY, DESCHEDULER_CHART_VERSION } from '../../versions';

const NAMESPACE = 'kube-system';
const RELEASE = 'descheduler';

/** The one plugin the descheduler runs: it restores the zone spread that an HPA scale-down leaves uneven. */
const TOPOLOGY_SPREAD_PLUGIN = 'RemovePodsViolatingTopologySpreadConstraint';

/**
 * How often the descheduler looks for a broken spread: the HPA's scale-down
 * stabilisation window (300 s), so a skew a scale-down leaves behind lasts
 * about as long as the HPA waits before scaling down again. Each pass evicts
 * at most one pod per service (its PDB refuses another until the replacement
 * is Ready), and a replacement can take a minute or two (a node from
 * Karpenter): a much shorter interval would mostly find the PDBs closed and
 * cost API calls, a much longer one leaves a zone thin for longer.
 */
const DESCHEDULING_INTERVAL = '5m';

/** Inputs of the descheduler installation. */
export interface DeschedulerProps {
  readonly cluster: eks.Cluster;
  readonly dependsOn: IDependable[];
}

/**
 * The Kubernetes descheduler, as a rebalancer of zone spreads. Topology
 * spread constraints hold when pods are placed, not when they are removed: an
 * HPA scale-down picks its victims without looking at zones and can leave 3/1/0
 * replicas, after which losing the fullest zone overloads the survivors. Every
 * five minutes the descheduler evicts, through the eviction API (so within each
 * PodDisruptionBudget), the fewest pods that bring hard (DoNotSchedule) zone
 * spreads back within their maxSkew; the scheduler places their replacements
 * where the spread needs them.
 *
 * Only that plugin runs: the chart's default profile would also evict for
 * duplicates, node utilisation, restarts, taints and affinities, which
 * Karpenter's consolidation and the kubelet already handle, and whose churn
 * nothing here asks for. Two replicas with leader election on the system
 * nodes, spread over zones: one keeps working when a node or a zone is lost.
 */
export class Descheduler extends Construct {
  public readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: DeschedulerProps) {
    super(scope, id);
    // Value names: the chart's values.yaml and templates (deployment, configmap, clusterrole) at tag
    // descheduler-helm-chart-0.36.0; policy fields: the README and pkg/api/v1alpha2 at v0.36.0 (checked 2026-12-02).
    this.chart = props.cluster.addHelmChart('Descheduler', {
      chart: 'descheduler',
      repository: DESCHEDULER_CHART_REPOSITORY,
      version: DESCHEDULER_CHART_VERSION,
      namespace: NAMESPACE,
      release: RELEASE,
      wait: true,
      values: {
        // A long-running Deployment with a standby replica: the chart's default CronJob starts one pod per run, and no
        // run happens while no node can take that pod.
        kind: 'Deployment',
        replicas: 2,
        // The chart refuses more than one replica without it: only the leader evicts.
        leaderElection: { enabled: true },
        deschedulingInterval: DESCHEDULING_INTERVAL,
        // The chart asks for 500m CPU per replica; the descheduler idles between passes, and the system nodes are small.
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        nodeSelector: { ...SYSTEM_NODE_LABELS },
        tolerations: SYSTEM_NODE_TOLERATIONS,
        topologySpreadConstraints: softZoneSpread({ 'app.kubernetes.io/name': RELEASE }),
        deschedulerPolicy: {
          // A list replaces the chart's default profile (and its other plugins) as a whole.
          profiles: [{
            name: 'zone-spread',
            pluginConfig: [
              {
                name: 'DefaultEvictor',
                args: {
                  podProtections: {
                    // HaMicroservice pods mount emptyDir scratch space (writablePaths), which the default protection
                    // of pods with local storage would exempt: they are stateless, and their scratch data is disposable.
                    defaultDisabled: ['PodsWithLocalStorage'],
                    // A pod with a PersistentVolumeClaim is tied to its EBS volume's zone: moving it cannot fix a zone spread.
                    extraEnabled: ['PodsWithPVC'],
                  },
                },
              },
              {
                name: TOPOLOGY_SPREAD_PLUGIN,
                args: {
                  // Hard constraints only (HaMicroservice's zone spread); its soft per-node spread is a preference.
                  constraints: ['DoNotSchedule'],
                  // Evict only a pod some existing node can take where the spread needs it, so a rebalance never
                  // turns into a Pending pod (a zone out of capacity, kubernetes/kubernetes#116978).
                  topologyBalanceNodeFit: true,
                },
              },
            ],
            plugins: { balance: { enabled: [TOPOLOGY_SPREAD_PLUGIN] } },
          }],
        },
      },
    });
    this.chart.node.addDependency(...props.dependsOn);
  }
}
