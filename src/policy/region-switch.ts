import { Decision } from './decision';
import { MIN_RTO_MINUTES, RecoveryStrategy } from './disaster-recovery';
import { FAILOVER_RECORD_TTL_SECONDS, HEALTH_CHECK_FAILURE_THRESHOLD, HEALTH_CHECK_INTERVAL_SECONDS, dnsDetectionSeconds } from './dns-failover';
import { invalid } from './errors';

/**
 * Route 53's defaults, which the RTO row assumes for a failover record or
 * health check of a template that leaves them unset: a standard health check probes every 30 s and turns unhealthy
 * after 3 failures (the AWS::Route53::HealthCheck defaults, RequestInterval
 * and FailureThreshold), and an alias record to a load balancer is cached for
 * the load balancer's TTL of 60 s (Route 53 "Choosing between alias and
 * non-alias records": an alias record takes its target's TTL; Elastic Load
 * Balancing sets 60 s on its DNS names).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-route53-healthcheck-healthcheckconfig.html
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
 */
export const DNS_DETECTION = {
  requestIntervalSeconds: 30,
  failureThreshold: 3,
  aliasTtlSeconds: 60,
} as const;

/**
 * Whole minutes the RTO reserves for detection by the failover records the
 * platform writes (src/policy/dns-failover.ts): ceil((30 x 3 + 60) / 60) = 3.
 */
export const DETECTION_MINUTES = Math.ceil(
  dnsDetectionSeconds(HEALTH_CHECK_INTERVAL_SECONDS, HEALTH_CHECK_FAILURE_THRESHOLD, FAILOVER_RECORD_TTL_SECONDS) / 60);

/**
 * The Route 53 health-check step: Region switch flips the state of the health
 * checks it vends (a Route 53 data-plane change), and resolvers follow within
 * the alias TTL; one minute for the flip and one for the TTL.
 * https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html
 */
export const DNS_STEP_MINUTES = 2;

/**
 * The EKS resource-scaling step waits until the activated region runs the
 * replicas the other region ran (its sampled maximum over 24 hours), with
 * Karpenter launching the nodes. A pilot light starts from system nodes
 * only: node launches of 45-90 s each (NODE_LOSS_TIMELINE), image pulls and
 * readiness gates, several waves as pods go Pending; a warm standby already
 * runs a reduced copy and adds fewer nodes.
 * https://docs.aws.amazon.com/r53recovery/latest/dg/eks-resource-scaling-block.html
 */
export const SCALING_MINUTES: Record<'pilot-light' | 'warm-standby', number> = {
  'pilot-light': 10,
  'warm-standby': 5,
};

/**
 * Backup and restore has no platform in the recovery region until the
 * disaster: deploying it from code (VPC, EKS, add-ons, Karpenter, Argo CD)
 * takes about an hour, the figure MIN_RTO_MINUTES is built on. The plan is
 * created by that deployment, so this time is not one of its steps.
 */
export const PLATFORM_DEPLOY_MINUTES = 60;

/**
 * The shortest approval window that still leaves an operator time to confirm
 * the primary will not come back and, where the strategy needs it, to restore
 * the services' volumes while the plan waits.
 */
export const MIN_APPROVAL_MINUTES = 10;

/** Failback has no RTO (the recovery region serves meanwhile): its approval waits for the maintenance window's final backup and restore. */
export const FAILBACK_APPROVAL_MINUTES = 120;

/** The timeouts of the Region switch plan's steps, each with its reason. */
export interface RegionSwitchTimeouts {
  /** Route 53's detection before anyone starts the plan (not a step). */
  readonly detectionMinutes: Decision<number>;
  /** Deploying the recovery region's platform before the plan exists (backup and restore only; not a step). */
  readonly deployMinutes: Decision<number>;
  /** The failover's manual approval, or none when the strategy needs none. */
  readonly failoverApprovalMinutes?: Decision<number>;
  /** The EKS resource-scaling step, or none when nothing runs to be scaled (backup and restore). */
  readonly scalingMinutes?: Decision<number>;
  /** Each Route 53 health-check step. */
  readonly dnsMinutes: Decision<number>;
  /** The failback's manual approval. */
  readonly failbackApprovalMinutes: Decision<number>;
}

/**
 * The step timeouts of the failover plan, from the RTO: detection + platform
 * deployment (backup and restore) + approval + scaling + DNS <= RTO.
 *
 * - Warm standby has no approval: its reduced copy already serves once Route 53
 *   detects the loss, and adding capacity is safe to do at once (a human in
 *   the loop would spend most of an RTO of minutes).
 * - Pilot light and backup and restore wait for an approval: failing over
 *   loses up to the RPO of data and brings the services up from the replicated
 *   backups, so someone confirms the primary will not recover within the RTO;
 *   the runbook restores the volumes while the plan waits, which is why the
 *   approval takes what is left of the budget.
 * - Backup and restore has nothing to scale before it is deployed: the restored
 *   services start at their autoscalers' minimum, as load asks.
 *
 * Throws, naming `prop`, when the RTO leaves less than {@link MIN_APPROVAL_MINUTES}
 * for the approval (recoveryPlan rejects such RTOs first).
 */
export function regionSwitchTimeouts(strategy: RecoveryStrategy, rtoMinutes: number, prop: string): RegionSwitchTimeouts {
  const detection: Decision<number> = {
    value: DETECTION_MINUTES,
    reason: `Route 53 marks the primary unhealthy after ${HEALTH_CHECK_FAILURE_THRESHOLD} failed checks ${HEALTH_CHECK_INTERVAL_SECONDS} s apart, ` +
      `and resolvers hold the failover record for its ${FAILOVER_RECORD_TTL_SECONDS} s TTL: ${DETECTION_MINUTES} min, rounded up`,
  };
  const deploy: Decision<number> = strategy === 'backup-and-restore'
    ? { value: PLATFORM_DEPLOY_MINUTES, reason: `the recovery region's platform is deployed from code at the disaster (about ${PLATFORM_DEPLOY_MINUTES} min)` }
    : { value: 0, reason: 'the standby platform already runs' };
  const dns: Decision<number> = { value: DNS_STEP_MINUTES, reason: 'Region switch flips its Route 53 health checks; resolvers follow within the 60 s alias TTL' };
  const scaling: Decision<number> | undefined = strategy === 'backup-and-restore' ? undefined : {
    value: SCALING_MINUTES[strategy],
    reason: strategy === 'pilot-light'
      ? 'from system nodes only: Karpenter launches every node the services need, in waves, and pods pass their readiness gates'
      : 'the reduced copy adds the replicas and nodes it lacks',
  };
  const fixed = detection.value + deploy.value + dns.value + (scaling?.value ?? 0);
  let approval: Decision<number> | undefined;
  if (strategy !== 'warm-standby') {
    const left = rtoMinutes - fixed;
    if (!Number.isInteger(rtoMinutes) || left < MIN_APPROVAL_MINUTES) {
      invalid(prop, `${rtoMinutes} min`, `leaves ${left} min for the failover's approval and volume restore after detection (${detection.value}), ` +
        `${deploy.value > 0 ? `deployment (${deploy.value}), ` : ''}${scaling ? `scaling (${scaling.value}) ` : ''}and DNS (${dns.value}); ` +
        `at least ${MIN_APPROVAL_MINUTES} are needed`, `allow at least ${Math.max(fixed + MIN_APPROVAL_MINUTES, MIN_RTO_MINUTES[strategy])} minutes`);
    }
    approval = {
      value: left,
      reason: `what the ${rtoMinutes}-min RTO leaves after detection, ${deploy.value > 0 ? 'deployment, ' : ''}${scaling ? 'scaling ' : ''}and DNS: ` +
        'an operator confirms the primary is lost and the volumes are restored while the plan waits',
    };
  }
  return {
    detectionMinutes: detection,
    deployMinutes: deploy,
    failoverApprovalMinutes: approval,
    scalingMinutes: scaling,
    dnsMinutes: dns,
    failbackApprovalMinutes: {
      value: FAILBACK_APPROVAL_MINUTES,
      reason: 'failback is planned: the recovery region serves while its final backup is restored in the primary before the approval',
    },
  };
}
