import { NODE_LOSS_TIMELINE as T, UNREACHABLE_TAINT } from '../../../policy/recovery';
import { ReportRow, Requirement } from '../../report-row';
import { ReportContext, chartCoverage } from '../context';
import { probeSeconds, tolerationSeconds } from '../pod-facts';
import { Check, rowOf } from '../row-builder';
import { Workload, runningContainers, servingContainer } from '../workloads';
import { loadBalancersOf } from './alb';
import { readinessProbeCheck } from './rollout';

/** Karpenter's chart: it launches the node the replacement pods need. */
export const KARPENTER_CHART = 'karpenter';

/**
 * Node loss: the seconds from a node's death until its pods' replacements
 * start, and until they serve (behind an ALB: until their target is healthy),
 * summed step by step against the architecture's target.
 */
export function nodeLossRow(context: ReportContext, workload: Workload): ReportRow {
  const podSpec = workload.podSpec;
  const container = servingContainer(workload);
  const toleration = tolerationSeconds(podSpec, UNREACHABLE_TAINT) ?? T.defaultTolerationSeconds;
  const karpenter = chartCoverage(context, KARPENTER_CHART);
  const steps: Array<[string, number]> = [
    ['node-monitor grace', T.nodeMonitorGraceSeconds],
    ['unreachable tolerationSeconds', toleration],
    ['scheduling (Karpenter batch)', T.schedulingSeconds],
    ['Karpenter launch to Ready (estimate)', T.nodeLaunchSeconds],
    ['image pull (estimate)', T.imagePullSeconds],
    ['pod start', T.podStartSeconds],
  ];
  const started = steps.reduce((sum, [, seconds]) => sum + seconds, 0);
  // A pod is Ready (an endpoint, a healthy target) only once every container is: the slowest one's probes count.
  const toReady = (c: any) => probeSeconds(c.startupProbe) + probeSeconds(c.readinessProbe);
  const slowest = runningContainers(podSpec).reduce((worst, c) => (toReady(c) > toReady(worst) ? c : worst), container);
  const of = slowest === container ? '' : ` (container ${slowest.name})`;
  steps.push([`startup probe${of}`, probeSeconds(slowest.startupProbe)], [`readiness probe${of}`, probeSeconds(slowest.readinessProbe)]);
  // Several load balancers register the pod in parallel: the slowest health check sets when all of them send traffic.
  const balancers = loadBalancersOf(context, workload);
  const lb = balancers.reduce<typeof balancers[number] | undefined>((worst, b) =>
    (worst === undefined || b.healthyThreshold * b.intervalSeconds > worst.healthyThreshold * worst.intervalSeconds ? b : worst), undefined);
  if (lb) {
    steps.push(['target registration (estimate)', T.targetRegistrationSeconds],
      [`${lb.kind} health checks ${lb.healthyThreshold} x ${lb.intervalSeconds} s`, lb.healthyThreshold * lb.intervalSeconds]);
  }
  const serving = steps.reduce((sum, [, seconds]) => sum + seconds, 0);
  const checks: Check[] = [
    {
      ok: karpenter.without.length === 0 && karpenter.with.length > 0,
      found: karpenter.with.length > 0 && karpenter.without.length === 0
        ? `Karpenter in ${karpenter.with.map((c) => c.stack.name).join(', ')} launches replacement capacity`
        : `no Karpenter in ${karpenter.without.map((c) => c.stack.name).join(', ') || 'the input (no platform stack)'}: nothing is known to launch replacement capacity`,
      fix: 'run the services on a platform with Karpenter (ResilientEksPlatform) and pass its cloud assembly',
    },
    {
      ok: Number.isFinite(toleration),
      found: Number.isFinite(toleration) ? `unreachable toleration ${toleration} s` : 'the pods tolerate node.kubernetes.io/unreachable for ever: they are never replaced',
      fix: 'set tolerationSeconds (HaMicroservice: 30 s) on the not-ready and unreachable NoExecute tolerations',
    },
    readinessProbeCheck(workload, container, 'a replacement gets traffic before it can answer'),
    {
      ok: Number.isFinite(serving) && serving < T.targetSeconds,
      found: `${steps.map(([what, seconds]) => `${seconds} ${what}`).join(' + ')} = ${serving} s to serve (${started} s to start) vs ${T.targetSeconds} s target; ` +
        // The launch time is the largest estimate: say how much of it the target leaves room for.
        `the target holds while Karpenter launches within ${T.targetSeconds - 1 - (serving - T.nodeLaunchSeconds)} s ` +
        `(at the reported ${T.nodeLaunchSecondsHigh} s: ${serving - T.nodeLaunchSeconds + T.nodeLaunchSecondsHigh} s)`,
      fix: `shorten the steps you own: tolerationSeconds (min 10 s), probe periods and initial delays${lb ? `, the ${lb.kind} health-check interval (min 5 s) and healthy threshold (min 2)` : ''}`,
    },
  ];
  return rowOf({
    id: 'node-loss',
    requirement: Requirement.FAULT_TOLERANCE,
    claim: `When a node dies, replacement pods serve again within ${T.targetSeconds / 60} minutes`,
    subject: workload.subject,
    evidence: [`Deployment/${workload.deployment.object.metadata.name}`, ...balancers.map((b) => `${b.front.kind}/${b.front.metadata.name}`)]
      .filter((e, i, all) => all.indexOf(e) === i).join(', ') + ` (${workload.deployment.source})`,
  }, checks);
}
