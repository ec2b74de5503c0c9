/**
 * When the platform's alarms fire. Each threshold is checked over a window the
 * resilience policy sets from how long the platform takes to heal itself (see
 * the README's "When a team gets paged"); only the level is yours to choose.
 */
export interface AlarmThresholds {
  /**
   * Nodes failing (NotReady or under pressure) for five minutes in a row.
   * @default 1
   */
  readonly notReadyNodes?: number;
  /**
   * Pods Pending for ten minutes in a row.
   * @default 1
   */
  readonly pendingPods?: number;
  /**
   * Containers in CrashLoopBackOff for ten minutes in a row.
   * @default 1
   */
  readonly crashLoopingContainers?: number;
  /**
   * Container restarts in the cluster in 15 minutes.
   * @default 5
   */
  readonly containerRestarts?: number;
  /**
   * 5xx responses a minute of one ALB target group (a service's own errors) or of one
   * ALB (no healthy target), in three minutes out of five.
   * @default 10
   */
  readonly loadBalancer5xxPerMinute?: number;
  /**
   * Unhealthy targets of a load-balanced service for five minutes in a row.
   * @default 1
   */
  readonly unhealthyTargets?: number;
  /**
   * Age in seconds of the oldest message in Karpenter's interruption queue, for three minutes.
   * @default 60
   */
  readonly interruptionQueueAgeSeconds?: number;
  /**
   * Messages waiting in Karpenter's interruption queue, for five minutes.
   * @default 50
   */
  readonly interruptionQueueDepth?: number;
  /**
   * Share of a NAT gateway's packets (percent) dropped, in three five-minute periods in a row.
   * @default 0.01
   */
  readonly natPacketDropPercent?: number;
}

/** Where the platform's alarms go and when they fire. */
export interface AlertingOptions {
  /**
   * Create the alarm topic and the alarms.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Email addresses subscribed to the alarm topic (each must confirm the subscription).
   * @default - none; subscribe your pager or chat integration to `alarmTopic`
   */
  readonly emailAddresses?: string[];
  /**
   * Alarm thresholds.
   * @default - the defaults of each AlarmThresholds field
   */
  readonly thresholds?: AlarmThresholds;
}
