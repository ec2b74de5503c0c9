import { ReportRow, Requirement } from '../../report-row';
import { ReportContext } from '../context';
import { KubeObject, SourcedObject } from '../inputs';
import { targetPortOwner } from '../pod-facts';
import { Check, notApplicable, rowOf } from '../row-builder';
import { IngressBackend, PodTemplate, ingressServiceBackends, namespaceOf, podTemplates, routesTo, selectedTemplates, subjectOf } from '../workloads';
import { classifyIngress } from './alb';

export const TRAFFIC_PATH = 'traffic-path';

/** The Ingress backend port that makes the Load Balancer Controller take the action from an annotation instead of a Service. */
const USE_ANNOTATION = 'use-annotation';
const GROUP_ANNOTATION = 'alb.ingress.kubernetes.io/group.name';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const describeSelector = (service: KubeObject) => Object.entries(service.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
const ownerName = (t: PodTemplate) => `${t.owner.object.kind}/${t.owner.object.metadata.name}`;
const backendPort = (b: IngressBackend) => (b.port?.name !== undefined ? `port ${b.port.name}` : `port ${b.port?.number ?? '(none)'}`);

/** The workload whose pod labels share the most entries with a Service's selector (its own name first): what a typo most likely meant. */
function closest(templates: PodTemplate[], service: KubeObject): { template: PodTemplate; differing: string[] } | undefined {
  const selector: { [key: string]: string } = service.spec?.selector ?? {};
  const scored = templates.filter((t) => t.namespace === namespaceOf(service)).map((template) => ({
    template,
    shared: Object.entries(selector).filter(([k, v]) => template.labels[k] === v).length,
    named: template.owner.object.metadata.name === service.metadata.name,
  })).filter((s) => s.shared > 0 || s.named).sort((a, b) => Number(b.named) - Number(a.named) || b.shared - a.shared);
  const best = scored[0]?.template;
  if (!best) return undefined;
  return { template: best, differing: Object.keys(selector).filter((k) => best.labels[k] !== selector[k]).map((k) => `${k}=${best.labels[k] ?? '(unset)'}`) };
}

/** Whether the input holds EndpointSlices or Endpoints for a Service without selector (endpoints managed by hand or by another controller). */
function hasManualEndpoints(context: ReportContext, service: KubeObject): boolean {
  return context.objects.some(({ object: o }) => namespaceOf(o) === namespaceOf(service) &&
    ((o.kind === 'EndpointSlice' && o.metadata.labels?.[SERVICE_NAME_LABEL] === service.metadata.name) ||
      (o.kind === 'Endpoints' && o.metadata.name === service.metadata.name)));
}

/**
 * The links from a Service to serving containers: its selector selects the
 * pods of a workload of the input, and each of its ports' targetPort
 * (the port itself when unset) is one those pods serve. `only` limits the
 * ports to those an Ingress routes to.
 */
function serviceChecks(context: ReportContext, templates: PodTemplate[], service: KubeObject, consequence: string, only?: any[]): Check[] {
  const name = `Service/${service.metadata.name}`;
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) {
    const manual = hasManualEndpoints(context, service);
    return [{
      ok: manual,
      found: manual ? `${name} has no selector; the input holds its EndpointSlices`
        : `${name} has no selector and the input holds no EndpointSlice for it: nothing is known to serve it`,
      fix: `give ${name} a selector that matches the pods that serve it, or accept this row if its endpoints are managed outside the input`,
    }];
  }
  const selected = selectedTemplates(templates, service);
  if (selected.length === 0) {
    const near = closest(templates, service);
    return [{
      ok: false,
      found: `${name} selector ${describeSelector(service)} selects no pod of the input: ${consequence}` +
        (near ? ` (${ownerName(near.template)}'s pods have ${near.differing.join(', ')})` : ''),
      fix: near ? `make the selector of ${name} match the pod labels of ${ownerName(near.template)} (${near.differing.join(', ')})`
        : `make the selector of ${name} match the pod labels of the workload it fronts, or pass that workload's manifests`,
    }];
  }
  const checks: Check[] = [{ ok: true, found: `${name} selector ${describeSelector(service)} selects the pods of ${selected.map(ownerName).join(', ')}` }];
  for (const port of (only ?? service.spec?.ports ?? [])) {
    const target = port.targetPort ?? port.port;
    const protocol = port.protocol ?? 'TCP';
    const owners = selected.map((t) => ({ template: t, owner: targetPortOwner(t.spec, target, protocol) }));
    const missing = owners.filter((o) => o.owner.container === undefined);
    const label = `${name} port ${port.name ?? port.port} -> targetPort ${target}`;
    checks.push({
      ok: missing.length === 0,
      found: missing.length === 0 ? `${label}: ${owners.map((o) => `${ownerName(o.template)} ${o.owner.how}`).join('; ')}`
        : `${label}: in ${missing.map((o) => `${ownerName(o.template)} ${o.owner.how}`).join('; ')}` +
          (typeof target === 'string' && !/^\d+$/.test(target) ? ': those pods get no endpoint' : ': nothing is known to listen there'),
      fix: `point targetPort of ${name} port ${port.name ?? port.port} at a port the serving container declares, or declare ${target} in that container's ports`,
    });
  }
  return checks;
}

/** The Service ports an Ingress backend names: by number (the Service port) or by name. */
const portsOf = (service: KubeObject, backend: IngressBackend) => (service.spec?.ports ?? []).filter((p: any) => routesTo(backend, p));

/** The ALB Ingress group an Ingress belongs to, if it names one (an Ingress without is a group of its own). */
function albGroup(context: ReportContext, ingress: KubeObject): string | undefined {
  const classification = classifyIngress(context, ingress);
  if (!classification.alb) return undefined;
  return classification.params?.group?.name ?? ingress.metadata.annotations?.[GROUP_ANNOTATION];
}

/** The backends of an Ingress that name a port their Service does not have: the Load Balancer Controller cannot build the group's model. */
function unresolvablePorts(context: ReportContext, ingress: KubeObject): string[] {
  const services = context.objects.map((o) => o.object).filter((o) => o.kind === 'Service' && namespaceOf(o) === namespaceOf(ingress));
  return ingressServiceBackends(ingress).flatMap((backend) => {
    const service = services.find((s) => s.metadata.name === backend.name);
    if (!service || backend.port?.name === USE_ANNOTATION) return [];
    return portsOf(service, backend).length === 0 ? [`Service/${backend.name} has no ${backendPort(backend)}`] : [];
  });
}

/**
 * An Ingress reaches serving pods: each Service backend exists, has the port
 * the backend names (a number is a Service port, a name a Service port's
 * name), selects pods of a workload of the input, and its targetPort is one
 * those pods serve. The AWS Load Balancer Controller answers a missing
 * Service with a fixed 503 (enhanced_backend_builder.go, tolerated
 * non-existent backend), fails to build the whole Ingress group when a port
 * is missing (LookupServicePort in model_build_target_group.go), so one
 * Ingress's typo stops every Ingress of its group from being reconciled,
 * and registers no target for pods it cannot resolve. It is a
 * high-availability claim: every replica, zone and load balancer the other
 * rows count serves nothing if the load balancer cannot reach them.
 */
export function ingressTrafficPathRow(context: ReportContext, sourced: SourcedObject): ReportRow {
  const ingress = sourced.object;
  const templates = podTemplates(context.objects);
  const header = {
    id: TRAFFIC_PATH,
    requirement: Requirement.HIGH_AVAILABILITY,
    claim: 'Every backend of this Ingress reaches serving pods',
    subject: subjectOf(ingress),
    evidence: `Ingress/${ingress.metadata.name} (${sourced.source})`,
  };
  const backends = ingressServiceBackends(ingress);
  if (backends.length === 0) return notApplicable(header, 'the Ingress names no Service backend');
  const namespace = namespaceOf(ingress);
  const services = context.objects.map((o) => o.object).filter((o) => o.kind === 'Service' && namespaceOf(o) === namespace);
  const group = albGroup(context, ingress);
  const isAlb = classifyIngress(context, ingress).alb;
  const checks: Check[] = [];
  const seen = new Set<string>();
  for (const backend of backends) {
    const key = `${backend.name}:${backendPort(backend)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const service = services.find((s) => s.metadata.name === backend.name);
    if (!service) {
      checks.push({
        ok: false,
        found: `backend Service/${backend.name} does not exist in namespace ${namespace}: ${isAlb ? 'the ALB answers its paths with a fixed 503' : 'its paths get no backend'}`,
        fix: `name an existing Service in the backend of Ingress/${ingress.metadata.name}, or add Service/${backend.name}`,
      });
      continue;
    }
    if (backend.port?.name === USE_ANNOTATION) {
      checks.push({ ok: true, found: `backend ${backend.name} ${USE_ANNOTATION}: the action annotation decides where it goes` });
      continue;
    }
    const ports = portsOf(service, backend);
    if (ports.length === 0) {
      const has = (service.spec?.ports ?? []).map((p: any) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ') || 'none';
      checks.push({
        ok: false,
        found: `backend Service/${backend.name} ${backendPort(backend)}: the Service has no such port (it has ${has})` +
          (isAlb ? `: the Load Balancer Controller fails to build ${group ? `Ingress group ${group}` : 'the Ingress'}, so none of its rules is reconciled` : ''),
        fix: `name a port Service/${backend.name} has (${has}) in the backend of Ingress/${ingress.metadata.name}, by number or by name`,
      });
      continue;
    }
    checks.push({ ok: true, found: `backend Service/${backend.name} ${backendPort(backend)} is its port ${ports[0].port}${ports[0].name ? ` (${ports[0].name})` : ''}` });
    checks.push(...serviceChecks(context, templates, service, isAlb ? 'the ALB has no target for it and answers 503' : 'its paths have no endpoint', ports));
  }
  if (group) {
    const others = context.objects.filter((o) => o.object.kind === 'Ingress' && o.object !== ingress && albGroup(context, o.object) === group);
    const broken = others.flatMap((o) => unresolvablePorts(context, o.object).map((why) => `Ingress ${subjectOf(o.object)}: ${why}`));
    checks.push({
      ok: broken.length === 0,
      found: broken.length === 0 ? (others.length === 0 ? `no other Ingress of the input joins group ${group}` : `the ${others.length} other Ingress(es) of group ${group} resolve their Service ports`)
        : `${broken.join('; ')}: the Load Balancer Controller fails to build group ${group}, so this Ingress's rules are not reconciled either`,
      fix: 'fix the backend ports of the other Ingresses of the group',
    });
  }
  return rowOf(header, checks);
}

/**
 * A Service reaches serving pods: its selector selects pods of a workload of
 * the input and each targetPort is one they serve (a named one must be
 * declared by a container, a numbered one declared or probed). Without it,
 * kube-proxy and the load balancers have no endpoint: in-cluster callers,
 * NLBs and ALBs alike fail every request.
 */
export function serviceTrafficPathRow(context: ReportContext, sourced: SourcedObject): ReportRow {
  const service = sourced.object;
  const loadBalancer = service.spec?.type === 'LoadBalancer';
  return rowOf({
    id: TRAFFIC_PATH,
    requirement: Requirement.HIGH_AVAILABILITY,
    claim: `The Service reaches serving pods${loadBalancer ? ' behind its load balancer' : ''}`,
    subject: subjectOf(service),
    evidence: `Service/${service.metadata.name} (${sourced.source})`,
  }, serviceChecks(context, podTemplates(context.objects), service,
    loadBalancer ? 'its load balancer has no target and every call fails' : 'it has no endpoint and every call to it fails'));
}

/**
 * The Services the traffic-path row judges: those with a selector, those of
 * type LoadBalancer, and those an Ingress routes to. A Service without
 * selector that nothing exposes (an ExternalName alias, endpoints kept by
 * another controller) has no path the report can follow.
 */
export function judgedServices(context: ReportContext): SourcedObject[] {
  const routed = new Set(context.objects.filter((o) => o.object.kind === 'Ingress')
    .flatMap((o) => ingressServiceBackends(o.object).map((b) => `${namespaceOf(o.object)}/${b.name}`)));
  return context.objects.filter(({ object: o }) => o.kind === 'Service' && (
    Object.keys(o.spec?.selector ?? {}).length > 0 || o.spec?.type === 'LoadBalancer' || routed.has(`${namespaceOf(o)}/${o.metadata.name}`)));
}
