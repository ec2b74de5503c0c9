import { KubeObject } from './inputs';
import { Workload, runningContainers } from './workloads';
import { ZONE_TOPOLOGY_KEY } from '../../policy/spread';

/** The zones a pod's required node affinity limits it to, if it names them. */
export function affinityZones(podSpec: any): string[] | undefined {
  const terms: any[] = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const zones = terms.flatMap((term) => (term.matchExpressions ?? [])
    .filter((e: any) => e.key === ZONE_TOPOLOGY_KEY && e.operator === 'In').flatMap((e: any) => e.values ?? []));
  const selector = podSpec.nodeSelector?.[ZONE_TOPOLOGY_KEY];
  const all = [...zones, ...(selector ? [selector] : [])];
  return all.length > 0 ? [...new Set<string>(all)].sort() : undefined;
}

/** A pod's topology spread constraint over a key, hard ones first. */
export function spreadConstraint(podSpec: any, topologyKey: string, hard: boolean): any | undefined {
  return (podSpec.topologySpreadConstraints ?? []).find((c: any) =>
    c.topologyKey === topologyKey && (c.whenUnsatisfiable ?? 'DoNotSchedule') === (hard ? 'DoNotSchedule' : 'ScheduleAnyway'));
}

export const zoneSpread = (podSpec: any, hard: boolean) => spreadConstraint(podSpec, ZONE_TOPOLOGY_KEY, hard);

/** The replica range: the HPA's min and max, or the Deployment's fixed count (1 when unset, as Kubernetes defaults it). */
export function replicaRange(workload: Workload): { min: number; max: number; autoscaled: boolean } {
  const hpa = workload.horizontalPodAutoscaler;
  if (hpa) return { min: hpa.spec?.minReplicas ?? 1, max: hpa.spec?.maxReplicas ?? 1, autoscaled: true };
  const replicas = workload.deployment.object.spec?.replicas ?? 1;
  return { min: replicas, max: replicas, autoscaled: false };
}

/** The HPA's CPU utilisation target in percent, if it scales on CPU utilisation. */
export function cpuTarget(hpa: KubeObject | undefined): number | undefined {
  const metric = (hpa?.spec?.metrics ?? []).find((m: any) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization');
  return metric?.resource?.target?.averageUtilization;
}

/** Whether a toleration matches a NoExecute taint without value, as the taint eviction controller matches them (Toleration.ToleratesTaint). */
function tolerates(toleration: any, taint: string): boolean {
  if (toleration.effect && toleration.effect !== 'NoExecute') return false;
  if (toleration.key && toleration.key !== taint) return false;
  const operator = toleration.operator ?? 'Equal';
  return operator === 'Exists' || (operator === 'Equal' && (toleration.value ?? '') === '');
}

/**
 * Seconds a pod stays bound to a node with a NoExecute taint (undefined:
 * Kubernetes' DefaultTolerationSeconds applies). The taint eviction
 * controller evicts at the shortest tolerationSeconds among the tolerations
 * that match (0 or less: at once); only when none of them sets one does the
 * pod stay for ever. The admission plugin adds its default only when no
 * toleration names the taint's key (or no key) with effect NoExecute (or
 * none), whatever its operator and value; one that names it without matching
 * it leaves the pod with nothing that tolerates the taint: evicted at once.
 */
export function tolerationSeconds(podSpec: any, taint: string): number | undefined {
  const tolerations: any[] = podSpec.tolerations ?? [];
  const matching = tolerations.filter((t) => tolerates(t, taint));
  if (matching.length === 0) {
    const named = tolerations.some((t) => (!t.key || t.key === taint) && (!t.effect || t.effect === 'NoExecute'));
    return named ? 0 : undefined;
  }
  const finite = matching.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === 'number');
  return finite.length === 0 ? Infinity : Math.max(0, Math.min(...finite));
}

/** Seconds of a container's preStop sleep: the native `sleep` action, or an exec of `sleep N`. */
export function preStopSleepSeconds(container: any): number {
  const preStop = container?.lifecycle?.preStop;
  if (preStop?.sleep?.seconds !== undefined) return Number(preStop.sleep.seconds);
  const command: string[] = preStop?.exec?.command ?? [];
  const match = /(?:^|\s)sleep\s+(\d+)/.exec(command.join(' '));
  return match ? Number(match[1]) : 0;
}

/** Kubernetes' default grace period when a pod sets none. */
export const DEFAULT_GRACE_SECONDS = 30;

/** A container port number from a Service targetPort or probe port (a number, or the name of a port of a container or native sidecar). */
export function containerPortNumber(podSpec: any, port: unknown): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  const ports: any[] = runningContainers(podSpec).flatMap((c: any) => c.ports ?? []);
  return ports.find((p) => p.name === port)?.containerPort;
}

/** The seconds a probe takes to first succeed once it starts: initial delay, then one period per success needed. */
export function probeSeconds(probe: any): number {
  if (!probe) return 0;
  return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.successThreshold ?? 1);
}
