import { KubeObject } from '../inputs';
import { containerPortNumber } from '../pod-facts';
import { Workload } from '../workloads';

const PREFIX = 'alb.ingress.kubernetes.io';

/** ELB's defaults for what the Ingress does not set (Load Balancer Controller annotation docs; target group attributes). */
export const ALB_DEFAULTS = { intervalSeconds: 15, healthyThreshold: 2, deregistrationDelaySeconds: 300, targetType: 'instance' } as const;

/** What the Load Balancer Controller makes of an Ingress, for one workload behind it. */
export interface AlbBackend {
  readonly ingress: KubeObject;
  readonly targetType: string;
  readonly intervalSeconds: number;
  readonly healthyThreshold: number;
  readonly deregistrationDelaySeconds: number;
  /** Load balancer attributes, key to value. */
  readonly loadBalancerAttributes: { readonly [key: string]: string };
  /** The container port the ALB sends traffic to. */
  readonly trafficPort?: number;
  /** The container port the ALB health-checks. */
  readonly healthCheckPort?: number;
  /** The Ingress group (one ALB for all its members), or the Ingress itself. */
  readonly loadBalancer: string;
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

/** Whether an Ingress is served by the AWS Load Balancer Controller. */
export function isAlbIngress(ingress: KubeObject): boolean {
  return ingress.spec?.ingressClassName === 'alb' || ingress.metadata.annotations?.['kubernetes.io/ingress.class'] === 'alb';
}

/** The ALB in front of a workload, if an ALB Ingress routes to one of its Services. */
export function albOf(workload: Workload): AlbBackend | undefined {
  const ingress = workload.ingresses.find(isAlbIngress);
  if (!ingress) return undefined;
  const annotations = ingress.metadata.annotations ?? {};
  const number = (key: string, fallback: number) => (annotations[`${PREFIX}/${key}`] !== undefined ? Number(annotations[`${PREFIX}/${key}`]) : fallback);
  const backendNames = new Set((ingress.spec?.rules ?? []).flatMap((r: any) => (r.http?.paths ?? []).map((p: any) => p.backend?.service)));
  const service = workload.services.find((s) => [...backendNames].some((b: any) => b?.name === s.metadata.name));
  const backend = [...backendNames].find((b: any) => b?.name === service?.metadata.name) as any;
  const servicePort = (service?.spec?.ports ?? []).find((p: any) => p.port === backend?.port?.number || p.name === backend?.port?.name);
  const trafficPort = containerPortNumber(workload.podSpec, servicePort?.targetPort ?? servicePort?.port);
  const checkPort = annotations[`${PREFIX}/healthcheck-port`];
  const targetGroup = attributes(annotations[`${PREFIX}/target-group-attributes`]);
  const group = annotations[`${PREFIX}/group.name`];
  return {
    ingress,
    targetType: annotations[`${PREFIX}/target-type`] ?? ALB_DEFAULTS.targetType,
    intervalSeconds: number('healthcheck-interval-seconds', ALB_DEFAULTS.intervalSeconds),
    healthyThreshold: number('healthy-threshold-count', ALB_DEFAULTS.healthyThreshold),
    deregistrationDelaySeconds: targetGroup['deregistration_delay.timeout_seconds'] !== undefined
      ? Number(targetGroup['deregistration_delay.timeout_seconds']) : ALB_DEFAULTS.deregistrationDelaySeconds,
    loadBalancerAttributes: attributes(annotations[`${PREFIX}/load-balancer-attributes`]),
    trafficPort,
    healthCheckPort: checkPort === undefined || checkPort === 'traffic-port' ? trafficPort : containerPortNumber(workload.podSpec, checkPort),
    loadBalancer: group ? `Ingress group ${group}` : `Ingress ${ingress.metadata.namespace ?? 'default'}/${ingress.metadata.name}`,
  };
}
