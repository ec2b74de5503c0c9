import { Duration } from 'aws-cdk-lib';

/** How the platform recovers from the loss of its region. */
export enum RecoveryStrategy {
  /** Backups and images in the secondary region; the platform is deployed there from code when needed (RTO: hours). */
  BACKUP_AND_RESTORE = 'backup-and-restore',
  /** A minimal platform runs in the secondary region and scales out on failover (RTO: tens of minutes). */
  PILOT_LIGHT = 'pilot-light',
  /** A reduced copy serves in the secondary region and takes traffic at once (RTO: minutes). */
  WARM_STANDBY = 'warm-standby',
}

/** Backup and disaster recovery, from the data loss and downtime the business accepts. */
export interface DisasterRecoveryOptions {
  /** Recovery point objective: the most data, in time, a disaster may lose (at least 15 minutes). */
  readonly rpo: Duration;
  /** Recovery time objective: the longest a regional disaster may interrupt service. */
  readonly rto: Duration;
  /**
   * The region backups are copied to and the platform recovers in. Deploy a RecoveryRegionVault
   * there (same cluster name) before the first backup is copied.
   */
  readonly secondaryRegion: string;
  /**
   * The strategy; it must be able to meet the RTO.
   * @default RecoveryStrategy.BACKUP_AND_RESTORE
   */
  readonly strategy?: RecoveryStrategy;
  /**
   * How long backups are kept (whole days).
   * @default Duration.days(35)
   */
  readonly retention?: Duration;
  /**
   * Lock the backup vault (compliance mode after a 3-day grace period): nobody, root included, can
   * delete recovery points before their retention ends. Irreversible once the grace period is over.
   * @default false
   */
  readonly vaultLock?: boolean;
}
