/** AWS FIS experiment templates the platform creates for its drills. */
export interface FaultInjectionOptions {
  /**
   * Create the experiment templates. They cost nothing until an experiment is started.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Stop every experiment when the region's ALBs return more than this many 5xx responses of their own
   * (502, 503, 504: no healthy target) per minute, for two minutes out of three.
   * @default 50
   */
  readonly maxLoadBalancer5xxPerMinute?: number;
  /**
   * Further CloudWatch alarms that stop every experiment (e.g. a service's error-rate alarm).
   * @default - the load balancer 5xx alarm only
   */
  readonly stopConditionAlarmArns?: string[];
}
