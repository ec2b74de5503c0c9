import { DEFAULT_MAX_REPLICAS_FACTOR, DEFAULT_MEMORY_TARGET_UTILIZATION, MEMORY_TARGET_REASON, maxStableUtilization } from '../../policy/autoscaling';
import { disruptionBudget } from '../../policy/disruption';
import { wholeSeconds } from '../../policy/durations';
import { invalid, requireIntegerInRange } from '../../policy/errors';
import { cpuMillicores, memoryKibibytes } from '../../policy/quantities';
import { notReadyTolerationSeconds } from '../../policy/recovery';
import { shutdownTimings } from '../../policy/shutdown';
import { sameZoneTraffic } from '../../policy/spread';
import { namedZones, replicaFloor, zoneCount as decideZoneCount } from '../../policy/zones';
import { HaMicroserviceProps } from '../ha-microservice-props';
import { ResilienceSettings } from '../resilience-settings';

/** Requests and limits in base units, validated. */
export interface ResolvedResources {
  readonly cpuRequestMillis: number;
  readonly cpuLimitMillis?: number;
  readonly memoryRequestKib: number;
  readonly memoryLimitKib: number;
}

/**
 * Turns a HaMicroservice's props into the numbers its objects carry, through
 * the policy module, and rejects what breaks a rule.
 */
export function resolveSettings(props: HaMicroserviceProps): { settings: ResilienceSettings; resources: ResolvedResources } {
  const reasons: { [setting: string]: string } = {};
  const record = <T>(key: string, decision: { value: T; reason: string }): T => {
    reasons[key] = decision.reason;
    return decision.value;
  };

  const named = props.zones && namedZones(props.zones, 'zones', 'zoneCount', props.zoneCount);
  const zones = record('zoneCount', decideZoneCount(named?.length ?? props.zoneCount, named ? 'zones' : 'zoneCount'));
  const floor = replicaFloor(zones);
  const replicas = resolveReplicas(props, zones, floor.value);
  reasons.minReplicas = floor.reason;
  if (replicas.maxStable) {
    reasons.cpuTargetUtilization = replicas.maxStable.reason;
    reasons.memoryTargetUtilization = MEMORY_TARGET_REASON;
  }

  const pdb = record('maxUnavailable', disruptionBudget());
  const timings = shutdownTimings({
    preStopSleepSeconds: props.preStopSleep && wholeSeconds('preStopSleep', props.preStopSleep),
    terminationGracePeriodSeconds: props.terminationGracePeriod && wholeSeconds('terminationGracePeriod', props.terminationGracePeriod),
    deregistrationDelaySeconds: props.expose?.deregistrationDelay && wholeSeconds('expose.deregistrationDelay', props.expose.deregistrationDelay),
    props: { preStop: 'preStopSleep', grace: 'terminationGracePeriod', deregistration: 'expose.deregistrationDelay' },
  });
  const toleration = record('nodeFailureTolerationSeconds', notReadyTolerationSeconds(
    props.nodeFailureToleration && wholeSeconds('nodeFailureToleration', props.nodeFailureToleration), 'nodeFailureToleration'));

  const settings: ResilienceSettings = {
    zoneCount: zones,
    zones: named,
    minReplicas: replicas.min,
    maxReplicas: replicas.max,
    autoscaled: replicas.autoscaled,
    cpuTargetUtilization: replicas.cpuTarget,
    memoryTargetUtilization: replicas.memoryTarget,
    maxStableUtilization: replicas.maxStable?.value,
    maxUnavailable: pdb.maxUnavailable,
    preStopSleepSeconds: record('preStopSleepSeconds', timings.preStopSleepSeconds),
    terminationGracePeriodSeconds: record('terminationGracePeriodSeconds', timings.terminationGracePeriodSeconds),
    deregistrationDelaySeconds: props.expose ? record('deregistrationDelaySeconds', timings.deregistrationDelaySeconds) : undefined,
    nodeFailureTolerationSeconds: toleration,
    preferSameZoneTraffic: record('preferSameZoneTraffic', sameZoneTraffic(zones, replicas.min, replicas.max, replicas.cpuTarget, props.preferSameZoneTraffic)),
    reasons,
  };
  return { settings, resources: resolveResources(props) };
}

interface ResolvedReplicas {
  readonly autoscaled: boolean;
  readonly min: number;
  readonly max: number;
  readonly cpuTarget?: number;
  readonly memoryTarget?: number;
  readonly maxStable?: { value: number; reason: string };
}

const MAX_REPLICAS = 1000;

function resolveReplicas(props: HaMicroserviceProps, zones: number, floor: number): ResolvedReplicas {
  const floorRule = `at least ${floor}: one replica per zone (${zones} zones) and never fewer than 3`;
  if (props.replicas !== undefined) {
    if (props.autoscaling !== undefined) {
      invalid('replicas', props.replicas, 'cannot be combined with autoscaling: the HPA and a fixed count would fight over spec.replicas',
        'remove replicas to autoscale, or remove autoscaling for a fixed count');
    }
    requireIntegerInRange('replicas', props.replicas, floor, MAX_REPLICAS, floorRule);
    return { autoscaled: false, min: props.replicas, max: props.replicas };
  }

  const options = props.autoscaling ?? {};
  const min = options.minReplicas ?? floor;
  requireIntegerInRange('autoscaling.minReplicas', min, floor, MAX_REPLICAS, floorRule);
  const max = options.maxReplicas ?? Math.min(MAX_REPLICAS, DEFAULT_MAX_REPLICAS_FACTOR * min);
  if (!Number.isInteger(max) || max < min) {
    invalid('autoscaling.maxReplicas', max, `must be a whole number no lower than autoscaling.minReplicas (${min})`,
      `set autoscaling.maxReplicas to ${min} or more`);
  }
  requireIntegerInRange('autoscaling.maxReplicas', max, min, MAX_REPLICAS, 'a sanity bound on one Deployment');

  const stable = maxStableUtilization(zones, min, max);
  const percentage = (prop: string, value: number, fix: string): number => {
    if (!Number.isInteger(value) || value <= 0 || value > 100) {
      invalid(prop, value, 'must be a whole percentage in (0, 100]', fix);
    }
    return value;
  };
  const cpuTarget = (prop: string, requested: number | undefined): number => {
    const value = percentage(prop, requested ?? stable.value, `use a value between 1 and ${stable.value}`);
    if (value > stable.value && !options.acceptZoneLossOverload) {
      invalid(prop, value,
        `breaks static stability: ${stable.reason}`,
        `lower ${prop} to ${stable.value} or less, raise autoscaling.minReplicas so the replica range loses a smaller share per zone, ` +
        'or set autoscaling.acceptZoneLossOverload to true to accept running above the requests after a zone loss');
    }
    return value;
  };
  return {
    autoscaled: true,
    min,
    max,
    cpuTarget: cpuTarget('autoscaling.cpuTargetUtilization', options.cpuTargetUtilization),
    memoryTarget: percentage('autoscaling.memoryTargetUtilization', options.memoryTargetUtilization ?? DEFAULT_MEMORY_TARGET_UTILIZATION,
      `use a value between 1 and 100 (default ${DEFAULT_MEMORY_TARGET_UTILIZATION})`),
    maxStable: stable,
  };
}

function resolveResources(props: HaMicroserviceProps): ResolvedResources {
  const cpuRequestMillis = cpuMillicores('cpu', props.cpu);
  const memoryRequestKib = memoryKibibytes('memory', props.memory);
  const cpuLimitMillis = props.cpuLimit && cpuMillicores('cpuLimit', props.cpuLimit);
  const memoryLimitKib = props.memoryLimit ? memoryKibibytes('memoryLimit', props.memoryLimit) : memoryRequestKib;
  if (cpuLimitMillis !== undefined && cpuLimitMillis < cpuRequestMillis) {
    invalid('cpuLimit', `${cpuLimitMillis}m`, `must not be below the CPU request (${cpuRequestMillis}m): Kubernetes rejects such a pod`,
      `raise cpuLimit to at least Cpu.millis(${cpuRequestMillis}) or remove it`);
  }
  if (memoryLimitKib < memoryRequestKib) {
    invalid('memoryLimit', `${memoryLimitKib}Ki`, `must not be below the memory request (${memoryRequestKib}Ki): Kubernetes rejects such a pod`,
      'raise memoryLimit to at least the memory request or remove it');
  }
  return { cpuRequestMillis, cpuLimitMillis, memoryRequestKib, memoryLimitKib };
}
