import { invalid } from './errors';

/** How a backup vault is locked: the values of the public VaultLockMode. */
export type VaultLockModeName = 'governance' | 'compliance' | 'none';

/** A job that writes recovery points into a vault, and how long it keeps them (undefined: for ever). */
export interface VaultJob {
  readonly name: string;
  readonly deleteAfterDays?: number;
}

/** The LockConfiguration of an AWS::Backup::BackupVault, and why. */
export interface VaultLockSettings {
  readonly minRetentionDays: number;
  /** Compliance mode only: the lock becomes immutable this many days after it is set. */
  readonly changeableForDays?: number;
  readonly reason: string;
}

/**
 * The shortest retention a locked vault accepts. A lock already forbids
 * deleting a recovery point (or shortening its lifecycle) before it expires;
 * the minimum stops someone who rewrites the plan from creating recovery
 * points that expire at once. It is fixed rather than equal to the
 * retention: a compliance lock can never change after its grace period, so a
 * minimum that followed the retention would fail every job the day the
 * retention is lowered. AWS Backup advises keeping warm backups at least a
 * week (https://docs.aws.amazon.com/aws-backup/latest/devguide/recovery-points.html).
 */
export const LOCKED_MIN_RETENTION_DAYS = 7;

/**
 * Compliance mode's grace period: AWS Backup enforces a 72-hour cooling-off
 * period, so ChangeableForDays must be 3 or more; until then the lock can be
 * changed or removed (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-backup-backupvault-lockconfigurationtype.html).
 */
export const COMPLIANCE_GRACE_DAYS = 3;

/**
 * The lock of a vault, in CloudFormation's terms: governance is a lock
 * without ChangeableForDays (users with IAM permission to delete the lock
 * configuration can still remove it), compliance one with it (after the grace
 * period nobody, AWS included, can change or remove it). No MaxRetentionDays:
 * a maximum protects no recovery point, and under compliance it could never
 * be raised. Rejects a lock that would fail a job: a backup or copy job whose
 * retention is shorter than the lock's minimum fails in the vault
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html).
 */
export function vaultLockSettings(
  mode: VaultLockModeName, vault: string, jobs: VaultJob[], props: { lock: string; retention: string },
): VaultLockSettings | undefined {
  if (mode === 'none') return undefined;
  for (const job of jobs) {
    if (job.deleteAfterDays !== undefined && job.deleteAfterDays < LOCKED_MIN_RETENTION_DAYS) {
      invalid(props.lock, mode, `locks vault ${vault} with a minimum retention of ${LOCKED_MIN_RETENTION_DAYS} days, and its ${job.name} job keeps ` +
        `recovery points ${job.deleteAfterDays} days: AWS Backup fails every job whose retention is below a locked vault's minimum`,
      `keep backups ${LOCKED_MIN_RETENTION_DAYS} days or more (${props.retention}), or set ${props.lock} to VaultLockMode.NONE`);
    }
  }
  return mode === 'compliance'
    ? {
      minRetentionDays: LOCKED_MIN_RETENTION_DAYS,
      changeableForDays: COMPLIANCE_GRACE_DAYS,
      reason: `compliance: after ${COMPLIANCE_GRACE_DAYS} days nobody, the root user included, can delete a recovery point before it expires or remove the lock`,
    }
    : {
      minRetentionDays: LOCKED_MIN_RETENTION_DAYS,
      reason: 'governance: recovery points cannot be deleted before they expire; only a principal allowed backup:DeleteBackupVaultLockConfiguration can remove the lock',
    };
}
