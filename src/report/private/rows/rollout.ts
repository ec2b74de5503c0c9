import { DEFAULT_PRE_STOP_SECONDS, MIN_PRE_STOP_SECONDS } from '../../../policy/shutdown';
import { ReportRow, Requirement } from '../../report-row';
import { ReportContext, namespaceLabels } from '../context';
import { DEFAULT_GRACE_SECONDS, preStopSleepSeconds, replicaRange } from '../pod-facts';
import { Check, rowOf } from '../row-builder';
import { Workload, servingContainer } from '../workloads';
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
 * Rollouts and drains drop no request: a new pod takes traffic only once it
 * is ready (behind an ALB: once its target is healthy), an old one leaves the
 * endpoints and target group before it stops, and the ALB neither cuts a
 * request the pod could finish nor keeps a target whose pod is gone.
 */
export function rolloutRow(context: ReportContext, workload: Workload): ReportRow {
  const deployment = workload.deployment.object;
  const podSpec = workload.podSpec;
  const container = servingContainer(workload);
  const name = container.name ?? '(unnamed)';
  const balancers = loadBalancersOf(context, workload);
  const preStop = preStopSleepSeconds(container);
  const grace = podSpec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  const propagation = balancers.length > 0 ? DEFAULT_PRE_STOP_SECONDS : MIN_PRE_STOP_SECONDS;
  const kinds = [...new Set(balancers.map((lb) => lb.kind))].join(' and ');
  const checks: Check[] = [
    rolloutCapacityCheck(workload),
    {
      ok: container.readinessProbe !== undefined,
      found: `serving container ${name}: ${container.readinessProbe ? 'readiness probe present' : 'no readiness probe: a new pod is Ready as soon as it starts'}`,
      fix: `add a readiness probe to container ${name}`,
    },
    {
      ok: preStop >= propagation,
      found: `container ${name}: preStop sleep ${preStop} s >= ${propagation} s for ${kinds ? `endpoint and ${kinds} target removal` : 'endpoint removal'} to propagate`,
      fix: `sleep at least ${propagation} s in a preStop hook of container ${name} (lifecycle.preStop.sleep.seconds)`,
    },
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
