import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { PropValidationError, requireIntegerInRange } from '../../policy/errors';
import { requireObjectName } from '../../policy/names';
import { topologySpreadConstraints } from '../../policy/spread';
import { replicaFloor, zoneCount } from '../../policy/zones';

/** The label Istio puts on the pods of the proxy it deploys for a Gateway. */
export const WAYPOINT_POD_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** The waypoint a MeshWaypoint creates and a meshed HaMicroservice uses when neither names one. */
export const DEFAULT_WAYPOINT_NAME = 'waypoint';
/** The port ztunnel and waypoints speak HBONE (mutual TLS tunnels) on. */
export const HBONE_PORT = 15008;

/** Properties of a {@link MeshWaypoint}. */
export interface MeshWaypointProps {
  /**
   * The waypoint's name, which services refer to (HaMicroservice `mesh.waypointName`).
   * @default "waypoint"
   */
  readonly name?: string;
  /**
   * The zones the cluster spans: the waypoint keeps at least one replica in each.
   * @default 3
   */
  readonly zoneCount?: number;
  /**
   * The most replicas the waypoint's HPA may run.
   * @default 10
   */
  readonly maxReplicas?: number;
}

/**
 * An Istio ambient waypoint: the Envoy proxy that applies L7 policy (timeouts,
 * retries, outlier detection) to calls of the services that use it. Istio
 * deploys one replica by default, a single point of failure for every call
 * through it; this waypoint asks Istio (through `infrastructure.parametersRef`)
 * for at least one replica per zone spread like a HaMicroservice, an HPA on
 * CPU and a PodDisruptionBudget.
 */
export class MeshWaypoint extends Construct {
  /** The waypoint's name. */
  public readonly name: string;
  /** The namespace (of its chart), if set. */
  public readonly namespaceName?: string;
  /** The Gateway (gateway.networking.k8s.io/v1). */
  public readonly gateway: ApiObject;
  /** The ConfigMap of deployment, HPA and PDB settings Istio applies to the proxy. */
  public readonly parameters: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: MeshWaypointProps = {}) {
    super(scope, id);
    try {
      this.name = requireObjectName('name', props.name ?? DEFAULT_WAYPOINT_NAME);
      this.namespaceName = Chart.of(this).namespace;
      const zones = zoneCount(props.zoneCount, 'zoneCount').value;
      const minReplicas = replicaFloor(zones).value;
      const maxReplicas = requireIntegerInRange('maxReplicas', props.maxReplicas ?? 10, minReplicas, 1000,
        `at least one replica per zone (${minReplicas}) must fit`);
      const podLabels = { [WAYPOINT_POD_LABEL]: this.name };

      // Strategic merge patches of what Istio generates, in the keys its gateway deployment controller reads.
      this.parameters = new k8s.KubeConfigMap(this, 'Parameters', {
        metadata: { name: `${this.name}-parameters` },
        data: {
          deployment: JSON.stringify({ spec: { template: { spec: { topologySpreadConstraints: topologySpreadConstraints(podLabels) } } } }),
          horizontalPodAutoscaler: JSON.stringify({
            spec: {
              minReplicas,
              maxReplicas,
              metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
            },
          }),
          podDisruptionBudget: JSON.stringify({ spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' } }),
        },
      });
      this.gateway = new ApiObject(this, 'Gateway', {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: this.name, labels: { 'istio.io/waypoint-for': 'service' } },
        spec: {
          gatewayClassName: 'istio-waypoint',
          listeners: [{ name: 'mesh', port: HBONE_PORT, protocol: 'HBONE' }],
          infrastructure: { parametersRef: { group: '', kind: 'ConfigMap', name: this.parameters.name } },
        },
      });
    } catch (error) {
      if (error instanceof PropValidationError) {
        throw new Error(`MeshWaypoint at '${this.node.path}': ${error.message}`);
      }
      throw error;
    }
  }
}
