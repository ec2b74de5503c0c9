import { ReportRow } from '../../report-row';
import { ReportContext } from '../context';
import { addonDisruptionRow } from './addon-disruption';
import { albIngresses, clusterEvacuationRow, ingressEvacuationRow, nlbServices, serviceEvacuationRow, zonalEgressRow } from './az-evacuation';
import { crossZoneCostRow, karpenterCostRow, platformCostRow, servicesCostRow } from './cost';
import { voluntaryDisruptionRow } from './disruption';
import { dnsFailoverRow, failoverIngresses } from './dns-failover';
import { imagesReplicatedRow } from './images-replicated';
import { immutableCopiesRow } from './immutable-copies';
import { workloadModelledRow } from './modelled';
import { nodeLossRow } from './node-loss';
import { resilienceHubRow } from './resilience-hub';
import { restoreScopeRow } from './restore-scope';
import { rolloutRow } from './rollout';
import { rpoRow } from './rpo';
import { rtoRow } from './rto';
import { secretReplicationRow } from './secret-replication';
import { ingressTrafficPathRow, judgedServices, serviceTrafficPathRow } from './traffic-path';
import { zoneLossRow } from './zone-loss';
import { zoneRebalanceRow } from './zone-rebalance';
import { otherWorkloads } from '../workloads';

/** Every row of the report, per service then per platform, in a stable order. */
export function computeRows(context: ReportContext): ReportRow[] {
  const perService = context.workloads.flatMap((workload) => [
    zoneLossRow(context, workload),
    zoneRebalanceRow(context, workload),
    nodeLossRow(context, workload),
    rolloutRow(context, workload),
    voluntaryDisruptionRow(workload),
    crossZoneCostRow(context, workload),
  ]);
  const unmodelled = otherWorkloads(context.objects).map(workloadModelledRow);
  const perIngress = [
    ...context.objects.filter((o) => o.object.kind === 'Ingress').map((sourced) => ingressTrafficPathRow(context, sourced)),
    ...judgedServices(context).map((sourced) => serviceTrafficPathRow(context, sourced)),
    ...albIngresses(context).map(({ ingress, source }) => ingressEvacuationRow(context, ingress, source)),
    ...nlbServices(context).map(({ service, source }) => serviceEvacuationRow(service, source)),
    ...failoverIngresses(context).map((sourced) => dnsFailoverRow(context, sourced)),
  ];
  const perCluster = context.clusters.flatMap((cluster) => [
    clusterEvacuationRow(cluster),
    zonalEgressRow(cluster),
    addonDisruptionRow(cluster),
    platformCostRow(context, cluster),
    restoreScopeRow(cluster),
    rpoRow(cluster),
    imagesReplicatedRow(context, cluster),
    secretReplicationRow(cluster),
    resilienceHubRow(cluster),
    rtoRow(context, cluster),
    immutableCopiesRow(context, cluster),
  ]);
  return [...perService, ...unmodelled, ...perIngress, ...perCluster, ...karpenterCostRow(context), servicesCostRow(context, context.workloads)];
}
