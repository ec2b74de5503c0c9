import { MISSED_RUNS, RESTORED_ACROSS_REGIONS_LABEL } from '../../../policy/disaster-recovery';
import { ReportRow, Requirement } from '../../report-row';
import { ReportContext } from '../context';
import { cronIntervalMinutes } from '../data-age';
import { StackInput, joinedString } from '../inputs';
import { ClusterStack, helmRelease, referenced, resourcesOfType } from '../platform';
import { Check, notApplicable, rowOf } from '../row-builder';
import { uploadMinutes } from '../velero-data-age';
import { veleroFailureChecks } from '../velero-failure-alarm';

/** A backup vault of some stack of the input. */
interface Vault {
  readonly stack: StackInput;
  readonly logicalId: string;
  readonly name: string;
  readonly lock?: { readonly MinRetentionDays?: number; readonly MaxRetentionDays?: number; readonly ChangeableForDays?: number };
}

/** A backup or copy job that writes recovery points into a vault, with how long it keeps them. */
interface VaultJob {
  readonly what: string;
  readonly deleteAfterDays?: number;
}

/**
 * The recovery copies cannot be deleted before they expire and are known to
 * restore: every AWS Backup vault the primary writes to (its own and the copy
 * vault in the recovery region, found by the copy actions' ARNs in the other
 * stacks of the input) is locked with a minimum retention no job falls below
 * (AWS Backup fails such jobs), is covered by a restore testing plan with a
 * selection, and its region alarms on failed restore jobs; the Velero
 * bucket's replication does not replicate delete markers (a delete in the
 * primary leaves the copy; V1 rules, without a filter, always replicate them:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html);
 * and an alarm pages when the primary's Velero writes no backup of the
 * schedule failover restores for longer than its interval, missed once, and
 * its upload bound allow, and not much longer, and another when a backup
 * ends Failed or PartiallyFailed (which still writes its files).
 */
export function immutableCopiesRow(context: ReportContext, cluster: ClusterStack): ReportRow {
  const header = {
    id: 'dr-immutable-copies',
    requirement: Requirement.DISASTER_RECOVERY,
    claim: 'The recovery copies cannot be deleted before they expire, are restored every week, and Velero\'s backups page when they stop or fail',
    subject: cluster.stack.name,
    evidence: `AWS Backup vaults, plans, restore tests and alarms, the Velero bucket's replication and alarm (${cluster.stack.templatePath} and the copy vault's template)`,
  };
  const recovery = cluster.recovery;
  if (!recovery) return notApplicable(header, `${cluster.stack.name} records no recovery targets (no disasterRecovery)`);
  if (recovery.role === 'standby') return notApplicable(header, 'a standby copies nothing until it serves; the primary\'s row holds its copies');
  const velero = helmRelease(cluster, 'velero');
  return rowOf(header, [
    ...vaultChecks(context, cluster.stack), ...replicationChecks(cluster.stack), ...veleroAlarmChecks(cluster),
    ...(velero ? veleroFailureChecks(cluster, velero) : []),
  ]);
}

function vaultChecks(context: ReportContext, stack: StackInput): Check[] {
  const vaultsOf = (s: StackInput): Vault[] => resourcesOfType(s, 'AWS::Backup::BackupVault').map(([logicalId, vault]) => ({
    stack: s, logicalId, name: joinedString(vault.Properties?.BackupVaultName) ?? logicalId, lock: vault.Properties?.LockConfiguration,
  }));
  const all = [stack, ...context.stacks.filter((s) => s.name !== stack.name)].flatMap(vaultsOf);
  const own = all.filter((v) => v.stack === stack);
  if (own.length === 0) {
    return [{ ok: false, found: `${stack.name} has no AWS Backup vault`, fix: 'back up with AWS Backup into a locked vault (ResilientEksPlatform does with disasterRecovery)' }];
  }
  const checks: Check[] = [];
  const vaults = [...own];
  const jobs = new Map<Vault, VaultJob[]>();
  const addJob = (vault: Vault, job: VaultJob) => jobs.set(vault, [...(jobs.get(vault) ?? []), job]);
  const rules = resourcesOfType(stack, 'AWS::Backup::BackupPlan').flatMap(([, plan]) => plan.Properties?.BackupPlan?.BackupPlanRule ?? []);
  for (const rule of rules) {
    const target = own.find((v) => v.logicalId === referenced(stack, rule.TargetBackupVault)?.[0] || v.name === rule.TargetBackupVault);
    if (target) addJob(target, { what: `rule ${rule.RuleName}`, deleteAfterDays: rule.Lifecycle?.DeleteAfterDays });
    for (const copy of rule.CopyActions ?? []) {
      const arn = joinedString(copy.DestinationBackupVaultArn) ?? '';
      const [, , , region, , , name] = arn.split(':');
      const found = all.find((v) => v.name === name && (v.stack.region === undefined || v.stack.region === region));
      if (!found) {
        checks.push({
          ok: false,
          found: `rule ${rule.RuleName} copies to vault ${name ?? arn} in ${region ?? 'an unknown region'}, which no stack of the input holds: its lock and restore tests cannot be shown`,
          fix: 'synthesize the RecoveryRegion stack in the same app as the platform (or accept the row)',
        });
        continue;
      }
      if (!vaults.includes(found)) vaults.push(found);
      addJob(found, { what: `copies of rule ${rule.RuleName} from ${stack.name}`, deleteAfterDays: copy.Lifecycle?.DeleteAfterDays });
    }
  }
  for (const vault of vaults) checks.push(...checksOfVault(vault, jobs.get(vault) ?? []));
  return checks;
}

function checksOfVault(vault: Vault, jobs: VaultJob[]): Check[] {
  const where = `vault ${vault.name} (${vault.stack.name})`;
  const min = vault.lock?.MinRetentionDays;
  const max = vault.lock?.MaxRetentionDays;
  const checks: Check[] = [];
  checks.push(min === undefined ? {
    ok: false,
    found: `${where} has no lock: anyone allowed backup:DeleteRecoveryPoint can delete its recovery points before they expire`,
    fix: `lock ${vault.name} (disasterRecovery.vaultLock or RecoveryRegion vaultLock: VaultLockMode.GOVERNANCE or COMPLIANCE)`,
  } : {
    ok: true,
    found: `${where} locked in ${vault.lock?.ChangeableForDays !== undefined ? `compliance mode (immutable ${vault.lock.ChangeableForDays} days after it is set)` : 'governance mode'}, ` +
      `minimum retention ${min} days`,
  });
  if (min !== undefined) {
    // A job that keeps its recovery points for ever is above any maximum.
    const outside = (days?: number) => (days !== undefined && days < min) || (max !== undefined && (days === undefined || days > max));
    const refused = jobs.filter((job) => outside(job.deleteAfterDays));
    checks.push({
      ok: refused.length === 0,
      found: refused.length === 0
        ? `${jobs.length} job(s) into ${vault.name} keep their recovery points within its lock (${jobs.map((j) => `${j.what}: ${j.deleteAfterDays ?? 'for ever'}`).join(', ') || 'none'})`
        : `${refused.map((j) => `${j.what} keeps recovery points ${j.deleteAfterDays ?? 'for ever'}${j.deleteAfterDays !== undefined ? ' days' : ''}`).join(', ')}, outside the lock of ${vault.name} ` +
          `(${min}${max !== undefined ? `-${max}` : ''} days): AWS Backup fails those jobs`,
      fix: `keep every backup and copy into ${vault.name} between its lock's minimum and maximum retention (the RecoveryRegion's retention must be the platform's)`,
    });
  }
  const selections = resourcesOfType(vault.stack, 'AWS::Backup::RestoreTestingSelection').map(([, s]) => joinedString(s.Properties?.RestoreTestingPlanName));
  const plans = resourcesOfType(vault.stack, 'AWS::Backup::RestoreTestingPlan').filter(([, plan]) =>
    (plan.Properties?.RecoveryPointSelection?.IncludeVaults ?? []).some((included: any) => included === '*' ||
      referenced(vault.stack, included)?.[0] === vault.logicalId || (joinedString(included) ?? '').endsWith(`:backup-vault:${vault.name}`)))
    .map(([, plan]) => joinedString(plan.Properties?.RestoreTestingPlanName));
  const tested = plans.filter((plan) => plan !== undefined && selections.includes(plan));
  checks.push({
    ok: tested.length > 0,
    found: tested.length > 0 ? `${vault.name} restored by restore testing plan ${tested.join(', ')}`
      : plans.length > 0 ? `restore testing plan ${plans.join(', ')} includes ${vault.name} but selects no resource: it restores nothing`
        : `no restore testing plan of ${vault.stack.name} includes ${vault.name}: its recovery points are never restored before they are needed`,
    fix: `test restores of ${vault.name} with a restore testing plan that includes it and a selection (ResilientEksPlatform and RecoveryRegion create one each)`,
  });
  const paged = resourcesOfType(vault.stack, 'AWS::CloudWatch::Alarm')
    .filter(([, alarm]) => metricsOf(alarm).some((m) => m.Namespace === 'AWS/Backup' && m.MetricName === 'NumberOfRestoreJobsFailed') &&
      (alarm.Properties?.AlarmActions ?? []).length > 0);
  checks.push({
    ok: paged.length > 0,
    found: paged.length > 0 ? `failed restore jobs in ${vault.stack.name}'s region page (${paged.map(([id]) => id).join(', ')})`
      : `no alarm of ${vault.stack.name} with an action reads AWS/Backup NumberOfRestoreJobsFailed: a failed restore test of ${vault.name} pages nobody`,
    fix: `alarm on AWS/Backup NumberOfRestoreJobsFailed in ${vault.stack.name}'s region and publish to a topic someone reads`,
  });
  return checks;
}

/** The metrics an alarm reads: its own, or those of its metric math. */
function metricsOf(alarm: any): Array<{ Namespace?: string; MetricName?: string; Dimensions?: Array<{ Name: string; Value: unknown }> }> {
  const properties = alarm.Properties ?? {};
  return [
    ...(properties.MetricName ? [properties] : []),
    ...(properties.Metrics ?? []).map((m: any) => m.MetricStat?.Metric).filter((m: any) => m),
  ];
}

function replicatedBuckets(stack: StackInput): Array<[string, any]> {
  return resourcesOfType(stack, 'AWS::S3::Bucket').filter(([, bucket]) => (bucket.Properties?.ReplicationConfiguration?.Rules ?? []).length > 0);
}

function replicationChecks(stack: StackInput): Check[] {
  const rules = replicatedBuckets(stack).flatMap(([id, bucket]) => bucket.Properties.ReplicationConfiguration.Rules
    .filter((rule: any) => rule.Status !== 'Disabled').map((rule: any) => ({ id, rule })));
  if (rules.length === 0) {
    return [{ ok: false, found: `no bucket of ${stack.name} replicates: the Velero backups have no copy in the recovery region`, fix: 'replicate the Velero bucket (ResilientEksPlatform does)' }];
  }
  return rules.map(({ id, rule }: { id: string; rule: any }): Check => {
    const v1 = rule.Filter === undefined;
    const markers = v1 || rule.DeleteMarkerReplication?.Status === 'Enabled';
    return {
      ok: !markers,
      found: `${id} rule ${rule.Id ?? '(unnamed)'} ${markers ? `replicates delete markers${v1 ? ' (a V1 rule, without Filter, always does)' : ''}: a delete in the primary hides the copy, ` +
        'whose versions then expire with the noncurrent ones' : 'replicates no delete marker: a delete in the primary leaves the copy'}`,
      fix: `give ${id}'s rule ${rule.Id ?? ''} a Filter and DeleteMarkerReplication Disabled (deleteMarkerReplication: false)`,
    };
  });
}

function veleroAlarmChecks(cluster: ClusterStack): Check[] {
  const velero = helmRelease(cluster, 'velero');
  if (!velero) return [{ ok: true, found: `${cluster.stack.name} installs no Velero: no Velero backup to page for` }];
  const schedule = cluster.objects.map((o) => o.object)
    .find((o) => o.kind === 'Schedule' && o.metadata.labels?.[RESTORED_ACROSS_REGIONS_LABEL] === 'true');
  const interval = cronIntervalMinutes(schedule?.spec?.schedule ?? '');
  if (!schedule || interval === undefined) {
    return [{ ok: false, found: 'no Velero Schedule marked as restored across regions runs at a regular interval: no alarm window can be judged', fix: 'back up the services with the platform\'s services schedule' }];
  }
  const upload = uploadMinutes(schedule).minutes;
  const gap = (1 + MISSED_RUNS) * interval + upload;
  const location = (velero.values?.configuration?.backupStorageLocation ?? []).find((l: any) => l.default === true);
  const prefix = `${location?.prefix ? `${location.prefix}/` : ''}backups/${schedule.metadata.name}-`;
  const buckets = replicatedBuckets(cluster.stack);
  const filters = buckets.flatMap(([id, bucket]) => (bucket.Properties.MetricsConfigurations ?? [])
    .filter((config: any) => config.Prefix === prefix && config.TagFilters === undefined && config.AccessPointArn === undefined)
    .map((config: any) => ({ bucket: id, filterId: config.Id })));
  if (filters.length === 0) {
    return [{
      ok: false,
      found: `no request-metrics filter of the Velero bucket selects ${prefix}: S3 counts no write of Schedule/${schedule.metadata.name}'s backups`,
      fix: `add a metrics configuration with Prefix ${prefix} to the Velero bucket, and an alarm on its PutRequests`,
    }];
  }
  const dimension = (metric: any, name: string) => metric.Dimensions?.find((d: any) => d.Name === name)?.Value;
  const alarms = resourcesOfType(cluster.stack, 'AWS::CloudWatch::Alarm').filter(([, alarm]) => {
    const p = alarm.Properties ?? {};
    return p.Namespace === 'AWS/S3' && p.MetricName === 'PutRequests' &&
      filters.some((f) => referenced(cluster.stack, dimension(p, 'BucketName'))?.[0] === f.bucket && dimension(p, 'FilterId') === f.filterId);
  });
  if (alarms.length === 0) {
    return [{
      ok: false,
      found: `no alarm reads PutRequests of filter ${filters[0].filterId} (${prefix}): Velero can stop backing up and page nobody without Prometheus`,
      fix: `alarm on AWS/S3 PutRequests (BucketName, FilterId ${filters[0].filterId}) below 1, missing data breaching, publishing to the alarm topic (ResilientEksPlatform does with alerting)`,
    }];
  }
  return alarms.map(([id, alarm]): Check => {
    const p = alarm.Properties;
    const periods = Number(p.EvaluationPeriods);
    const window = (Number(p.Period) * periods) / 60;
    const below = p.Statistic === 'Sum' && ((p.ComparisonOperator === 'LessThanThreshold' && p.Threshold > 0 && p.Threshold <= 1) ||
      (p.ComparisonOperator === 'LessThanOrEqualToThreshold' && p.Threshold >= 0 && p.Threshold < 1));
    const problems = [
      ...(below ? [] : [`it does not fire on no write (${p.Statistic} ${p.ComparisonOperator} ${p.Threshold})`]),
      ...(p.TreatMissingData === 'breaching' ? [] : [`missing data is ${p.TreatMissingData ?? 'missing'}, but S3 sends no data point for a period without a PUT`]),
      ...((p.DatapointsToAlarm ?? periods) === periods ? [] : [`it fires on ${p.DatapointsToAlarm} of ${periods} periods, not on all of them`]),
      ...(window > gap ? [] : [`its ${window}-minute window pages for a gap the RPO arithmetic allows`]),
      ...(window <= gap + interval ? [] : [`its ${window}-minute window lets another run be missed before it pages`]),
      ...((p.AlarmActions ?? []).length > 0 ? [] : ['it has no alarm action: it pages nobody']),
    ];
    return {
      ok: problems.length === 0,
      found: `${id} pages when Schedule/${schedule.metadata.name}'s backups (${prefix}) get no write for ${window} min, vs ${1 + MISSED_RUNS} x ${interval} ` +
        `(one run may be missed) + ${upload} upload = ${gap} min allowed, ${gap + interval} at most` +
        `${problems.length > 0 ? `: but ${problems.join('; ')}` : ''}`,
      fix: `make ${id} fire on fewer than 1 PutRequests (Sum) in every period, missing data breaching, over more than ${gap} and at most ${gap + interval} minutes, publishing to the alarm topic`,
    };
  });
}
