import { invalid } from './errors';
import type { AlarmThresholds } from '../platform/alerting-options';

/**
 * When an alarm pages: above `threshold`, in `datapointsToAlarm` of the last
 * `evaluationPeriods` periods of `periodMinutes`. `reason` says why these
 * numbers and goes into the alarm's description, so the person paged reads
 * it next to the graph.
 */
export interface AlarmRule {
  readonly threshold: number;
  readonly periodMinutes: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly reason: string;
}

/** The thresholds a user may change: the public options, read here so that their rules and defaults live in one place. */
export type AlarmThresholdInput = AlarmThresholds;

/** Every alarm the platform can create. */
export type AlarmName =
  | 'notReadyNodes' | 'pendingPods' | 'crashLoopingContainers' | 'containerRestarts'
  | 'loadBalancer5xxPerMinute' | 'unhealthyTargets'
  | 'interruptionQueueAgeSeconds' | 'interruptionQueueDepth'
  | 'natPortAllocationErrors' | 'natPacketDropPercent'
  | 'backupJobsFailed' | 'veleroBackupsFailed';

/** A threshold the user may set, its default and the rule it must follow. */
interface ThresholdSpec {
  readonly defaultValue: number;
  readonly min: number;
  readonly max: number;
  /** Counts are whole; percentages and seconds may be fractional where noted. */
  readonly whole: boolean;
  readonly unit: string;
}

const THRESHOLDS: Record<keyof AlarmThresholdInput, ThresholdSpec> = {
  notReadyNodes: { defaultValue: 1, min: 1, max: 10_000, whole: true, unit: 'nodes' },
  pendingPods: { defaultValue: 1, min: 1, max: 100_000, whole: true, unit: 'pods' },
  crashLoopingContainers: { defaultValue: 1, min: 1, max: 100_000, whole: true, unit: 'containers' },
  containerRestarts: { defaultValue: 5, min: 1, max: 100_000, whole: true, unit: 'restarts in 15 minutes' },
  loadBalancer5xxPerMinute: { defaultValue: 10, min: 1, max: 1_000_000, whole: true, unit: '5xx responses a minute' },
  unhealthyTargets: { defaultValue: 1, min: 1, max: 10_000, whole: true, unit: 'targets' },
  interruptionQueueAgeSeconds: { defaultValue: 60, min: 10, max: 300, whole: true, unit: 'seconds' },
  interruptionQueueDepth: { defaultValue: 50, min: 1, max: 100_000, whole: true, unit: 'messages' },
  natPacketDropPercent: { defaultValue: 0.01, min: 0.001, max: 100, whole: false, unit: 'percent of packets' },
};

/** Reads one threshold, checked against its rule. */
function threshold(input: AlarmThresholdInput, name: keyof AlarmThresholdInput): number {
  const spec = THRESHOLDS[name];
  const value = input[name] ?? spec.defaultValue;
  if (!Number.isFinite(value) || value < spec.min || value > spec.max || (spec.whole && !Number.isInteger(value))) {
    invalid(`alerting.thresholds.${name}`, value,
      `must be ${spec.whole ? 'a whole number' : 'a number'} of ${spec.unit} from ${spec.min} to ${spec.max}`,
      `set it between ${spec.min} and ${spec.max}, or omit it for the default ${spec.defaultValue}`);
  }
  return value;
}

/**
 * The alarms of the platform, with thresholds from the user and the windows
 * this policy decides. The windows are set from how long the platform takes
 * to heal itself: an alarm that pages for what Kubernetes or Karpenter fixes
 * within minutes teaches people to ignore pages.
 */
export function alarmRules(input: AlarmThresholdInput = {}): Record<AlarmName, AlarmRule> {
  const every = (minutes: number, periods: number, datapoints = periods) =>
    ({ periodMinutes: minutes, evaluationPeriods: periods, datapointsToAlarm: datapoints });
  return {
    notReadyNodes: {
      threshold: threshold(input, 'notReadyNodes'),
      ...every(1, 5),
      reason: 'a new node turns Ready within about two minutes; a node failing for five minutes in a row is lost capacity ' +
        '(node auto repair or Karpenter replaces it, but a whole zone failing shows here first)',
    },
    pendingPods: {
      threshold: threshold(input, 'pendingPods'),
      ...every(1, 10),
      reason: 'Karpenter launches capacity for a pending pod within one to two minutes; pods pending for ten minutes mean capacity cannot be found ' +
        '(NodePool limits, no instance type available in any zone, or a zone spread that cannot be met)',
    },
    crashLoopingContainers: {
      threshold: threshold(input, 'crashLoopingContainers'),
      ...every(1, 10),
      reason: 'a container in CrashLoopBackOff for ten minutes will not recover by restarting: its image, configuration or a dependency is broken',
    },
    containerRestarts: {
      threshold: threshold(input, 'containerRestarts'),
      ...every(15, 1),
      reason: 'liveness probes and the OOM killer restart containers; many restarts in a quarter of an hour mean a service is unstable ' +
        'even when every pod is Running at the moment someone looks',
    },
    loadBalancer5xxPerMinute: {
      threshold: threshold(input, 'loadBalancer5xxPerMinute'),
      ...every(1, 5, 3),
      reason: 'users see errors: three minutes out of five, so that one bad minute does not page but a lasting failure does',
    },
    unhealthyTargets: {
      threshold: threshold(input, 'unhealthyTargets'),
      ...every(1, 5),
      reason: 'readiness gates keep rollouts from showing unhealthy targets; targets unhealthy for five minutes are pods the load balancer cannot use',
    },
    interruptionQueueAgeSeconds: {
      threshold: threshold(input, 'interruptionQueueAgeSeconds'),
      ...every(1, 3),
      reason: 'Karpenter reads interruption events within seconds; a message this old means Karpenter is not draining nodes before a spot ' +
        'reclaim (2 minutes notice) or a scheduled retirement, and the queue drops messages after 300 seconds',
    },
    interruptionQueueDepth: {
      threshold: threshold(input, 'interruptionQueueDepth'),
      ...every(1, 5),
      reason: 'a growing backlog of interruption events means Karpenter is down or cannot keep up with a mass spot reclaim',
    },
    natPortAllocationErrors: {
      threshold: 1,
      ...every(5, 1),
      reason: 'any port allocation error means connections through the NAT gateway are being refused (too many concurrent connections to one destination)',
    },
    natPacketDropPercent: {
      threshold: threshold(input, 'natPacketDropPercent'),
      ...every(5, 3),
      reason: 'AWS advises checking the AWS Health Dashboard when a NAT gateway drops more than 0.01 percent of its packets',
    },
    backupJobsFailed: {
      threshold: 1,
      ...every(60, 1),
      reason: 'a failed backup, copy or restore test job leaves the recovery point objective unmet until the next successful run',
    },
    veleroBackupsFailed: {
      threshold: 1,
      ...every(5, 1),
      reason: 'a Velero backup that failed or partially failed is a recovery point missing or incomplete: the RPO allows one missed run, ' +
        'so the next failure breaks it, and Velero retries nothing before its next scheduled run',
    },
  };
}
