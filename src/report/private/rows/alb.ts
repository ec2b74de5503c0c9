import { ReportContext } from '../context';
import { KubeObject } from '../inputs';
import { helmRelease } from '../platform';
import { containerPortNumber } from '../pod-facts';
import { IngressBackend, Workload, ingressServiceBackends, namespaceOf, routesTo } from '../workloads';

const PREFIX = 'alb.ingress.kubernetes.io';
const SERVICE_PREFIX = 'service.beta.kubernetes.io';

/** The chart of the AWS Load Balancer Controller. */
export const LOAD_BALANCER_CONTROLLER_CHART = 'aws-load-balancer-controller';
/** The IngressClass spec.controller the Load Balancer Controller serves. */
export const ALB_CONTROLLER = 'ingress.k8s.aws/alb';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** The spec.loadBalancerClass the controller reconciles by default (--load-balancer-class). */
const NLB_CLASS = 'service.k8s.aws/nlb';
/** The name of the IngressClass the chart creates by default, which HaMicroservice names. */
const CHART_INGRESS_CLASS = 'alb';

/**
 * What the ALB does where neither the Ingress nor its Service says: the
 * controller's Ingress annotation reference (docs/guide/ingress/annotations.md:
 * healthcheck-interval-seconds 15, healthy-threshold-count 2, target-type
 * instance, i.e. --default-target-type) and ELB's
 * deregistration_delay.timeout_seconds default of 300 s (Elastic Load
 * Balancing API reference, TargetGroupAttribute).
 */
export const ALB_DEFAULTS = { intervalSeconds: 15, healthyThreshold: 2, deregistrationDelaySeconds: 300, targetType: 'instance' } as const;

/**
 * What the NLB does where the Service does not say: the controller's Service
 * annotation reference (docs/guide/service/annotations.md:
 * aws-load-balancer-healthcheck-interval 10, -healthcheck-healthy-threshold 3,
 * nlb-target-type "default instance in case of LoadBalancerClass", i.e.
 * --default-target-type) and ELB's 300 s deregistration delay.
 */
export const NLB_DEFAULTS = { intervalSeconds: 10, healthyThreshold: 3, deregistrationDelaySeconds: 300, targetType: 'instance' } as const;

/** What the Load Balancer Controller makes of an Ingress or a LoadBalancer Service, for one workload behind it. */
export interface LoadBalancerBackend {
  readonly kind: 'ALB' | 'NLB';
  /** The Ingress (ALB) or Service (NLB) that asks for the load balancer. */
  readonly front: KubeObject;
  readonly targetType: string;
  /** Where the target type was read, for the row's arithmetic. */
  readonly targetTypeFrom: string;
  readonly intervalSeconds: number;
  readonly healthyThreshold: number;
  readonly deregistrationDelaySeconds: number;
  /** Load balancer attributes, key to value. */
  readonly loadBalancerAttributes: { readonly [key: string]: string };
  /** The container port the load balancer sends traffic to. */
  readonly trafficPort?: number;
  /** The container port it health-checks. */
  readonly healthCheckPort?: number;
  /** The Ingress group (one ALB for all its members), or the Ingress or Service itself. */
  readonly loadBalancer: string;
  /** How to get ip targets, and the annotation that holds the target group attributes. */
  readonly targetTypeFix: string;
  readonly targetGroupAttributesKey: string;
}

/** Parses "a=b,c=d" attribute annotations. */
export function attributes(text: string | undefined): { [key: string]: string } {
  const result: { [key: string]: string } = {};
  for (const pair of (text ?? '').split(',')) {
    const [key, ...value] = pair.split('=');
    if (key.trim()) result[key.trim()] = value.join('=').trim();
  }
  return result;
}

/** An IngressClass the cluster has: from the manifests, or the one the controller's chart creates. */
interface IngressClassFacts {
  readonly name: string;
  readonly controller?: string;
  readonly isDefault: boolean;
  /** The IngressClassParams spec it references, if any. */
  readonly params?: any;
  readonly from: string;
}

/** What the controller releases decide for objects that leave it to them (chart values; chart 3.5.0 defaults where unset). */
interface ControllerFacts {
  readonly chartClasses: IngressClassFacts[];
  /** The --ingress-class each release runs with: what the legacy annotation must equal. */
  readonly annotationClasses: string[];
  /** The --load-balancer-class each release reconciles. */
  readonly loadBalancerClasses: string[];
  /** Whether a release's webhook gives new LoadBalancer Services without a class its load balancer class. */
  readonly serviceMutator: boolean;
  /** --default-target-type: ip only when every release sets it. */
  readonly defaultTargetType: string;
}

/** Without a controller release in the input, the chart's defaults stand for it (an IngressClass `alb`, webhook on, instance targets). */
function controllerFacts(context: ReportContext): ControllerFacts {
  const releases = context.clusters.map((c) => helmRelease(c, LOAD_BALANCER_CONTROLLER_CHART)).filter((r) => r !== undefined);
  const all = releases.length > 0 ? releases.map((r) => r!.values ?? {}) : [{}];
  const manifestParams = objectsOf(context, 'IngressClassParams');
  return {
    chartClasses: all.filter((v) => v.createIngressClassResource !== false).map((v) => {
      const spec = v.ingressClassParams?.spec;
      const name = v.ingressClass ?? CHART_INGRESS_CLASS;
      const paramsName = v.ingressClassParams?.name;
      const created = v.ingressClassParams?.create !== false && spec && Object.keys(spec).length > 0 ? spec : undefined;
      const params = paramsName ? manifestParams.find((p) => p.metadata.name === paramsName)?.spec ?? created : created;
      return { name, controller: ALB_CONTROLLER, isDefault: v.ingressClassConfig?.default === true, params, from: `the ${LOAD_BALANCER_CONTROLLER_CHART} chart's IngressClass ${name}` };
    }),
    annotationClasses: all.map((v) => v.ingressClass ?? CHART_INGRESS_CLASS),
    loadBalancerClasses: all.map((v) => v.loadBalancerClass ?? NLB_CLASS),
    serviceMutator: all.some((v) => v.enableServiceMutatorWebhook !== false),
    defaultTargetType: all.every((v) => v.defaultTargetType === 'ip') ? 'ip' : ALB_DEFAULTS.targetType,
  };
}

function objectsOf(context: ReportContext, kind: string): KubeObject[] {
  return context.objects.map((o) => o.object).filter((o) => o.kind === kind);
}

/** The IngressClasses of the manifests, then those the charts create under names the manifests do not use. */
function ingressClasses(context: ReportContext, facts: ControllerFacts): IngressClassFacts[] {
  const params = objectsOf(context, 'IngressClassParams');
  const declared = objectsOf(context, 'IngressClass').map((c): IngressClassFacts => {
    const ref = c.spec?.parameters;
    const referenced = ref?.kind === 'IngressClassParams' ? params.find((p) => p.metadata.name === ref.name) : undefined;
    return {
      name: c.metadata.name,
      controller: c.spec?.controller,
      isDefault: c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
      params: referenced?.spec,
      from: `IngressClass ${c.metadata.name}${referenced ? ` with IngressClassParams ${referenced.metadata.name}` : ''}`,
    };
  });
  return [...declared, ...facts.chartClasses.filter((c) => !declared.some((d) => d.name === c.name))];
}

/** How the controller classifies an Ingress: whether it provisions an ALB for it, the IngressClassParams that apply, and why. */
export interface IngressClassification {
  readonly alb: boolean;
  readonly params?: any;
  readonly how: string;
}

/**
 * Whether the AWS Load Balancer Controller serves an Ingress, as it decides
 * (pkg/ingress/group_loader.go, class_loader.go): the legacy
 * kubernetes.io/ingress.class annotation first, which must equal the
 * controller's --ingress-class; else the IngressClass spec.ingressClassName
 * names, which must have spec.controller ingress.k8s.aws/alb; an Ingress
 * without either gets the default IngressClass (is-default-class "true").
 * When several IngressClasses are default, Kubernetes gives a new Ingress
 * one of them; the report cannot tell which, so it judges the Ingress as an
 * ALB if any of them is, which only adds checks.
 */
export function classifyIngress(context: ReportContext, ingress: KubeObject): IngressClassification {
  const facts = controllerFacts(context);
  const annotation = ingress.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (annotation !== undefined) {
    const alb = facts.annotationClasses.some((c) => c === annotation || (c === '' && annotation === CHART_INGRESS_CLASS));
    return { alb, how: `annotation ${LEGACY_CLASS_ANNOTATION}: ${annotation}${alb ? '' : ` (the controller serves ${facts.annotationClasses.join(', ')})`}` };
  }
  const classes = ingressClasses(context, facts);
  const name: string | undefined = ingress.spec?.ingressClassName;
  if (name === undefined) {
    const defaults = classes.filter((c) => c.isDefault);
    const alb = defaults.find((c) => c.controller === ALB_CONTROLLER);
    if (alb) return { alb: true, params: alb.params, how: `no ingressClassName: the default ${alb.from} (controller ${ALB_CONTROLLER})` };
    return { alb: false, how: `no ingressClassName and ${defaults.length === 0 ? 'no default IngressClass' : `default IngressClass ${defaults[0].name} of ${defaults[0].controller}`}` };
  }
  const found = classes.find((c) => c.name === name);
  if (!found) {
    // The chart's class name: its IngressClass may be applied outside the input, and judging it as an ALB only adds checks.
    const alb = name === CHART_INGRESS_CLASS;
    return { alb, how: `ingressClassName ${name}: no such IngressClass in the input${alb ? ', judged as the chart\'s ALB class' : ''}` };
  }
  return { alb: found.controller === ALB_CONTROLLER, params: found.controller === ALB_CONTROLLER ? found.params : undefined, how: `ingressClassName ${name}: ${found.from} (controller ${found.controller ?? 'unset'})` };
}

/** Whether an Ingress is served by the AWS Load Balancer Controller. */
export function isAlbIngress(context: ReportContext, ingress: KubeObject): boolean {
  return classifyIngress(context, ingress).alb;
}

/** The load balancer attributes an ALB Ingress asks for: its annotation, overridden by its IngressClassParams (which win in the controller). */
export function ingressLoadBalancerAttributes(
  context: ReportContext, ingress: KubeObject,
): { attributes: { [key: string]: string }; classAttributes: { [key: string]: string } } {
  const params = classifyIngress(context, ingress).params;
  const classAttributes: { [key: string]: string } = Object.fromEntries((params?.loadBalancerAttributes ?? []).map((a: any) => [a.key, a.value]));
  return { attributes: { ...attributes(ingress.metadata.annotations?.[`${PREFIX}/load-balancer-attributes`]), ...classAttributes }, classAttributes };
}

/**
 * Whether the Load Balancer Controller provisions an NLB for a Service, as it
 * decides (pkg/service/service_utils.go): a spec.loadBalancerClass must be
 * the controller's --load-balancer-class; without one, the annotation
 * aws-load-balancer-type nlb-ip, or external with an nlb-target-type. Any
 * other LoadBalancer Service gets the controller's class from its webhook
 * (webhooks/core/service_mutator.go) when a release leaves it on, as the
 * chart does by default. `external`
 * without a target type is judged as an NLB too: the in-tree controller skips
 * it and the row says what to set.
 */
export function isNlbService(context: ReportContext, service: KubeObject): boolean {
  const facts = controllerFacts(context);
  const loadBalancerClass = service.spec?.loadBalancerClass;
  if (loadBalancerClass) return facts.loadBalancerClasses.includes(loadBalancerClass);
  const type = service.metadata.annotations?.[`${SERVICE_PREFIX}/aws-load-balancer-type`];
  if (type === 'nlb-ip' || type === 'external') return true;
  return service.spec?.type === 'LoadBalancer' && facts.serviceMutator;
}

/** The ALBs and NLBs in front of a workload: one per ALB Ingress and Service it routes to, and one per NLB Service. */
export function loadBalancersOf(context: ReportContext, workload: Workload): LoadBalancerBackend[] {
  const facts = controllerFacts(context);
  const albs = workload.ingresses.flatMap((ingress) => {
    const classification = classifyIngress(context, ingress);
    if (!classification.alb) return [];
    const backends = ingressServiceBackends(ingress);
    return workload.services.filter((s) => backends.some((b) => b.name === s.metadata.name))
      .map((service) => {
        const backend = backends.find((b) => b.name === service.metadata.name)!;
        return albBackend(context, workload, ingress, service, backend, classification, facts);
      });
  });
  const nlbs = workload.services.filter((service) => isNlbService(context, service)).map((service) => nlbBackend(workload, service, facts));
  return [...albs, ...nlbs];
}

function albBackend(
  context: ReportContext, workload: Workload, ingress: KubeObject, service: KubeObject,
  backend: IngressBackend, classification: IngressClassification, facts: ControllerFacts,
): LoadBalancerBackend {
  // Target group settings: the Service's annotations win over the Ingress's (the controller merges them so); IngressClassParams over both.
  const annotations: { [key: string]: string } = { ...(ingress.metadata.annotations ?? {}), ...(service.metadata.annotations ?? {}) };
  const number = (key: string, fallback: number) => (annotations[`${PREFIX}/${key}`] !== undefined ? Number(annotations[`${PREFIX}/${key}`]) : fallback);
  const servicePort = (service.spec?.ports ?? []).find((p: any) => routesTo(backend, p));
  const trafficPort = containerPortNumber(workload.podSpec, servicePort?.targetPort ?? servicePort?.port);
  const checkPort = annotations[`${PREFIX}/healthcheck-port`];
  const targetGroup = attributes(annotations[`${PREFIX}/target-group-attributes`]);
  const paramsType: string | undefined = classification.params?.targetType || undefined;
  const annotatedType = annotations[`${PREFIX}/target-type`];
  const group = classification.params?.group?.name ?? ingress.metadata.annotations?.[`${PREFIX}/group.name`];
  return {
    kind: 'ALB',
    front: ingress,
    targetType: paramsType ?? annotatedType ?? facts.defaultTargetType,
    targetTypeFrom: paramsType ? 'IngressClassParams targetType' : annotatedType ? `${PREFIX}/target-type` : 'the controller\'s --default-target-type',
    intervalSeconds: number('healthcheck-interval-seconds', ALB_DEFAULTS.intervalSeconds),
    healthyThreshold: number('healthy-threshold-count', ALB_DEFAULTS.healthyThreshold),
    deregistrationDelaySeconds: targetGroup['deregistration_delay.timeout_seconds'] !== undefined
      ? Number(targetGroup['deregistration_delay.timeout_seconds']) : ALB_DEFAULTS.deregistrationDelaySeconds,
    loadBalancerAttributes: ingressLoadBalancerAttributes(context, ingress).attributes,
    trafficPort,
    healthCheckPort: checkPort === undefined || checkPort === 'traffic-port' ? trafficPort : containerPortNumber(workload.podSpec, checkPort),
    loadBalancer: group ? `Ingress group ${group}` : `Ingress ${namespaceOf(ingress)}/${ingress.metadata.name}`,
    targetTypeFix: paramsType ? 'set targetType: ip in the IngressClassParams of the Ingress\'s class (readiness gates and per-pod draining need pod targets)'
      : 'annotate the Ingress with alb.ingress.kubernetes.io/target-type: ip (readiness gates and per-pod draining need pod targets)',
    targetGroupAttributesKey: `${PREFIX}/target-group-attributes`,
  };
}

function nlbBackend(workload: Workload, service: KubeObject, facts: ControllerFacts): LoadBalancerBackend {
  const annotations = service.metadata.annotations ?? {};
  const annotation = (key: string) => annotations[`${SERVICE_PREFIX}/aws-load-balancer-${key}`];
  const number = (key: string, fallback: number) => (annotation(key) !== undefined ? Number(annotation(key)) : fallback);
  const type = annotation('type');
  const annotatedType = annotation('nlb-target-type');
  const [targetType, targetTypeFrom] = type === 'nlb-ip' ? ['ip', `${SERVICE_PREFIX}/aws-load-balancer-type nlb-ip`]
    : annotatedType ? [annotatedType, `${SERVICE_PREFIX}/aws-load-balancer-nlb-target-type`]
      : type === 'external' ? ['(unset)', `${SERVICE_PREFIX}/aws-load-balancer-type external without an nlb-target-type: nothing provisions it`]
        : [facts.defaultTargetType, 'the controller\'s --default-target-type'];
  const port = (service.spec?.ports ?? [])[0];
  const trafficPort = containerPortNumber(workload.podSpec, port?.targetPort ?? port?.port);
  const checkPort = annotation('healthcheck-port');
  const targetGroup = attributes(annotation('target-group-attributes'));
  return {
    kind: 'NLB',
    front: service,
    targetType,
    targetTypeFrom,
    intervalSeconds: number('healthcheck-interval', NLB_DEFAULTS.intervalSeconds),
    healthyThreshold: number('healthcheck-healthy-threshold', NLB_DEFAULTS.healthyThreshold),
    deregistrationDelaySeconds: targetGroup['deregistration_delay.timeout_seconds'] !== undefined
      ? Number(targetGroup['deregistration_delay.timeout_seconds']) : NLB_DEFAULTS.deregistrationDelaySeconds,
    loadBalancerAttributes: attributes(annotation('attributes')),
    trafficPort,
    healthCheckPort: checkPort === undefined || checkPort === 'traffic-port' ? trafficPort : containerPortNumber(workload.podSpec, checkPort),
    loadBalancer: `Service ${namespaceOf(service)}/${service.metadata.name}`,
    targetTypeFix: `annotate Service/${service.metadata.name} with ${SERVICE_PREFIX}/aws-load-balancer-nlb-target-type: ip (readiness gates and per-pod draining need pod targets)`,
    targetGroupAttributesKey: `${SERVICE_PREFIX}/aws-load-balancer-target-group-attributes`,
  };
}
