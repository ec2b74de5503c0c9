import { DEFAULT_PRE_STOP_SECONDS, MIN_PRE_STOP_SECONDS } from '../../../policy/shutdown';
import { ReportRow, Requirement } from '../../report-row';
import { ReportContext, namespaceLabels } from '../context';
import { DEFAULT_GRACE_SECONDS, preStopSleepSeconds, readinessProbeProblem, replicaRange } from '../pod-facts';
import { Check, rowOf } from '../row-builder';
import { Workload, runningContainers, servingContainer } from '../workloads';
import { loadBalancersOf } from './alb';
import { effectiveMtls, meshMode } from './mesh';

/** The namespace label that makes the Load Balancer Controller inject target-health readiness gates. */
export const READINESS_GATE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';
const READINESS_GATE_CONDITION = /^target-health\.(elbv2|alb\.ingress)\.k8s\.aws\//;

/** A maxSurge or maxUnavailable at a replica count: a percentage scales, rounded up for a surge and down for unavailability. */
function scaled(value: number | string, replicas: number, roundUp: boolean): number {
  if (typeof value === 'string' && value.endsWith('%')) {
    const exact = (Number(value.slice(0, -1)) * replicas) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return Number(value);
}

/**
 * Whether a rolling update ever takes a pod away before its replacement is
 * ready: at each replica count the HPA allows, Kubernetes resolves
 * maxUnavailable (a percentage rounded down) and maxSurge (rounded up), and
 * when both come to 0 it lets 1 pod be unavailable (deployment util
 * ResolveFenceposts). `10%` is 0 from 1 to 9 replicas and 1 from 10: it holds
 * only while the range stays below 10.
 */
function rolloutCapacityCheck(workload: Workload): Check {
  const strategy = workload.deployment.object.spec?.strategy ?? {};
  const fix = 'use a RollingUpdate with maxUnavailable: 0 (and a maxSurge) so capacity never drops during a rollout';
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') return { ok: false, found: `strategy ${strategy.type} stops every pod first`, fix };
  const maxUnavailable = strategy.rollingUpdate?.maxUnavailable ?? '25%';
  const maxSurge = strategy.rollingUpdate?.maxSurge ?? '25%';
  const range = replicaRange(workload);
  const at = (replicas: number) => {
    const surge = scaled(maxSurge, replicas, true);
    const unavailable = scaled(maxUnavailable, replicas, false);
    return { replicas, surge, unavailable, effective: surge === 0 && unavailable === 0 ? 1 : unavailable };
  };
  const counts = Array.from({ length: Math.max(0, range.max - range.min) + 1 }, (_, i) => at(range.min + i)).filter((c) => c.replicas > 0);
  const broken = counts.find((c) => c.effective > 0);
  const settings = `maxUnavailable ${maxUnavailable}, maxSurge ${maxSurge} at ${range.min === range.max ? range.min : `${range.min}-${range.max}`} replicas`;
  const rounding = typeof maxUnavailable === 'string' && maxUnavailable.endsWith('%');
  if (broken) {
    return {
      ok: false,
      found: `${settings}: at ${broken.replicas} ${broken.surge === 0 && broken.unavailable === 0
        ? 'both round to 0, so Kubernetes lets 1 pod be unavailable'
        : `${rounding ? `floor(${maxUnavailable} x ${broken.replicas}) = ` : ''}${broken.unavailable} pod(s) may be unavailable`} before replacements are ready`,
      fix,
    };
  }
  const last = counts[counts.length - 1];
  return {
    ok: true,
    found: `${settings}: 0 unavailable at every count${rounding && last ? ` (floor(${maxUnavailable} x ${last.replicas}) = 0)` : ''}` +
      `${last ? `, surge ${counts[0].surge}-${last.surge}` : ''}`,
  };
}

/**
 * Whether the serving container's readiness probe shows it can serve: there
 * is one, and it is not a command that always succeeds or a check of a port
 * nothing in the pod declares (see readinessProbeProblem).
 */
export function readinessProbeCheck(workload: Workload, container: any, withoutProbe: string): Check {
  const name = container.name ?? '(unnamed)';
  const problem = readinessProbeProblem(workload, container);
  return {
    ok: container.readinessProbe !== undefined && problem === undefined,
    found: `serving container ${name}: ${!container.readinessProbe ? `no readiness probe: ${withoutProbe}` : problem ?? 'readiness probe present'}`,
    fix: container.readinessProbe
      ? `make the readiness probe of container ${name} check the port it serves (an httpGet on a health path, or a tcpSocket, on its container port) or a health endpoint it declares`
      : `add a readiness probe to container ${name}`,
  };
}

/**
 * The preStop sleeps that keep every container of a pod running until its
 * removal from the endpoints and target groups has propagated. The kubelet
 * stops a pod's containers in parallel, each one running its own preStop
 * hook and then getting SIGTERM (killContainersWithSyncResult and
 * killContainer in pkg/kubelet/kuberuntime/kuberuntime_container.go): a
 * container without the sleep stops at once, whether it is the one that owns
 * the port (a proxy) or one the port's owner forwards to or calls (the app,
 * a database proxy), and the report cannot tell which regular containers a
 * request needs. Native sidecars (init containers with restartPolicy Always)
 * run their preStop at the same time but get SIGTERM only once every main
 * container has exited, in reverse order (kuberuntime_termination_order.go):
 * the main containers' sleeps keep them up, so they need none of their own.
 */
function preStopChecks(podSpec: any, serving: any, propagation: number, what: string): Check[] {
  const main: any[] = podSpec.containers ?? [];
  const sidecarServes = !main.includes(serving) && serving.name !== undefined;
  const checks: Check[] = main.map((container) => {
    const name = container.name ?? '(unnamed)';
    const sleep = preStopSleepSeconds(container);
    const beside = container === serving || main.length === 1 ? '' : ` (beside serving container ${serving.name ?? '(unnamed)'}, it gets SIGTERM when its own preStop ends)`;
    return {
      ok: sleep >= propagation,
      found: `container ${name}${beside}: preStop sleep ${sleep} s >= ${propagation} s for ${what} to propagate`,
      fix: `sleep at least ${propagation} s in a preStop hook of container ${name} (lifecycle.preStop.sleep.seconds)` +
        (beside ? ', or run it as a native sidecar (an init container with restartPolicy: Always), which Kubernetes stops after the main containers' : ''),
    };
  });
  if (sidecarServes) {
    checks.push({ ok: true, found: `native sidecar ${serving.name} serves: Kubernetes sends it SIGTERM only once every main container has exited, after their preStop` });
  }
  return checks;
}

/**
 * Rollouts and drains drop no request: a new pod takes traffic only once it
 * is ready (behind an ALB: once its target is healthy), an old one leaves the
 * endpoints and target group before it stops, and the ALB neither cuts a
 * request the pod could finish nor keeps a target whose pod is gone.
 */
export function rolloutRow(context: ReportContext, workload: Workload): ReportRow {
  const deployment = workload.deployment.object;
  const podSpec = workload.podSpec;
  const container = servingContainer(workload);
  const balancers = loadBalancersOf(context, workload);
  // The pod serves until its longest preStop ends: the grace period and the load balancers' draining must cover it.
  const preStop = Math.max(0, ...runningContainers(podSpec).map(preStopSleepSeconds));
  const grace = podSpec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  const propagation = balancers.length > 0 ? DEFAULT_PRE_STOP_SECONDS : MIN_PRE_STOP_SECONDS;
  const kinds = [...new Set(balancers.map((lb) => lb.kind))].join(' and ');
  const checks: Check[] = [
    rolloutCapacityCheck(workload),
    readinessProbeCheck(workload, container, 'a new pod is Ready as soon as it starts'),
    ...preStopChecks(podSpec, container, propagation, kinds ? `endpoint and ${kinds} target removal` : 'endpoint removal'),
    {
      ok: grace > preStop,
      found: `terminationGracePeriodSeconds ${grace} > preStop ${preStop}: the application gets ${Math.max(0, grace - preStop)} s after SIGTERM`,
      fix: 'make terminationGracePeriodSeconds longer than the preStop sleep plus the application\'s shutdown',
    },
  ];
  if (balancers.length > 0) {
    const labels = namespaceLabels(context, workload);
    const gatesInPod = (podSpec.readinessGates ?? []).some((g: any) => READINESS_GATE_CONDITION.test(g.conditionType ?? ''));
    const injected = labels?.[READINESS_GATE_LABEL] === 'enabled';
    checks.push({
      ok: injected || gatesInPod,
      found: injected ? `namespace ${workload.namespace} has ${READINESS_GATE_LABEL}=enabled: pods are Ready only once their ${kinds} target is healthy`
        : gatesInPod ? 'the pod template declares the target-health readiness gate'
          : `namespace ${workload.namespace} ${labels ? `has no ${READINESS_GATE_LABEL}=enabled label` : 'has no Namespace object or Argo CD managed metadata in the input'}: ` +
            `a pod is Ready before its ${kinds} target is healthy, so maxUnavailable 0 cannot keep the ${kinds} from running out of healthy targets`,
      fix: `label the namespace ${READINESS_GATE_LABEL}: enabled (ServiceNamespace does)`,
    });
    const meshed = meshMode(workload, labels);
    for (const lb of balancers) {
      const tag = balancers.length > 1 ? `${lb.loadBalancer}: ` : '';
      checks.push(
        {
          ok: lb.targetType === 'ip',
          found: `${tag}${lb.kind} target-type ${lb.targetType} (${lb.targetTypeFrom})`,
          fix: lb.targetTypeFix,
        },
        {
          ok: lb.deregistrationDelaySeconds >= preStop && lb.deregistrationDelaySeconds <= grace,
          found: `${tag}${lb.kind} deregistration delay ${lb.deregistrationDelaySeconds} s within [preStop ${preStop}, grace ${grace}]`,
          fix: `set deregistration_delay.timeout_seconds=${grace} in ${lb.targetGroupAttributesKey}`,
        },
      );
      if (!meshed) continue;
      for (const [what, port] of [['traffic', lb.trafficPort], ['health-check', lb.healthCheckPort]] as const) {
        const mode = port === undefined ? 'unknown' : effectiveMtls(workload, port);
        checks.push({
          ok: mode !== 'STRICT' && mode !== 'unknown',
          found: `${tag}${lb.kind} ${what} port ${port ?? '(unresolved)'} is ${mode} in the mesh (${meshed})${mode === 'STRICT' ? `: the ${lb.kind}'s plain traffic is refused` : ''}`,
          fix: `make port ${port ?? '?'} PERMISSIVE in a PeerAuthentication selecting the pods (portLevelMtls)`,
        });
      }
    }
  }
  return rowOf({
    id: 'rollout-no-drop',
    requirement: Requirement.FAULT_TOLERANCE,
    claim: 'Rollouts and node drains drop no request',
    subject: workload.subject,
    evidence: [`Deployment/${deployment.metadata.name}`, ...balancers.map((lb) => `${lb.front.kind}/${lb.front.metadata.name}`)]
      .filter((e, i, all) => all.indexOf(e) === i).join(', ') + ` (${workload.deployment.source})`,
  }, checks);
}
