import { KubeObject } from './inputs';
import { Workload, runningContainers, trafficPorts } from './workloads';
import { ZONE_TOPOLOGY_KEY } from '../../policy/spread';

/** What a pod's required node affinity and nodeSelector allow of the zone label. */
export interface ZoneAffinity {
  /** Whether a node in the zone may run the pod, as far as the zone label decides. */
  readonly allows: (zone: string) => boolean;
  /** The zones the pod names and allows, when it can run only in zones it names (nodeSelector, or an In in every term). */
  readonly named?: string[];
  /** The restriction in words, for the arithmetic (undefined: the pod may run in any zone). */
  readonly restriction?: string;
}

/**
 * The objects of a list field. A null, a non-list or a null item reads as
 * absent: the API server decodes a null list as an empty one, and a manifest
 * of another shape is not for the report to crash on.
 */
export function listOf(value: unknown): any[] {
  return Array.isArray(value) ? value.filter((item) => item !== null && typeof item === 'object') : [];
}

/** The strings of a list field (a requirement's values), absent when null or of another shape. */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Whether a zone meets one node selector requirement on the zone label (every node of an EKS cluster carries it). */
function zoneRequirementHolds(requirement: any, zone: string): boolean {
  const values = stringsOf(requirement.values);
  switch (requirement.operator) {
    case 'In': return values.includes(zone);
    case 'NotIn': return !values.includes(zone);
    case 'Exists': return true;
    // DoesNotExist: every node has a zone. Gt and Lt compare integers, which zone names are not.
    default: return false;
  }
}

const describeRequirement = (r: any) => `${r.operator}${stringsOf(r.values).length > 0 ? ` ${stringsOf(r.values).join(', ')}` : ''}`;

/**
 * The zones a pod may run in, from its required node affinity (the
 * nodeSelectorTerms are ORed, the requirements of a term ANDed, and a term
 * with no requirement matches no node) and its nodeSelector, as the
 * scheduler reads them. Requirements on other labels are taken to be met by
 * some node in every zone.
 */
export function zoneAffinity(podSpec: any): ZoneAffinity {
  const required = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  // A null item of the list decodes as an empty term, which matches no node.
  const terms: any[] | undefined = Array.isArray(required?.nodeSelectorTerms) ? required.nodeSelectorTerms.map((t: any) => t ?? {}) : undefined;
  const zoneRequirements = (term: any): any[] => listOf(term?.matchExpressions).filter((e: any) => e.key === ZONE_TOPOLOGY_KEY);
  const termMatchesSomething = (term: any) => listOf(term?.matchExpressions).length > 0 || listOf(term?.matchFields).length > 0;
  const selected: string | undefined = podSpec.nodeSelector?.[ZONE_TOPOLOGY_KEY];
  const allows = (zone: string) => (selected === undefined || selected === zone) &&
    (terms === undefined || terms.some((term) => termMatchesSomething(term) && zoneRequirements(term).every((r) => zoneRequirementHolds(r, zone))));
  const restrictions: string[] = [];
  if (selected !== undefined) restrictions.push(`nodeSelector ${ZONE_TOPOLOGY_KEY}: ${selected}`);
  if (terms !== undefined) {
    const described = terms.map((term) => termMatchesSomething(term)
      ? zoneRequirements(term).map(describeRequirement).join(' and ') || 'any zone'
      : 'no node (an empty term)');
    if (described.some((d) => d !== 'any zone')) restrictions.push(`node affinity on ${ZONE_TOPOLOGY_KEY}: ${described.join(' or ')}`);
  }
  // Zones a pod names: every way it may be scheduled lists its zones with In (or the nodeSelector does).
  const finite = selected !== undefined ||
    (terms !== undefined && terms.every((term) => !termMatchesSomething(term) || zoneRequirements(term).some((r) => r.operator === 'In')));
  const mentioned = [selected, ...(terms ?? []).flatMap((term) => zoneRequirements(term).flatMap((r) => stringsOf(r.values)))];
  const named = finite ? [...new Set(mentioned.filter((zone): zone is string => typeof zone === 'string' && allows(zone)))].sort() : undefined;
  return { allows, named, restriction: restrictions.length > 0 ? restrictions.join('; ') : undefined };
}

/** The zones a pod names and may run in (see {@link zoneAffinity}), if it names them. */
export function affinityZones(podSpec: any): string[] | undefined {
  return zoneAffinity(podSpec).named;
}

/** A pod's topology spread constraints over a key, of one kind (hard: DoNotSchedule), in the order written. */
export function spreadConstraints(podSpec: any, topologyKey: string, hard: boolean): any[] {
  return listOf(podSpec.topologySpreadConstraints).filter((c: any) =>
    c.topologyKey === topologyKey && (c.whenUnsatisfiable ?? 'DoNotSchedule') === (hard ? 'DoNotSchedule' : 'ScheduleAnyway'));
}

/** A pod's first topology spread constraint over a key, of one kind (hard: DoNotSchedule). */
export function spreadConstraint(podSpec: any, topologyKey: string, hard: boolean): any | undefined {
  return spreadConstraints(podSpec, topologyKey, hard)[0];
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
  const metric = listOf(hpa?.spec?.metrics).find((m: any) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization');
  return metric?.resource?.target?.averageUtilization;
}

/**
 * The containers whose CPU request an HPA's CPU utilisation needs but does
 * not find. The HPA divides usage by the pod's summed requests over its
 * containers and sidecars (init containers with restartPolicy Always), and
 * gives up on the metric (FailedGetResourceMetric, "missing request for cpu")
 * when one of them has none, unless the pod sets a pod-level CPU request.
 */
export function containersWithoutCpuRequest(podSpec: any): string[] {
  if (podSpec.resources?.requests?.cpu !== undefined) return [];
  return runningContainers(podSpec).filter((c: any) => c.resources?.requests?.cpu === undefined).map((c: any) => c.name);
}

/** A node taint (key, optional value, effect). */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** Whether a toleration tolerates a taint (Toleration.ToleratesTaint: effect, then key and operator). */
export function toleratesTaint(toleration: any, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  const operator = toleration.operator ?? 'Equal';
  if (operator === 'Exists') return !toleration.key || toleration.key === taint.key;
  return operator === 'Equal' && toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
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
  const tolerations = listOf(podSpec.tolerations);
  const matching = tolerations.filter((t) => toleratesTaint(t, { key: taint, effect: 'NoExecute' }));
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
  if (typeof port !== 'string') return undefined;
  const ports: any[] = runningContainers(podSpec).flatMap((c: any) => c.ports ?? []);
  return ports.find((p) => p.name === port)?.containerPort;
}

/** The protocol of a Service or container port that names none. */
const DEFAULT_PROTOCOL = 'TCP';

/** The handler of a probe that checks a port, and that port. */
function probedPort(probe: any): unknown {
  return probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
}

/**
 * The port number a container's probe checks: a number as written, a name
 * resolved among that container's own ports (the kubelet resolves a probe's
 * named port in the probed container only); undefined if the name is not one.
 */
export function probePortNumber(container: any, probe: any): number | undefined {
  const port = probedPort(probe);
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  return (container.ports ?? []).find((p: any) => p.name === port)?.containerPort;
}

/** Where a Service targetPort lands in a pod: the container that owns it and its number, if anything shows one does. */
export interface TargetPortOwner {
  readonly container?: any;
  readonly number?: number;
  /** How the owner was found, for the arithmetic. */
  readonly how: string;
}

/**
 * The container a Service targetPort reaches, as the EndpointSlice controller
 * resolves it (FindPort in pkg/api/v1/pod/util.go): a name among the ports of
 * the containers and native sidecars, of the Service port's protocol; a pod
 * without it gets no endpoint. A number is used as written whatever the
 * containers declare, so a declared containerPort, or a probe on it, is what
 * shows that something listens there.
 */
export function targetPortOwner(podSpec: any, targetPort: unknown, protocol: string = DEFAULT_PROTOCOL): TargetPortOwner {
  const running = runningContainers(podSpec);
  const declared = (c: any, match: (p: any) => boolean) =>
    (c.ports ?? []).find((p: any) => match(p) && (p.protocol ?? DEFAULT_PROTOCOL) === protocol);
  if (typeof targetPort === 'string' && !/^\d+$/.test(targetPort)) {
    const owner = running.find((c) => declared(c, (p) => p.name === targetPort));
    return owner
      ? { container: owner, number: declared(owner, (p) => p.name === targetPort).containerPort, how: `container ${owner.name} declares ${targetPort} (${declared(owner, (p) => p.name === targetPort).containerPort}/${protocol})` }
      : { how: `no container declares a ${protocol} port named ${targetPort}` };
  }
  const number = Number(targetPort);
  const owner = running.find((c) => declared(c, (p) => p.containerPort === number));
  if (owner) return { container: owner, number, how: `container ${owner.name} declares ${number}/${protocol}` };
  const probes = (c: any) => [c.readinessProbe, c.livenessProbe, c.startupProbe].filter((probe) => probe);
  const probed = running.find((c) => probes(c).some((probe) => probePortNumber(c, probe) === number));
  if (probed) return { container: probed, number, how: `container ${probed.name} does not declare ${number} but probes it` };
  return { number, how: `no container declares ${number}/${protocol} or probes it` };
}

/** The container port numbers the workload's Services send traffic to, most significant first. */
export function servedPorts(workload: Workload): number[] {
  const numbers = trafficPorts(workload).map((port) => containerPortNumber(workload.podSpec, port));
  return [...new Set(numbers.filter((n): n is number => n !== undefined))];
}

/** Commands that succeed whatever the application does: a shell's `true`, `:`, `exit 0` or an `echo`. */
const ALWAYS_SUCCEEDS = /^(?:(?:\/usr)?\/bin\/)?(?:true|:|echo)(?:\s.*)?$|^exit(?:\s+0)?$/;
const SHELL = /^(?:(?:\/usr)?\/bin\/)?(?:ba|da|a)?sh$/;

/** Whether an exec probe's command always succeeds (run directly or through `sh -c`). */
export function alwaysSucceeds(command: unknown): boolean {
  const words: string[] = Array.isArray(command) ? command.map(String) : [];
  if (words.length === 0) return false;
  const script = SHELL.test(words[0]) && words[1] === '-c' ? words.slice(2).join(' ') : words.join(' ');
  return script.split(/\s*(?:;|&&)\s*/).map((part) => part.trim()).filter((part) => part).every((part) => ALWAYS_SUCCEEDS.test(part));
}

/**
 * Why the serving container's readiness probe does not show that it can
 * serve, if it does not: an exec command that always succeeds, a named port
 * the container does not declare (the probe never succeeds, so the pod is
 * never Ready), or a port that is neither one its Services send traffic to
 * nor one any container of the pod declares.
 */
export function readinessProbeProblem(workload: Workload, container: any): string | undefined {
  const probe = container.readinessProbe;
  if (!probe) return undefined;
  const served = servedPorts(workload);
  const servedText = served.length > 0 ? `the served port ${served.join(', ')}` : 'a port the container serves';
  if (probe.exec) {
    return alwaysSucceeds(probe.exec.command)
      ? `its readiness probe runs "${(probe.exec.command ?? []).join(' ')}", which always succeeds: the pod is Ready before ${servedText} answers` : undefined;
  }
  const port = probedPort(probe);
  if (port === undefined) return undefined;
  const number = probePortNumber(container, probe);
  if (number === undefined) return `its readiness probe names port ${port}, which container ${container.name} does not declare: the probe fails and the pods never become Ready`;
  const declared = runningContainers(workload.podSpec).some((c: any) => (c.ports ?? []).some((p: any) => p.containerPort === number));
  // A declared port of its own (a management port, say) is a deliberate health endpoint.
  if (served.includes(number) || declared) return undefined;
  return `its readiness probe checks port ${number}, which no container declares and which is not ${servedText}: the pod turns Ready whatever the served port answers`;
}

/** The seconds a probe takes to first succeed once it starts: initial delay, then one period per success needed. */
export function probeSeconds(probe: any): number {
  if (!probe) return 0;
  return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.successThreshold ?? 1);
}
