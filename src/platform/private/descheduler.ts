import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IDependable } from 'constructs';
import { DESCHEDULER_CHART_REPOSITORY, DESCHEDULER_CHART_VERSION } from '../../versions';

/** The descheduler plugin that evicts pods breaking a hard topology spread, so the scheduler places them again. */
const SPREAD_PLUGIN = 'RemovePodsViolatingTopologySpreadConstraint';

/** Inputs of the descheduler. */
export interface DeschedulerProps {
  readonly cluster: eks.Cluster;
  readonly dependsOn: IDependable[];
}

/**
 * The rebalancer the zone spread needs: an HPA scale-down picks its victims
 * without looking at zones, so a 3/3/3 service can end 3/1/0 and then lose
 * most of its capacity with one zone. Every 5 minutes (shorter than the HPA's
 * 5-minute scale-down window, so skew from one step is gone before the next),
 * the descheduler evicts the pods above a DoNotSchedule spread's skew, within
 * their PodDisruptionBudgets, and the scheduler puts them back in the
 * emptiest zones. Nothing else runs: no LowNodeUtilization or duplicate
 * removal, which would fight Karpenter's consolidation.
 */
export class Descheduler extends Construct {
  constructor(scope: Construct, id: string, props: DeschedulerProps) {
    super(scope, id);
    const chart = props.cluster.addHelmChart('Descheduler', {
      chart: 'descheduler',
      repository: DESCHEDULER_CHART_REPOSITORY,
      version: DESCHEDULER_CHART_VERSION,
      namespace: 'kube-system',
      release: 'descheduler',
      wait: true,
      values: {
        // A long-running Deployment with two replicas and leader election, instead of the chart's CronJob: it keeps
        // rebalancing while a node of it is drained.
        kind: 'Deployment',
        replicas: 2,
        leaderElection: { enabled: true },
        deschedulingInterval: '5m',
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        deschedulerPolicyAPIVersion: 'descheduler/v1alpha2',
        deschedulerPolicy: {
          profiles: [{
            name: 'zone-spread',
            pluginConfig: [
              // As the chart's default: pods with emptyDir volumes (HaMicroservice's writable /tmp) may be evicted,
              // pods with persistent volumes may not. nodeFit: only evict a pod another node can take.
              { name: 'DefaultEvictor', args: { nodeFit: true, podProtections: { defaultDisabled: ['PodsWithLocalStorage'], extraEnabled: ['PodsWithPVC'] } } },
              { name: SPREAD_PLUGIN, args: { constraints: ['DoNotSchedule'] } },
            ],
            plugins: { balance: { enabled: [SPREAD_PLUGIN] } },
          }],
        },
      },
    });
    chart.node.addDependency(...props.dependsOn);
  }
}
