import { DNS_DETECTION, PLATFORM_DEPLOY_MINUTES } from '../../../policy/region-switch';
import { ReportRow, Requirement } from '../../report-row';
import { ReportContext } from '../context';
import { StackInput, joinedString } from '../inputs';
import { ClusterStack, referenced, resourcesOfType } from '../platform';
import { Check, notApplicable, rowOf } from '../row-builder';

/** A step's timeout when it sets none: the AWS::ARCRegionSwitch::Plan schema's default for every execution block. */
const DEFAULT_STEP_TIMEOUT_MINUTES = 60;

/** The minutes a workflow's steps may take: in sequence, a parallel step as long as its longest child. */
function stepMinutes(step: any): number {
  const configuration = Object.values<any>(step.ExecutionBlockConfiguration ?? {})[0] ?? {};
  if (step.ExecutionBlockType === 'Parallel') return Math.max(0, ...(configuration.Steps ?? []).map(stepMinutes));
  return Number(configuration.TimeoutMinutes ?? DEFAULT_STEP_TIMEOUT_MINUTES);
}

function stepTimes(step: any): string {
  if (step.ExecutionBlockType === 'Parallel') return `${step.Name} ${stepMinutes(step)} (longest of ${(step.ExecutionBlockConfiguration.ParallelConfig.Steps ?? []).length} in parallel)`;
  return `${step.Name} ${stepMinutes(step)}`;
}

/** Seconds until Route 53 calls a health check unhealthy (RequestInterval x FailureThreshold, the resource's defaults 30 and 3); a calculated one waits for its slowest child. */
function unhealthyAfterSeconds(stack: StackInput, healthCheck: any): number | undefined {
  const config = healthCheck?.Properties?.HealthCheckConfig ?? {};
  if (config.Type === 'CALCULATED') {
    const children = (config.ChildHealthChecks ?? []).map((child: any) => unhealthyAfterSeconds(stack, referenced(stack, child)?.[1]));
    return children.length > 0 && children.every((seconds: number | undefined) => seconds !== undefined) ? Math.max(...children) : undefined;
  }
  return Number(config.RequestInterval ?? DNS_DETECTION.requestIntervalSeconds) * Number(config.FailureThreshold ?? DNS_DETECTION.failureThreshold);
}

/** Detection of the primary's loss by each PRIMARY failover record of the pair's stacks, or a reason it has no bound. */
function detections(stacks: StackInput[]): Array<{ name: string; seconds?: number; found: string }> {
  return stacks.flatMap((stack) => resourcesOfType(stack, 'AWS::Route53::RecordSet')
    .filter(([, record]) => record.Properties?.Failover === 'PRIMARY')
    .map(([id, record]) => {
      const name = joinedString(record.Properties.Name) ?? id;
      const healthCheck = referenced(stack, record.Properties.HealthCheckId)?.[1];
      const unhealthy = healthCheck ? unhealthyAfterSeconds(stack, healthCheck) : undefined;
      // An alias record takes its target's TTL: 60 s for a load balancer (Route 53, choosing between alias and non-alias records).
      const ttl = record.Properties.TTL !== undefined ? Number(record.Properties.TTL) : DNS_DETECTION.aliasTtlSeconds;
      if (unhealthy === undefined) {
        return { name, found: `${name} (PRIMARY) has no health check the template defines: nothing bounds when Route 53 stops answering with it` };
      }
      const config = healthCheck.Properties.HealthCheckConfig;
      return {
        name,
        seconds: unhealthy + ttl,
        found: `${name}: ${config.Type === 'CALCULATED' ? `calculated, slowest child ${unhealthy} s` : `${config.RequestInterval ?? DNS_DETECTION.requestIntervalSeconds} s x ` +
          `${config.FailureThreshold ?? DNS_DETECTION.failureThreshold}`} + TTL ${ttl} s${record.Properties.TTL === undefined ? ' (alias to a load balancer)' : ''}`,
      };
    }));
}

/**
 * The time to serve again from the recovery region, against the RTO the
 * platform recorded: Route 53's detection (RequestInterval x FailureThreshold
 * of the PRIMARY failover records' health checks + the record's TTL, 60 s for
 * an alias to a load balancer), then the Region switch plan's failover
 * workflow (each step's timeout in sequence, a parallel step as its longest:
 * the approval, during which the volumes are restored; the EKS scaling,
 * which is the scale-up; the DNS steps), plus the platform's deployment when
 * backup and restore has none before the disaster.
 */
export function rtoRow(context: ReportContext, cluster: ClusterStack): ReportRow {
  const header = {
    id: 'dr-rto',
    requirement: Requirement.DISASTER_RECOVERY,
    claim: 'After losing the primary region, the services serve again from the recovery region within the RTO',
    subject: cluster.stack.name,
    evidence: `the AWS::ARCRegionSwitch::Plan and the failover records' Route 53 health checks of the platform's stacks (${cluster.stack.templatePath})`,
  };
  const recovery = cluster.recovery;
  if (!recovery) return notApplicable(header, `${cluster.stack.name} records no recovery targets (no disasterRecovery)`);
  const pair = context.clusters.filter((c) => c.clusterName !== undefined && c.clusterName === cluster.clusterName && c.recovery);
  const plans = pair.flatMap((c) => resourcesOfType(c.stack, 'AWS::ARCRegionSwitch::Plan').map(([id, plan]) => ({ id, stack: c.stack, plan })))
    .filter(({ plan }) => plan.Properties?.Tags?.cluster === cluster.clusterName && (plan.Properties?.Regions ?? []).includes(cluster.stack.region));
  // The drill's plan rehearses without switching traffic: the failover plan is the one tagged so, else the only one.
  const plan = plans.length === 1 ? plans[0] : plans.find(({ plan: p }) => p.Properties.Tags?.purpose === 'failover');
  if (!plan) {
    return rowOf(header, [{
      ok: false,
      found: `no Region switch plan of ${cluster.clusterName} covers ${cluster.stack.region} in the synthesized stacks: nothing bounds the failover's steps`,
      fix: 'give the platform disasterRecovery (its standby\'s stack owns the plan) and synthesize the standby\'s stack in the same app',
    }]);
  }
  const { PrimaryRegion: primaryRegion, Workflows: workflows = [], RecoveryTimeObjectiveMinutes: planRto } = plan.plan.Properties;
  const failover = (workflows as any[]).find((w) => w.WorkflowTargetAction === 'activate' && w.WorkflowTargetRegion !== undefined && w.WorkflowTargetRegion !== primaryRegion);
  const name = `Plan ${plan.plan.Properties.Name} (${plan.stack.name})`;
  if (!failover) {
    return rowOf(header, [{ ok: false, found: `${name} has no workflow activating the recovery region`, fix: 'add the failover workflow (ResilientEksPlatform\'s standby writes it)' }]);
  }
  const checks: Check[] = [];
  const found = detections(pair.map((c) => c.stack));
  for (const unbounded of found.filter((d) => d.seconds === undefined)) {
    checks.push({ ok: false, found: unbounded.found, fix: `give ${unbounded.name} a Route 53 health check` });
  }
  const bounded = found.filter((d) => d.seconds !== undefined);
  const detectionSeconds = Math.max(0, ...bounded.map((d) => d.seconds!));
  const steps: any[] = failover.Steps ?? [];
  const stepsMinutes = steps.map(stepMinutes).reduce((a, b) => a + b, 0);
  const deploy = recovery.strategy === 'backup-and-restore' ? PLATFORM_DEPLOY_MINUTES : 0;
  const total = detectionSeconds / 60 + stepsMinutes + deploy;
  checks.push({
    ok: total <= recovery.rtoMinutes,
    found: `detection ${bounded.length === 0 ? '0 (no PRIMARY failover record with a health check in the templates)' : `${detectionSeconds / 60} min (${bounded.map((d) => d.found).join('; ')})`}` +
      `${deploy > 0 ? ` + platform deployment ${deploy} (backup and restore)` : ''} + ${name} failover steps ` +
      `${steps.length === 0 ? '0 (none)' : `${steps.map(stepTimes).join(' + ')}`} = ${Math.round(total * 100) / 100} min vs RTO ${recovery.rtoMinutes} min`,
    fix: 'shorten the step timeouts or the health checks\' interval x threshold (the platform derives the timeouts from the RTO), or allow a longer RTO',
  });
  checks.push({
    ok: planRto === recovery.rtoMinutes,
    found: `${name} records RTO ${planRto ?? 'none'} min${planRto === recovery.rtoMinutes ? '' : `, the platform ${recovery.rtoMinutes}`}`,
    fix: `set RecoveryTimeObjectiveMinutes to ${recovery.rtoMinutes}: Region switch compares each execution's recovery time with it`,
  });
  return rowOf(header, checks);
}
