/**
 * The numbers a HaMicroservice was given by the resilience policy, with the
 * reason for each. Read them to review or report a service's guarantees; the
 * emitted Kubernetes objects carry exactly these values.
 */
export interface ResilienceSettings {
  /** Zones the replicas are spread over. */
  readonly zoneCount: number;
  /**
   * The zones the pods are restricted to, when named.
   * @default - any zone the nodes run in
   */
  readonly zones?: string[];
  /** Lowest replica count (the HPA's minimum, or the fixed count). */
  readonly minReplicas: number;
  /** Highest replica count (the HPA's maximum, or the fixed count). */
  readonly maxReplicas: number;
  /** Whether a HorizontalPodAutoscaler manages the replica count. */
  readonly autoscaled: boolean;
  /**
   * HPA CPU target, in percent of the CPU request.
   * @default - not autoscaled
   */
  readonly cpuTargetUtilization?: number;
  /**
   * HPA memory target, in percent of the memory request.
   * @default - not autoscaled
   */
  readonly memoryTargetUtilization?: number;
  /**
   * The highest utilisation target at which the replicas left after losing
   * one zone still carry the load within their requests.
   * @default - not autoscaled
   */
  readonly maxStableUtilization?: number;
  /** Pods the PodDisruptionBudget lets voluntary disruptions take at once. */
  readonly maxUnavailable: number;
  /** Seconds the preStop hook sleeps before SIGTERM. */
  readonly preStopSleepSeconds: number;
  /** Seconds from deletion to SIGKILL (includes the preStop sleep). */
  readonly terminationGracePeriodSeconds: number;
  /**
   * Seconds the ALB drains a deregistered target.
   * @default - not exposed through an ALB
   */
  readonly deregistrationDelaySeconds?: number;
  /** Seconds pods stay on a not-ready or unreachable node before eviction. */
  readonly nodeFailureTolerationSeconds: number;
  /** Whether the Service sends in-cluster calls to replicas in the caller's zone first (`trafficDistribution: PreferSameZone`). */
  readonly preferSameZoneTraffic: boolean;
  /** Why each setting has its value, keyed by the setting's name. */
  readonly reasons: { [setting: string]: string };
}
