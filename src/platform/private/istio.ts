import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { softZoneSpread } from '../../policy/spread';
import { ISTIO_CHART_REPOSITORY, ISTIO_VERSION } from '../../versions';
import { MutualTlsMode } from '../service-mesh-options';

/** Istio's namespace, which is also its root namespace: mesh-wide policies live there. */
export const ISTIO_NAMESPACE = 'istio-system';

/** Inputs of the Istio install. */
export interface IstioAmbientProps {
  readonly cluster: eks.Cluster;
  readonly mutualTls: MutualTlsMode;
  /** The charts run pods: they wait for the NodePools and the add-ons. */
  readonly dependsOn: Construct[];
}

/**
 * Istio in ambient mode from its official charts, pinned (src/versions.ts),
 * in the documented order: base (CRDs), istiod, the CNI node agent, ztunnel;
 * then the mesh-wide PeerAuthentication. istiod runs two replicas spread over
 * zones (its chart's PodDisruptionBudget keeps one): a lost istiod only
 * delays configuration, the data plane keeps its last configuration.
 */
export class IstioAmbient extends Construct {
  /** The last chart: once it is installed, pods can join the mesh. */
  public readonly ztunnel: eks.HelmChart;

  constructor(scope: Construct, id: string, props: IstioAmbientProps) {
    super(scope, id);
    const { cluster } = props;
    const chart = (chartId: string, name: string, release: string, values: Record<string, unknown>, after: Construct[]) => {
      const helm = cluster.addHelmChart(chartId, {
        chart: name,
        repository: ISTIO_CHART_REPOSITORY,
        version: ISTIO_VERSION,
        namespace: ISTIO_NAMESPACE,
        release,
        wait: true,
        values,
      });
      helm.node.addDependency(...after);
      return helm;
    };
    const base = chart('IstioBase', 'base', 'istio-base', {}, props.dependsOn);
    const istiod = chart('Istiod', 'istiod', 'istiod', {
      profile: 'ambient',
      autoscaleMin: 2,
      topologySpreadConstraints: softZoneSpread({ app: 'istiod' }),
    }, [base]);
    const cni = chart('IstioCni', 'cni', 'istio-cni', { profile: 'ambient' }, [istiod]);
    this.ztunnel = chart('Ztunnel', 'ztunnel', 'ztunnel', {}, [cni]);

    const policies = new cdk8s.Chart(new cdk8s.App(), 'MeshPolicies');
    new cdk8s.ApiObject(policies, 'PeerAuthentication', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: ISTIO_NAMESPACE },
      spec: { mtls: { mode: props.mutualTls } },
    });
    cluster.addCdk8sChart('MeshPolicies', policies).node.addDependency(istiod);
  }
}
