import { DataAge, cronIntervalMinutes } from './data-age';
import { ClusterStack, helmRelease, resourcesOfType } from './platform';
import { durationSeconds } from './quantities';
import { VELERO_DEFAULT_ITEM_OPERATION_MINUTES } from '../../policy/data-age';
import { MISSED_RUNS, RESTORED_ACROSS_REGIONS_LABEL, worstDataAgeMinutes } from '../../policy/disaster-recovery';

/** The worst ages Velero allows in the recovery region, per store it carries there. */
export interface VeleroDataAges {
  /** The services' Kubernetes objects, from the schedule failover restores. */
  readonly objects: DataAge;
  /** Their persistent volumes' data, when the schedule moves it into the bucket. */
  readonly volumes: DataAge;
  /** What is in the Velero bucket: its replica lags by the replication bound. */
  readonly bucket: DataAge;
}

const RTC_FIX = 'enable S3 Replication Time Control on the Velero bucket\'s replication';

/**
 * The replication bound of the stack's replicated buckets (the Velero one):
 * the slowest rule, Infinity for a rule without S3 Replication Time Control,
 * undefined when nothing is replicated.
 */
function replicationMinutes(cluster: ClusterStack): number | undefined {
  const rules = resourcesOfType(cluster.stack, 'AWS::S3::Bucket').flatMap(([, bucket]) => bucket.Properties?.ReplicationConfiguration?.Rules ?? []);
  const minutes = rules.map((rule: any) => (rule.Destination?.ReplicationTime?.Status === 'Enabled' ? Number(rule.Destination.ReplicationTime.Time?.Minutes) : Infinity));
  return minutes.length > 0 ? Math.max(...minutes) : undefined;
}

function replicationText(minutes: number | undefined): string {
  if (minutes === undefined) return 'no replication';
  return Number.isFinite(minutes) ? `${minutes} replication (S3 RTC)` : 'unbounded replication (no S3 RTC)';
}

/**
 * Velero's worst data ages in the recovery region: the schedule marked as
 * restored across regions, missed once (one Velero server: a restart fails
 * the backup in progress), plus its upload bound (itemOperationTimeout) and
 * the bucket's replication bound. A restore needs the whole backup completed,
 * so the objects wait for the volumes' upload too; the volumes reach the
 * bucket only when their snapshot data is moved there (a CSI snapshot stays
 * in its region) or backed up from the file system.
 */
/** A Velero Schedule's upload bound in minutes (its itemOperationTimeout, or Velero's default), and the timeout as written. */
export function uploadMinutes(schedule: any): { minutes: number; timeout?: string } {
  const timeout = schedule?.spec?.template?.itemOperationTimeout;
  return { minutes: timeout !== undefined ? (durationSeconds(timeout) ?? NaN) / 60 : VELERO_DEFAULT_ITEM_OPERATION_MINUTES, timeout };
}

export function veleroDataAges(cluster: ClusterStack): VeleroDataAges {
  const replication = replicationMinutes(cluster);
  const bucket: DataAge = {
    minutes: replication ?? Infinity,
    sum: `the Velero bucket's replica: ${replicationText(replication)}`,
    fix: replication === undefined ? 'replicate the Velero bucket to the recovery region' : RTC_FIX,
  };
  const schedule = cluster.objects.map((o) => o.object)
    .find((o) => o.kind === 'Schedule' && o.metadata.labels?.[RESTORED_ACROSS_REGIONS_LABEL] === 'true');
  if (!schedule) {
    const none: DataAge = { minutes: Infinity, sum: 'Velero: no Schedule is marked as restored across regions', fix: 'back up the services with the platform\'s services schedule' };
    return { objects: none, volumes: none, bucket };
  }
  const name = `Schedule/${schedule.metadata.name}`;
  const interval = cronIntervalMinutes(schedule.spec?.schedule ?? '');
  if (interval === undefined || schedule.spec?.paused === true) {
    const stopped: DataAge = interval === undefined
      ? { minutes: Infinity, sum: `Velero: ${name} runs on "${schedule.spec?.schedule}", not a regular interval`, fix: `schedule ${name} every N minutes or hours` }
      : { minutes: Infinity, sum: `Velero: ${name} is paused in the primary: no backup is taken`, fix: 'unpause the primary\'s schedule' };
    return { objects: stopped, volumes: stopped, bucket };
  }
  const template = schedule.spec?.template ?? {};
  const { minutes: upload, timeout } = uploadMinutes(schedule);
  const minutes = worstDataAgeMinutes(interval, upload, replication ?? Infinity);
  const objects: DataAge = {
    minutes,
    sum: `Velero ${name} every ${interval} min: ${1 + MISSED_RUNS} x ${interval} (one run may be missed) + ${upload} upload ` +
      `(${timeout !== undefined ? `itemOperationTimeout ${timeout}` : 'Velero\'s default 4h'}) + ${replicationText(replication)}`,
    fix: [
      ...(replication === undefined || !Number.isFinite(replication) ? [RTC_FIX] : []),
      ...(timeout === undefined ? [`set itemOperationTimeout on ${name}'s template`] : []),
      'back up more often (the platform derives the interval from the RPO)',
    ].join('; '),
  };
  const defaultMove = helmRelease(cluster, 'velero')?.values?.configuration?.defaultSnapshotMoveData === true;
  const moved = template.snapshotVolumes !== false && (template.snapshotMoveData ?? defaultMove) === true;
  const fileSystem = template.defaultVolumesToFsBackup === true;
  const volumes: DataAge = moved || fileSystem ? objects : {
    minutes: Infinity,
    sum: template.snapshotVolumes === false
      ? `Velero ${name} takes no volume data (snapshotVolumes: false)`
      : `Velero ${name} leaves its volume snapshots in ${cluster.stack.region ?? 'the primary region'} (snapshot data not moved into the bucket)`,
    fix: `move the volumes' snapshot data into the bucket: snapshotMoveData: true on ${name}'s template`,
  };
  return { objects, volumes, bucket };
}
