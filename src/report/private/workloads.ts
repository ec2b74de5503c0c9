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
  readonly podDisruptionBudgets: KubeObject[];
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
  return objects.filter((o) => o.object.kind === 'Deployment' && o.object.apiVersion === 'apps/v1').map((sourced) => {
    const deployment = sourced.object;
    const namespace = namespaceOf(deployment);
    const podLabels = deployment.spec?.template?.metadata?.labels ?? {};
    const services = inNamespace('Service', namespace).filter((s) => serviceSelects(s.spec?.selector, podLabels));
    const serviceNames = new Set(services.map((s) => s.metadata.name));
    return {
      subject: subjectOf(deployment),
      namespace,
      deployment: sourced,
      podLabels,
      podSpec: deployment.spec?.template?.spec ?? {},
      horizontalPodAutoscaler: inNamespace('HorizontalPodAutoscaler', namespace).find((h) =>
        h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec?.scaleTargetRef?.name === deployment.metadata.name),
      podDisruptionBudgets: inNamespace('PodDisruptionBudget', namespace).filter((p) => selects(p.spec?.selector, podLabels)),
      services,
      ingresses: inNamespace('Ingress', namespace).filter((i) => ingressBackends(i).some((name) => serviceNames.has(name))),
      peerAuthentications: all.filter((p) => p.kind === 'PeerAuthentication' && (
        (namespaceOf(p) === namespace && (p.spec?.selector === undefined || selects(p.spec.selector, podLabels))) ||
        (namespaceOf(p) === MESH_ROOT_NAMESPACE && p.spec?.selector === undefined))),
    };
  });
}

/** The Service names an Ingress routes to. */
export function ingressBackends(ingress: KubeObject): string[] {
  const rules: any[] = ingress.spec?.rules ?? [];
  const names = rules.flatMap((rule) => (rule.http?.paths ?? []).map((p: any) => p.backend?.service?.name));
  const fallback = ingress.spec?.defaultBackend?.service?.name;
  return [...names, fallback].filter((name): name is string => typeof name === 'string');
}

/** The first container of a pod spec (the application container). */
export function mainContainer(podSpec: any): any {
  return (podSpec.containers ?? [])[0] ?? {};
}
