import { MISSED_RUNS, RESTORED_ACROSS_REGIONS_LABEL } from '../../../policy/disaster-recovery';
import { ReportRow, Requirement } from '../../report-row';
import { KubeObject } from '../inputs';
import { ClusterStack, resourcesOfType } from '../platform';
import { durationSeconds } from '../quantities';
import { Check, notApplicable, rowOf } from '../row-builder';

/** Velero's itemOperationTimeout when a backup sets none (Velero server default). */
const VELERO_DEFAULT_UPLOAD_MINUTES = 4 * 60;

/** A Velero Schedule's upload bound in minutes (its itemOperationTimeout, or Velero's default), and the timeout as written. */
export function uploadMinutes(schedule: KubeObject): { minutes: number; timeout?: string } {
  const timeout = schedule.spec?.template?.itemOperationTimeout;
  return { minutes: timeout !== undefined ? (durationSeconds(timeout) ?? NaN) / 60 : VELERO_DEFAULT_UPLOAD_MINUTES, timeout };
}

/** Minutes between runs of a regular 5-field cron ("*\/15 * * * *", "0 *\/2 * * *", "0 3 * * *"), if it is one. */
export function cronIntervalMinutes(cron: string): number | undefined {
  const [minute, hour, ...rest] = cron.trim().split(/\s+/);
  if (rest.length !== 3 || rest.some((field) => field !== '*')) return undefined;
  const every = (field: string) => (field === '*' ? 1 : /^\*\/(\d+)$/.test(field) ? Number(field.slice(2)) : undefined);
  if (hour === '*' && every(minute) !== undefined) return every(minute);
  if (/^\d+$/.test(minute) && every(hour) !== undefined) return 60 * every(hour)!;
  if (/^\d+$/.test(minute) && /^\d+$/.test(hour)) return 24 * 60;
  return undefined;
}

/**
 * The worst age of the services' data in the recovery region, against the
 * RPO the platform recorded: the schedule that failover restores, missed
 * once (one Velero server: a restart fails the backup in progress), plus its
 * upload bound (itemOperationTimeout) and the replication bound of the bucket
 * (S3 Replication Time Control: 15 minutes; none without it). AWS Backup's
 * copies are a second line and shown, not counted: a start window of at least
 * an hour and an unbounded copy keep them older than the RPO.
 */
export function rpoRow(cluster: ClusterStack): ReportRow {
  const header = {
    id: 'dr-rpo',
    requirement: Requirement.DISASTER_RECOVERY,
    claim: 'After losing the region, the services\' data in the recovery region is never older than the RPO',
    subject: cluster.stack.name,
    evidence: `Velero Schedules, the Velero bucket's replication and the AWS Backup plan (${cluster.stack.templatePath})`,
  };
  const recovery = cluster.recovery;
  if (!recovery) return notApplicable(header, `${cluster.stack.name} records no recovery targets (no disasterRecovery)`);
  if (recovery.role === 'standby') return notApplicable(header, 'a standby\'s schedules stay paused until it serves; the primary\'s row holds the RPO');
  const checks: Check[] = [];
  const schedule = cluster.objects.map((o) => o.object)
    .find((o) => o.kind === 'Schedule' && o.metadata.labels?.[RESTORED_ACROSS_REGIONS_LABEL] === 'true');
  if (!schedule) {
    return rowOf(header, [{ ok: false, found: 'no Velero Schedule is marked as restored across regions', fix: 'back up the services with the platform\'s services schedule' }]);
  }
  const interval = cronIntervalMinutes(schedule.spec?.schedule ?? '');
  const { minutes: upload, timeout } = uploadMinutes(schedule);
  const replication = resourcesOfType(cluster.stack, 'AWS::S3::Bucket')
    .flatMap(([, bucket]) => bucket.Properties?.ReplicationConfiguration?.Rules ?? [])
    .map((rule: any) => (rule.Destination?.ReplicationTime?.Status === 'Enabled' ? Number(rule.Destination.ReplicationTime.Time?.Minutes) : Infinity));
  const replicated = replication.length > 0 ? Math.max(...replication) : undefined;
  if (interval === undefined) {
    checks.push({ ok: false, found: `Schedule/${schedule.metadata.name} runs on "${schedule.spec?.schedule}", not a regular interval`, fix: 'schedule it every N minutes or hours' });
  } else if (schedule.spec?.paused === true) {
    checks.push({ ok: false, found: `Schedule/${schedule.metadata.name} is paused in the primary: no backup is taken`, fix: 'unpause the primary\'s schedule' });
  } else {
    const worst = (1 + MISSED_RUNS) * interval + upload + (replicated ?? Infinity);
    checks.push({
      ok: worst <= recovery.rpoMinutes,
      found: `Schedule/${schedule.metadata.name} every ${interval} min: ${1 + MISSED_RUNS} x ${interval} (one run may be missed) + ${upload} upload ` +
        `(${timeout !== undefined ? `itemOperationTimeout ${timeout}` : 'Velero\'s default 4h'}) + ` +
        `${replicated === undefined ? 'no replication' : Number.isFinite(replicated) ? `${replicated} replication (S3 RTC)` : 'unbounded replication (no S3 RTC)'} = ` +
        `${Number.isFinite(worst) ? `${worst} min` : 'no bound'} vs RPO ${recovery.rpoMinutes} min`,
      fix: [
        ...(replicated === undefined || !Number.isFinite(replicated) ? ['enable S3 Replication Time Control on the Velero bucket\'s replication'] : []),
        ...(timeout === undefined ? ['set itemOperationTimeout on the schedule\'s template'] : []),
        'back up more often (the platform derives the interval from the RPO)',
      ].join('; '),
    });
  }
  const rules = resourcesOfType(cluster.stack, 'AWS::Backup::BackupPlan').flatMap(([, plan]) => plan.Properties?.BackupPlan?.BackupPlanRule ?? []);
  for (const rule of rules.filter((r: any) => !r.EnableContinuousBackup)) {
    const every = cronIntervalMinutes(String(rule.ScheduleExpression ?? '').replace(/^cron\((.*)\)$/, '$1').split(/\s+/).slice(0, 5).join(' ').replace('?', '*'));
    checks.push({
      ok: true,
      found: `second line: AWS Backup rule ${rule.RuleName} every ${every ?? '?'} min + start window ${rule.StartWindowMinutes ?? 480} + completion ${rule.CompletionWindowMinutes ?? 10080} ` +
        '+ an unbounded copy to the recovery region: older than the RPO by design, kept for restores in place and volumes Velero does not move',
    });
  }
  return rowOf(header, checks);
}
