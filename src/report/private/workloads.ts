import { KubeObject, SourcedObject } from './inputs';
import { selects, serviceSelects } from './selectors';

/** The namespace Kubernetes puts an object without one in. */
const DEFAULT_NAMESPACE = 'default';

/** A Deployment and the objects that act on its pods. */
export interface Workload {
  readonly subject: string;
  readonly namespace: string;
  readonly deployment: SourcedObject;
  readonly podLabels: { readonly [key: string]: string };
  readonly podSpec: any;
  readonly horizontalPodAutoscaler?: KubeObject;
  /** Every HPA and KEDA ScaledObject (which makes an HPA) that scales the Deployment: with two, the HPA controller scales with neither. */
  readonly autoscalers: KubeObject[];
  readonly podDisruptionBudgets: KubeObject[];
  /**
   * The Services that select the pods, and those that select no pod of the
   * input but carry the Deployment's name: a selector typo then leaves the
   * workload judged behind its load balancer (the traffic-path row fails the
   * Service) rather than quietly judged as if nothing sent it traffic.
   */
  readonly services: KubeObject[];
  /** Ingresses whose backends are Services of this workload. */
  readonly ingresses: KubeObject[];
  /** PeerAuthentications that select these pods, in their namespace or mesh-wide. */
  readonly peerAuthentications: KubeObject[];
}

/** The namespace an object lives in. */
export function namespaceOf(object: KubeObject): string {
  return object.metadata.namespace ?? DEFAULT_NAMESPACE;
}

/** How the report names a Kubernetes object. */
export function subjectOf(object: KubeObject): string {
  return `${namespaceOf(object)}/${object.kind}/${object.metadata.name}`;
}

/** Istio's root namespace: a PeerAuthentication there without selector applies to the whole mesh. */
export const MESH_ROOT_NAMESPACE = 'istio-system';

/** Groups every Deployment with the autoscaler, budgets, Services, Ingresses and mesh policies that concern it. */
export function workloads(objects: SourcedObject[]): Workload[] {
  const all = objects.map((o) => o.object);
  const inNamespace = (kind: string, namespace: string) => all.filter((o) => o.kind === kind && namespaceOf(o) === namespace);
  const templates = podTemplates(objects);
  return objects.filter((o) => o.object.kind === 'Deployment' && o.object.apiVersion === 'apps/v1').map((sourced) => {
    const deployment = sourced.object;
    const namespace = namespaceOf(deployment);
    const podLabels = deployment.spec?.template?.metadata?.labels ?? {};
    const selectsNothing = (s: KubeObject) => Object.keys(s.spec?.selector ?? {}).length > 0 && selectedTemplates(templates, s).length === 0;
    const services = inNamespace('Service', namespace).filter((s) => serviceSelects(s.spec?.selector, podLabels) ||
      (s.metadata.name === deployment.metadata.name && selectsNothing(s)));
    const serviceNames = new Set(services.map((s) => s.metadata.name));
    const autoscalers = [...inNamespace('HorizontalPodAutoscaler', namespace), ...inNamespace('ScaledObject', namespace)].filter((a) =>
      (a.spec?.scaleTargetRef?.kind ?? (a.kind === 'ScaledObject' ? 'Deployment' : undefined)) === 'Deployment' &&
      a.spec?.scaleTargetRef?.name === deployment.metadata.name && (a.kind !== 'ScaledObject' || a.apiVersion.startsWith('keda.sh/')));
    return {
      subject: subjectOf(deployment),
      namespace,
      deployment: sourced,
      podLabels,
      podSpec: deployment.spec?.template?.spec ?? {},
      horizontalPodAutoscaler: autoscalers.find((a) => a.kind === 'HorizontalPodAutoscaler'),
      autoscalers,
      podDisruptionBudgets: inNamespace('PodDisruptionBudget', namespace).filter((p) => selects(p.spec?.selector, podLabels)),
      services,
      ingresses: inNamespace('Ingress', namespace).filter((i) => ingressBackends(i).some((name) => serviceNames.has(name))),
      peerAuthentications: all.filter((p) => p.kind === 'PeerAuthentication' && (
        (namespaceOf(p) === namespace && (p.spec?.selector === undefined || selects(p.spec.selector, podLabels))) ||
        (namespaceOf(p) === MESH_ROOT_NAMESPACE && p.spec?.selector === undefined))),
    };
  });
}

/** The pods a workload object runs: their labels and spec, and the object. */
export interface PodTemplate {
  readonly owner: SourcedObject;
  readonly namespace: string;
  readonly labels: { readonly [key: string]: string };
  readonly spec: any;
}

/** Where each workload kind keeps its pod template. */
function templateOf(object: KubeObject): { metadata?: any; spec?: any } | undefined {
  switch (object.kind) {
    case 'Pod': return object;
    case 'CronJob': return object.spec?.jobTemplate?.spec?.template;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
    case 'Rollout': return object.spec?.template;
    default: return undefined;
  }
}

/** The pod templates of every workload object of the input, of any kind. */
export function podTemplates(objects: SourcedObject[]): PodTemplate[] {
  return objects.flatMap((owner) => {
    const template = templateOf(owner.object);
    return template?.spec ? [{ owner, namespace: namespaceOf(owner.object), labels: template.metadata?.labels ?? {}, spec: template.spec }] : [];
  });
}

/** The pod templates a Service's selector selects, in its namespace. */
export function selectedTemplates(templates: PodTemplate[], service: KubeObject): PodTemplate[] {
  return templates.filter((t) => t.namespace === namespaceOf(service) && serviceSelects(service.spec?.selector, t.labels));
}

/** The Service names an Ingress routes to. */
export function ingressBackends(ingress: KubeObject): string[] {
  return ingressServiceBackends(ingress).map((backend) => backend.name);
}

/** The containers that run for the pod's whole life: its containers, then native sidecars (init containers with restartPolicy Always). */
export function runningContainers(podSpec: any): any[] {
  return [...(podSpec.containers ?? []), ...(podSpec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always')];
}

/** Whether a container declares a port: a number, or the name of one of its ports. */
function declaresPort(container: any, port: unknown): boolean {
  const ports: any[] = container.ports ?? [];
  if (typeof port === 'string' && !/^\d+$/.test(port)) return ports.some((p) => p.name === port);
  return port !== undefined && ports.some((p) => p.containerPort === Number(port));
}

/** Whether a container's readiness probe checks a port (declared ports are optional, so a probe on the port also shows who serves it). */
function probesPort(container: any, port: unknown): boolean {
  const probe = container.readinessProbe ?? {};
  const probed = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  if (probed === undefined || port === undefined) return false;
  if (typeof port === 'string' && !/^\d+$/.test(port)) return probed === port;
  const number = typeof probed === 'number' || /^\d+$/.test(String(probed)) ? Number(probed)
    : (container.ports ?? []).find((p: any) => p.name === probed)?.containerPort;
  return number === Number(port);
}

/**
 * The container ports traffic reaches, most significant first: the Service
 * ports the workload's Ingresses route to, then those of LoadBalancer
 * Services, then every other Service port (a targetPort defaults to the port).
 */
export function trafficPorts(workload: Workload): unknown[] {
  const routed = workload.ingresses.flatMap((ingress) => ingressServiceBackends(ingress));
  const ports = workload.services.flatMap((service) => (service.spec?.ports ?? []).map((port: any) => ({
    target: port.targetPort ?? port.port,
    rank: routed.some((b) => b.name === service.metadata.name && routesTo(b, port)) ? 0 : service.spec?.type === 'LoadBalancer' ? 1 : 2,
  })));
  return ports.sort((a, b) => a.rank - b.rank).map((p) => p.target);
}

/**
 * The container that serves the pod's traffic, which the probe, preStop and
 * port rows judge: the one that owns the port a Service targetPort (an
 * Ingress backend's first) resolves to; without one, the container with a
 * readiness probe, else the first. A native sidecar serves only if it owns
 * the port; a log shipper or proxy listed first never stands in for the app.
 */
export function servingContainer(workload: Workload): any {
  const running = runningContainers(workload.podSpec);
  const ports = trafficPorts(workload);
  for (const owns of [declaresPort, probesPort]) {
    for (const port of ports) {
      const owner = running.find((container) => owns(container, port));
      if (owner) return owner;
    }
  }
  const containers: any[] = workload.podSpec.containers ?? [];
  return containers.find((c) => c.readinessProbe !== undefined) ?? containers[0] ?? {};
}

/** An Ingress backend: a Service and its port, by number or name. */
export interface IngressBackend {
  readonly name: string;
  readonly port?: { readonly number?: number; readonly name?: string };
}

/** Whether an Ingress backend routes to a port of its Service. */
export function routesTo(backend: IngressBackend, servicePort: any): boolean {
  return backend.port?.number === servicePort.port || (backend.port?.name !== undefined && backend.port.name === servicePort.name);
}

/** The Service backends (name and port) an Ingress routes to. */
export function ingressServiceBackends(ingress: KubeObject): IngressBackend[] {
  const rules: any[] = ingress.spec?.rules ?? [];
  return [...rules.flatMap((rule) => (rule.http?.paths ?? []).map((p: any) => p.backend?.service)), ingress.spec?.defaultBackend?.service]
    .filter((service): service is { name: string } => typeof service?.name === 'string');
}

/** A workload object that is not a Deployment the report models, and how the report treats it. */
export interface OtherWorkload {
  readonly sourced: SourcedObject;
  /** Why the report's claims do not apply to it; undefined when they do but the report cannot judge it. */
  readonly outside?: string;
}

const NODE_LOCAL = 'a DaemonSet runs one pod on each node by design: a lost node or zone takes only its own pods and every new node gets one, ' +
  'so replica counts, zone spread, rollout capacity and disruption budgets are not what keeps it available';
const BATCH = 'a batch workload runs to completion and the Job controller retries a lost pod (backoffLimit): ' +
  'the zone-loss, node-loss, rollout and disruption claims are about serving traffic';

/**
 * The workload objects besides the Deployments the report models: those it
 * cannot judge (StatefulSets, ReplicaSets, ReplicationControllers and Pods
 * that no controller owns, Argo Rollouts, Deployments of another API
 * version) and those the claims do not concern (DaemonSets, Jobs, CronJobs).
 */
export function otherWorkloads(objects: SourcedObject[]): OtherWorkload[] {
  const bare = (o: KubeObject) => ((o.metadata as any).ownerReferences ?? []).length === 0;
  return objects.flatMap((sourced): OtherWorkload[] => {
    const o = sourced.object;
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    switch (o.kind) {
      case 'Deployment': return o.apiVersion === 'apps/v1' ? [] : [{ sourced }];
      case 'StatefulSet': return [{ sourced }];
      case 'ReplicaSet':
      case 'ReplicationController':
      case 'Pod': return bare(o) ? [{ sourced }] : [];
      case 'Rollout': return group === 'argoproj.io' ? [{ sourced }] : [];
      case 'DaemonSet': return [{ sourced, outside: NODE_LOCAL }];
      case 'Job': return bare(o) ? [{ sourced, outside: BATCH }] : [];
      case 'CronJob': return [{ sourced, outside: BATCH }];
      default: return [];
    }
  });
}
