import { Decision } from './decision';
import { invalid, requireIntegerInRange } from './errors';

/**
 * Time for a pod's removal to reach every kube-proxy (EndpointSlices) and for
 * the AWS Load Balancer Controller to deregister the pod IP and the ALB to
 * stop routing new requests to it. Until then traffic still arrives.
 */
export const DEFAULT_PRE_STOP_SECONDS = 15;
/** Below this, endpoint removal races SIGTERM and requests hit a closing process. */
export const MIN_PRE_STOP_SECONDS = 5;
/** What the application gets after SIGTERM to finish in-flight requests by default. */
export const DEFAULT_APP_SHUTDOWN_SECONDS = 30;
/** The ALB's largest deregistration delay; a longer grace period could never be matched by it. */
export const MAX_GRACE_SECONDS = 3600;

/** The three timings of a graceful shutdown, consistent with each other. */
export interface ShutdownTimings {
  readonly preStopSleepSeconds: Decision<number>;
  readonly terminationGracePeriodSeconds: Decision<number>;
  readonly deregistrationDelaySeconds: Decision<number>;
}

/** Requested values (whole seconds) and the prop names to report in errors. */
export interface ShutdownRequest {
  readonly preStopSleepSeconds?: number;
  readonly terminationGracePeriodSeconds?: number;
  readonly deregistrationDelaySeconds?: number;
  readonly props: { readonly preStop: string; readonly grace: string; readonly deregistration: string };
}

/**
 * The shutdown sequence of a pod, from its deletion:
 * 1. endpoints and ALB targets are removed while the preStop `sleep` runs,
 *    so no new request reaches a process that is about to stop;
 * 2. SIGTERM after the preStop: the app finishes in-flight requests;
 * 3. SIGKILL at `terminationGracePeriodSeconds`, counted from deletion and
 *    so including the preStop: it must be longer than the preStop.
 * The ALB keeps draining a deregistered target for its deregistration delay
 * (ELB's default is 300 s). Set to the grace period, the ALB waits exactly as
 * long as the pod can still answer: never abandons a request the pod could
 * finish, never waits for a pod that is gone. It must cover the preStop too,
 * or the ALB cuts connections while the pod still serves.
 */
export function shutdownTimings(request: ShutdownRequest): ShutdownTimings {
  const { props } = request;
  const preStop = request.preStopSleepSeconds ?? DEFAULT_PRE_STOP_SECONDS;
  requireIntegerInRange(props.preStop, preStop, MIN_PRE_STOP_SECONDS, MAX_GRACE_SECONDS - 1,
    'the pod must stay in service until endpoints and ALB targets have been removed');

  const grace = request.terminationGracePeriodSeconds ?? Math.min(preStop + DEFAULT_APP_SHUTDOWN_SECONDS, MAX_GRACE_SECONDS);
  if (grace <= preStop) {
    invalid(props.grace, grace,
      `must be longer than ${props.preStop} (${preStop} s): the grace period includes the preStop sleep, so the ` +
      'application would be killed before it receives SIGTERM and can drain',
      `set ${props.grace} to at least ${preStop + DEFAULT_APP_SHUTDOWN_SECONDS} s (preStop + time to finish in-flight requests), or shorten ${props.preStop}`);
  }
  requireIntegerInRange(props.grace, grace, preStop + 1, MAX_GRACE_SECONDS, 'the ALB deregistration delay cannot exceed 3600 s');

  const deregistration = request.deregistrationDelaySeconds ?? grace;
  if (!Number.isInteger(deregistration) || deregistration < preStop || deregistration > grace) {
    invalid(props.deregistration, deregistration,
      `must lie between ${props.preStop} (${preStop} s) and ${props.grace} (${grace} s): shorter and the ALB cuts ` +
      'requests the pod is still serving, longer and it keeps a target whose pod has been killed',
      `omit it to use the grace period (${grace} s), or pick a whole number of seconds in [${preStop}, ${grace}]`);
  }

  return {
    preStopSleepSeconds: {
      value: preStop,
      reason: `sleep ${preStop} s before SIGTERM so endpoint and ALB target removal reach every proxy first`,
    },
    terminationGracePeriodSeconds: {
      value: grace,
      reason: `${grace} s = ${preStop} s preStop + ${grace - preStop} s for the application to finish in-flight requests after SIGTERM`,
    },
    deregistrationDelaySeconds: {
      value: deregistration,
      reason: `the ALB drains a removed target for ${deregistration} s, as long as the pod can still answer (ELB's default is 300 s)`,
    },
  };
}
