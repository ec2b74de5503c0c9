import { ReportRow, Requirement } from '../../report-row';
import { awsBackupDataAges } from '../aws-backup-data-age';
import { DataAge, freshest, minutesText } from '../data-age';
import { ClusterStack } from '../platform';
import { Check, notApplicable, rowOf } from '../row-builder';
import { veleroDataAges } from '../velero-data-age';

/** One store's check: as old as its freshest copy in the recovery region, against the RPO. */
function storeCheck(store: string, ages: DataAge[], rpoMinutes: number): Check {
  const worst = freshest(ages);
  return {
    ok: worst <= rpoMinutes,
    found: `${store}: ${ages.map((age) => `${age.sum} = ${minutesText(age.minutes)}`).join('; ')}; worst case (the freshest copy) ${minutesText(worst)} vs RPO ${rpoMinutes} min`,
    fix: ages.map((age) => age.fix).filter((fix) => fix).join('; '),
  };
}

/**
 * The worst age of each data store in the recovery region, against the RPO
 * the platform recorded: a store is as old as its freshest copy there. The
 * services' objects and volumes travel with Velero (the schedule failover
 * restores, missed once, its upload bound and the bucket's replication bound);
 * the Velero bucket's replica lags by its replication bound (S3 Replication
 * Time Control: 15 minutes; none without it). AWS Backup's recovery points,
 * of the cluster (composite: objects and volumes) and of the tagged volumes,
 * are shown per rule: hourly at best with a start window of an hour, and a
 * copy with no documented time bound, they never hold the RPO in the
 * recovery region. Secrets and images have rows of their own.
 */
export function rpoRow(cluster: ClusterStack): ReportRow {
  const header = {
    id: 'dr-rpo',
    requirement: Requirement.DISASTER_RECOVERY,
    claim: 'After losing the region, no data store\'s copy in the recovery region is older than the RPO',
    subject: cluster.stack.name,
    evidence: `Velero Schedules, the Velero bucket's replication, the AWS Backup plans and selections (${cluster.stack.templatePath}); ` +
      'Secrets Manager secrets: row dr-secrets-replicated; ECR images: row dr-images-replicated',
  };
  const recovery = cluster.recovery;
  if (!recovery) return notApplicable(header, `${cluster.stack.name} records no recovery targets (no disasterRecovery)`);
  if (recovery.role === 'standby') return notApplicable(header, 'a standby\'s schedules stay paused until it serves; the primary\'s row holds the RPO');
  const velero = veleroDataAges(cluster);
  const awsBackup = awsBackupDataAges(cluster);
  return rowOf(header, [
    storeCheck('cluster objects (the services\' namespaces)', [velero.objects, ...awsBackup.cluster], recovery.rpoMinutes),
    storeCheck('persistent volumes', [velero.volumes, ...awsBackup.cluster, ...awsBackup.volumes], recovery.rpoMinutes),
    storeCheck('Velero bucket', [velero.bucket], recovery.rpoMinutes),
  ]);
}
