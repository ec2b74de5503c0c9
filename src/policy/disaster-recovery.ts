import type { AlarmRule } from './alerting';
import { Decision } from './decision';
import { invalid } from './errors';

/** How the platform recovers from the loss of its region (issue 5 builds the constructs on this). */
export type RecoveryStrategy = 'backup-and-restore' | 'pilot-light' | 'warm-standby';

/** What the user asks for: how much data may be lost and how long recovery may take. */
export interface RecoveryIntent {
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
  readonly strategy: RecoveryStrategy;
  readonly retentionDays?: number;
}

/** The settings that follow from the intent. */
export interface RecoveryPlan {
  /** Minutes between two backups: never longer than the RPO. */
  readonly backupIntervalMinutes: Decision<number>;
  /** AWS Backup schedule expression for EBS and other scheduled backups (hourly at best). */
  readonly awsBackupSchedule: string;
  /** Continuous backup (point-in-time recovery) where the resource supports it, needed below an hour of RPO. */
  readonly continuousBackup: Decision<boolean>;
  /** Velero's schedule (5-field cron) for Kubernetes resources and CSI snapshots. */
  readonly veleroSchedule: string;
  /** How long Velero keeps a backup (a Go duration, as the Backup CRD takes it). */
  readonly veleroTtl: string;
  /** S3 Replication Time Control (99.99% of objects within 15 minutes) on the Velero bucket's replication. */
  readonly replicationTimeControl: Decision<boolean>;
  readonly retentionDays: Decision<number>;
  /** Days before backups move to cold storage, when retention leaves the 90 days cold storage needs. */
  readonly coldStorageAfterDays?: number;
  /** What must exist in the secondary region before a disaster. */
  readonly replicated: Decision<string[]>;
  /** Capacity of the standby platform in the secondary region. */
  readonly standbyCapacity: Decision<'none' | 'minimal' | 'reduced'>;
}

/** Velero and EBS snapshots more often than this cost more than they protect. */
export const MIN_RPO_MINUTES = 15;
/** Intervals that divide a day evenly, so schedules stay regular. */
const INTERVALS = [15, 30, 60, 120, 180, 240, 360, 480, 720, 1440];

/**
 * How long a Velero backup may take to upload its volumes' data before it
 * fails (its itemOperationTimeout; Velero's own default is 4 hours, which no
 * RPO of hours could absorb). A failed backup is a missed run, paged.
 */
export const VELERO_UPLOAD_MINUTES = 15;
/** S3 Replication Time Control replicates 99.99% of objects within 15 minutes (its SLA): the bound the RPO arithmetic uses. */
export const REPLICATION_MINUTES = 15;
/**
 * Runs the RPO must survive missing: the Velero server runs one replica, and
 * a backup in progress when it restarts (a node drained or lost) fails; the
 * next run takes it one interval later.
 */
export const MISSED_RUNS = 1;

/**
 * The worst age of the services' data in the recovery region just before a
 * disaster, with backups every `intervalMinutes`: the last good backup
 * started (1 + missed runs) intervals ago, then took its upload time and its
 * replication.
 */
export function worstDataAgeMinutes(
  intervalMinutes: number, uploadMinutes = VELERO_UPLOAD_MINUTES, replicationMinutes = REPLICATION_MINUTES,
): number {
  return (1 + MISSED_RUNS) * intervalMinutes + uploadMinutes + replicationMinutes;
}

/** The shortest regional RPO the platform can hold: the shortest interval, missed once, plus upload and replication. */
export const MIN_REGIONAL_RPO_MINUTES = worstDataAgeMinutes(INTERVALS[0]);

/**
 * The longest regular backup interval whose worst data age in the recovery
 * region (see {@link worstDataAgeMinutes}) stays within the RPO. Rejects
 * RPOs below {@link MIN_REGIONAL_RPO_MINUTES}, naming `prop`.
 */
export function regionalBackupInterval(rpoMinutes: number, prop: string): Decision<number> {
  const interval = [...INTERVALS].reverse().find((candidate) => worstDataAgeMinutes(candidate) <= rpoMinutes);
  if (!Number.isInteger(rpoMinutes) || interval === undefined) {
    invalid(prop, `${rpoMinutes} min`, `must be at least ${MIN_REGIONAL_RPO_MINUTES} minutes: the data in the recovery region can be ` +
      `${1 + MISSED_RUNS} backup intervals of ${INTERVALS[0]} minutes old (one run may be missed), plus ${VELERO_UPLOAD_MINUTES} minutes of upload ` +
      `and ${REPLICATION_MINUTES} of replication`,
    `use Duration.minutes(${MIN_REGIONAL_RPO_MINUTES}) or more, and replicate synchronously the data stores that need less`);
  }
  return {
    value: interval!,
    reason: `every ${interval} minutes: ${1 + MISSED_RUNS} x ${interval} (one run may be missed) + ${VELERO_UPLOAD_MINUTES} upload + ` +
      `${REPLICATION_MINUTES} replication = ${worstDataAgeMinutes(interval!)} minutes of data at most, within the ${rpoMinutes}-minute RPO`,
  };
}

/**
 * The shortest RTO each strategy can meet, from what must happen before
 * traffic is served again in the secondary region:
 * - backup and restore: deploy the platform (VPC, EKS, add-ons, Karpenter,
 *   ArgoCD: about an hour), restore volumes and resources, fail DNS over;
 * - pilot light: the platform exists at minimal size; scale it out, restore
 *   data, fail over (about half an hour);
 * - warm standby: a reduced copy already serves; Route 53 fails over after
 *   three failed 30 s health checks plus the record TTL, then it scales out.
 */
export const MIN_RTO_MINUTES: Record<RecoveryStrategy, number> = {
  'backup-and-restore': 120,
  'pilot-light': 30,
  'warm-standby': 10,
};

const DEFAULT_RETENTION_DAYS = 35;
const COLD_STORAGE_AFTER_DAYS = 30;
/** AWS Backup keeps cold backups at least 90 days. */
const COLD_STORAGE_MIN_DAYS = 90;

/**
 * The longest regular backup interval within an RPO (minutes). Rejects RPOs
 * below {@link MIN_RPO_MINUTES}, naming `prop`.
 */
export function backupInterval(rpoMinutes: number, prop: string): Decision<number> {
  if (!Number.isInteger(rpoMinutes) || rpoMinutes < MIN_RPO_MINUTES) {
    invalid(prop, `${rpoMinutes} min`, `must be at least ${MIN_RPO_MINUTES} minutes: below that, snapshots cannot keep up and only synchronous replication of each data store could meet it`,
      `use Duration.minutes(${MIN_RPO_MINUTES}) or more, and replicate the data stores that need less`);
  }
  const interval = [...INTERVALS].reverse().find((candidate) => candidate <= rpoMinutes)!;
  return {
    value: interval,
    reason: `every ${interval} minutes: the longest regular interval within the ${rpoMinutes}-minute RPO (cross-region copies add their transfer time)`,
  };
}

/** A 5-field cron expression (Velero, Kubernetes) firing every `intervalMinutes` from {@link backupInterval}; daily backups run at 03:00 UTC. */
export function intervalCron(intervalMinutes: number): string {
  if (intervalMinutes < 60) return `*/${intervalMinutes} * * * *`;
  return intervalMinutes >= 1440 ? '0 3 * * *' : `0 */${intervalMinutes / 60} * * *`;
}

/** A retention in whole days as the Go duration Velero's `ttl` takes. */
export function veleroTtl(retentionDays: number): string {
  return `${retentionDays * 24}h0m0s`;
}

/**
 * Turns an RPO/RTO intent into backup, replication and standby settings, and
 * rejects intents no setting can meet, saying what would.
 */
export function recoveryPlan(intent: RecoveryIntent, props: { rpo: string; rto: string; strategy: string; retention: string }): RecoveryPlan {
  const { rpoMinutes, rtoMinutes, strategy } = intent;
  const interval = regionalBackupInterval(rpoMinutes, props.rpo);
  const minimum = MIN_RTO_MINUTES[strategy];
  if (!Number.isInteger(rtoMinutes) || rtoMinutes < minimum) {
    const meeting = (Object.keys(MIN_RTO_MINUTES) as RecoveryStrategy[]).filter((s) => MIN_RTO_MINUTES[s] <= rtoMinutes);
    invalid(props.rto, `${rtoMinutes} min`, `cannot be met by ${strategy}, which needs at least ${minimum} minutes to serve again from the secondary region`,
      meeting.length > 0 ? `use ${props.strategy} ${meeting.map((s) => `"${s}"`).join(' or ')}, or allow ${minimum} minutes`
        : `allow at least ${MIN_RTO_MINUTES['warm-standby']} minutes (warm standby) or run active-active`);
  }
  const retention = intent.retentionDays ?? DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(retention) || retention < 1 || retention > 36500) {
    invalid(props.retention, retention, 'must be a whole number of days from 1 to 36500', `use ${DEFAULT_RETENTION_DAYS}`);
  }
  const minutes = interval.value;
  return {
    backupIntervalMinutes: interval,
    awsBackupSchedule: minutes < 60 ? 'cron(0 * * * ? *)' : minutes >= 1440 ? 'cron(0 3 * * ? *)' : `cron(0 */${minutes / 60} * * ? *)`,
    continuousBackup: {
      value: rpoMinutes < 24 * 60,
      reason: rpoMinutes < 24 * 60
        ? 'AWS Backup schedules run at most hourly, each within an hour\'s start window and a completion window, so resources that support it also get continuous backup (point-in-time recovery); volumes and cluster objects are held to the RPO by Velero'
        : 'daily scheduled backups meet an RPO of a day or more',
    },
    veleroSchedule: intervalCron(minutes),
    veleroTtl: veleroTtl(retention),
    replicationTimeControl: {
      value: true,
      reason: `the RPO arithmetic needs a bound on replication: S3 Replication Time Control replicates 99.99% of objects within ${REPLICATION_MINUTES} minutes ` +
        '(best-effort replication has none)',
    },
    retentionDays: { value: retention, reason: `backups are kept ${retention} days` },
    coldStorageAfterDays: retention >= COLD_STORAGE_AFTER_DAYS + COLD_STORAGE_MIN_DAYS ? COLD_STORAGE_AFTER_DAYS : undefined,
    replicated: {
      value: ['aws-backup-copies', 'velero-bucket', 'ecr-images', ...(strategy === 'backup-and-restore' ? [] : ['standby-platform'])],
      reason: strategy === 'backup-and-restore'
        ? 'backups and images must already be in the secondary region; the platform is deployed there from code when needed'
        : 'backups and images are replicated and a standby platform runs in the secondary region',
    },
    standbyCapacity: {
      value: strategy === 'warm-standby' ? 'reduced' : strategy === 'pilot-light' ? 'minimal' : 'none',
      reason: strategy === 'warm-standby' ? 'a reduced copy serves at once and scales out after failover'
        : strategy === 'pilot-light' ? 'the platform exists at minimal size (system nodes only) and scales out on failover'
          : 'nothing runs in the secondary region until it is needed',
    },
  };
}

/** The label that marks a Velero Schedule whose backups the other region restores on failover or failback (the resilience report checks its scope). */
export const RESTORED_ACROSS_REGIONS_LABEL = 'resilient-eks.dev/restored-across-regions';

/**
 * Secrets Manager's ListSecrets "might not reflect changes from the last five
 * minutes" (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html):
 * a scan can miss a secret created that recently.
 */
export const SECRET_LISTING_LAG_MINUTES = 5;

/**
 * The longest a secret created under the platform's prefix waits for its
 * replica in the recovery region, with the replicator scanning every
 * `intervalMinutes`: the listing may miss it once, and one run may fail (it
 * pages) before the next takes it.
 */
export function worstSecretReplicaDelayMinutes(intervalMinutes: number): number {
  return SECRET_LISTING_LAG_MINUTES + (1 + MISSED_RUNS) * intervalMinutes;
}

/**
 * How often the secret replicator scans the prefix for secrets without a
 * replica in the recovery region: the plan's backup interval, whose own worst
 * data age (two intervals plus 30 minutes of upload and replication) is
 * within the RPO, so the replicas' delay is too.
 */
export function secretReplicationInterval(plan: RecoveryPlan): Decision<number> {
  const interval = plan.backupIntervalMinutes.value;
  return {
    value: interval,
    reason: `every ${interval} minutes, as the backups: a new secret has its replica within ${SECRET_LISTING_LAG_MINUTES} (listing lag) + ` +
      `${1 + MISSED_RUNS} x ${interval} (one run may fail) = ${worstSecretReplicaDelayMinutes(interval)} minutes`,
  };
}

/** The secret replicator's settings, as environment variables of its function: the resilience report reads them there. */
export const SECRET_REPLICATOR_ENVIRONMENT = {
  prefix: 'SECRET_NAME_PREFIX',
  region: 'REPLICA_REGION',
  keyAlias: 'REPLICA_KEY_ALIAS',
} as const;

/**
 * When the secret replicator's failures page: any failed run, in 5-minute
 * periods. Missing data keeps the alarm's state (runs are minutes apart), so
 * it stays in alarm until a run succeeds.
 */
export const SECRET_REPLICATION_ALARM: AlarmRule = {
  threshold: 1,
  periodMinutes: 5,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  reason: 'a failed run leaves a secret without its replica in the recovery region (or one whose replication failed) until someone acts: ' +
    'services there could not start after a failover',
};
