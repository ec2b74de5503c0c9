import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import { workloadPeer } from './network-rules';
import { optionalMillis, meshTrafficPolicy } from '../../policy/mesh';
import { HaMicroserviceMeshOptions } from '../mesh/mesh-options';
import { HBONE_PORT, MeshWaypoint, WAYPOINT_POD_LABEL } from '../mesh/mesh-waypoint';

/** The pod label that enrols a pod in the ambient mesh. */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
/** The Service label that sends its calls through a waypoint. */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** Istio's default trust domain: workload identities are `cluster.local/ns/<namespace>/sa/<service account>`. */
const TRUST_DOMAIN = 'cluster.local';
/** ztunnel makes the kubelet's probes of an ambient pod come from this link-local address. */
const PROBE_SOURCE = '169.254.7.127/32';

/** What a meshed HaMicroservice needs besides its usual objects. */
export interface MeshedService {
  readonly name: string;
  readonly servicePort: number;
  readonly containerPort: number;
  readonly probePorts: number[];
  readonly selectorLabels: { [key: string]: string };
  readonly zones: number;
  /** The ALB sends plain HTTP from outside the mesh to the container port. */
  readonly exposedThroughAlb: boolean;
  /** The port the ALB health-checks when it is not the container port (the readiness probe's own port). */
  readonly albHealthCheckPort?: number;
  readonly options: HaMicroserviceMeshOptions;
  /** The waypoint its Service uses (`mesh.waypointName`, validated). */
  readonly waypointName: string;
  /**
   * The mesh identities allowed to call the service through its waypoint. Held by reference: connectTo() adds
   * to it after construction, and the AuthorizationPolicy reads it at synth.
   */
  readonly callerPrincipals: string[];
}

/**
 * The mesh identity of a workload's service account. Without a namespace (a chart without one), any namespace's
 * service account of that name matches: Istio allows a leading wildcard.
 */
export function meshPrincipal(namespace: string | undefined, serviceAccount: string): string {
  return namespace ? `${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}` : `*/sa/${serviceAccount}`;
}

function tcp(port: number): k8s.NetworkPolicyPort {
  return { protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) };
}

/** Pods of any waypoint, in the given namespace or the policy's own. */
function waypointPeer(namespace: string | undefined, name?: string): k8s.NetworkPolicyPeer {
  return {
    podSelector: name ? { matchLabels: { [WAYPOINT_POD_LABEL]: name } } : { matchExpressions: [{ key: WAYPOINT_POD_LABEL, operator: 'Exists' }] },
    ...(namespace ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } } : {}),
  };
}

/**
 * Egress of a meshed pod to another workload: ztunnel, in the pod's network
 * namespace, tunnels each call over HBONE to the destination's pods, or to
 * a waypoint of the destination's namespace when the destination uses one.
 */
export function meshEgressRule(app: string, namespace: string | undefined): k8s.NetworkPolicyEgressRule {
  return { to: [workloadPeer(app, namespace), waypointPeer(namespace)], ports: [tcp(HBONE_PORT)] };
}

/** Ingress of a meshed pod from callers whose ztunnel tunnels to it over HBONE. */
export function meshIngressRule(callers: k8s.NetworkPolicyPeer[]): k8s.NetworkPolicyIngressRule {
  return { from: callers, ports: [tcp(HBONE_PORT)] };
}

/**
 * The Istio objects and network rules of a meshed service: the
 * VirtualService (timeout, retries), DestinationRule (outlier detection,
 * circuit breaking) and AuthorizationPolicy its waypoint applies (the
 * waypoint hides the caller from the NetworkPolicy, so the allowed callers
 * are enforced by mesh identity there), a PeerAuthentication letting the
 * ALB's plain HTTP reach the container port and its health-check port when
 * exposed (every other port stays strict), and the ingress the mesh needs through a deny-by-default
 * NetworkPolicy: HBONE from its waypoint and callers, the kubelet's probes
 * from ztunnel's link-local address.
 */
export function renderMeshObjects(scope: Construct, service: MeshedService, callers: k8s.NetworkPolicyPeer[]): {
  ingressRules: k8s.NetworkPolicyIngressRule[]; objects: ApiObject[];
} {
  const { options, waypointName } = service;
  const policy = meshTrafficPolicy({
    zones: service.zones,
    requestTimeoutMillis: optionalMillis(options.requestTimeout),
    retryAttempts: options.retries?.attempts,
    perTryTimeoutMillis: optionalMillis(options.retries?.perTryTimeout),
    retryOn: options.retries?.retryOn,
    consecutiveErrors: options.outlierDetection?.consecutiveErrors,
    ejectionIntervalMillis: optionalMillis(options.outlierDetection?.interval),
    baseEjectionTimeMillis: optionalMillis(options.outlierDetection?.baseEjectionTime),
    maxEjectionPercent: options.outlierDetection?.maxEjectionPercent,
    maxPendingRequests: options.maxPendingRequests,
  });
  const metadata = { name: service.name, labels: service.selectorLabels };
  const retries = policy.retryAttempts.value > 0 ? {
    attempts: policy.retryAttempts.value,
    retryOn: policy.retryOn.join(','),
    ...(policy.perTryTimeoutSeconds !== undefined ? { perTryTimeout: `${policy.perTryTimeoutSeconds}s` } : {}),
  } : { attempts: 0 };
  const objects = [
    new ApiObject(scope, 'VirtualService', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata,
      spec: {
        hosts: [service.name],
        http: [{
          route: [{ destination: { host: service.name, port: { number: service.servicePort } } }],
          ...(policy.requestTimeoutSeconds !== undefined ? { timeout: `${policy.requestTimeoutSeconds}s` } : {}),
          retries,
        }],
      },
    }),
    new ApiObject(scope, 'DestinationRule', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata,
      spec: {
        host: service.name,
        trafficPolicy: {
          outlierDetection: {
            consecutive5xxErrors: policy.consecutiveErrors.value,
            interval: `${policy.ejectionIntervalSeconds}s`,
            baseEjectionTime: `${policy.baseEjectionTimeSeconds}s`,
            maxEjectionPercent: policy.maxEjectionPercent.value,
          },
          ...(policy.maxPendingRequests !== undefined ? { connectionPool: { http: { http1MaxPendingRequests: policy.maxPendingRequests } } } : {}),
        },
      },
    }),
  ];
  // Deny by default like the NetworkPolicy: with no caller, the policy allows nothing (an ALLOW policy without rules).
  const principals = service.callerPrincipals;
  objects.push(new ApiObject(scope, 'AuthorizationPolicy', {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata,
    spec: {
      targetRefs: [{ group: '', kind: 'Service', name: service.name }],
      action: 'ALLOW',
      rules: Lazy.any({ produce: () => (principals.length > 0 ? [{ from: [{ source: { principals: [...new Set(principals)] } }] }] : undefined) }),
    },
  }));
  if (service.exposedThroughAlb) {
    objects.push(new ApiObject(scope, 'PeerAuthentication', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata,
      spec: {
        selector: { matchLabels: service.selectorLabels },
        // Every other port follows the mesh-wide mode. The ALB's health checks are plain HTTP too: on a port of
        // their own, that port must accept them, or every target stays unhealthy under STRICT mutual TLS.
        mtls: { mode: 'UNSET' },
        portLevelMtls: Object.fromEntries([...new Set([service.containerPort, service.albHealthCheckPort])]
          .filter((port): port is number => port !== undefined).map((port) => [String(port), { mode: 'PERMISSIVE' }])),
      },
    }));
  }
  const ingressRules: k8s.NetworkPolicyIngressRule[] = [
    meshIngressRule([waypointPeer(undefined, waypointName), ...callers]),
    { from: [{ ipBlock: { cidr: PROBE_SOURCE } }], ports: [...new Set([service.containerPort, ...service.probePorts])].map(tcp) },
  ];
  requireWaypoint(scope, waypointName);
  return { ingressRules, objects };
}

/** Fails the synth of the app when no MeshWaypoint of that name exists in the service's namespace: its L7 policy would be ignored. */
function requireWaypoint(scope: Construct, waypointName: string): void {
  const namespace = Chart.of(scope).namespace;
  scope.node.addValidation({
    validate: () => {
      const found = scope.node.root.node.findAll().some((c: IConstruct) =>
        c instanceof MeshWaypoint && c.name === waypointName && c.namespaceName === namespace);
      return found ? [] : [`mesh.waypointName = "${waypointName}" is invalid: no MeshWaypoint of that name in namespace ` +
        `"${namespace ?? '(the chart has none)'}" of this app, so the timeout, retries and outlier detection would be ignored. ` +
        `Fix: add new MeshWaypoint(chart, 'Waypoint', { name: "${waypointName}" }) to a chart of the same namespace.`];
    },
  });
}
