/**
 * The numbers the worst-case age of each protected data store is computed
 * from, each with where AWS or Velero states it. Velero's own bounds (upload,
 * missed runs, S3 Replication Time Control) are in ./disaster-recovery.ts,
 * next to the schedule they decide.
 */

/**
 * What a backup rule waits when it sets no windows: starts within 8 hours,
 * completes within 7 days (https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html,
 * checked 2026-12-03).
 */
export const AWS_BACKUP_DEFAULT_START_WINDOW_MINUTES = 8 * 60;
export const AWS_BACKUP_DEFAULT_COMPLETION_WINDOW_MINUTES = 7 * 24 * 60;

/**
 * Velero waits this long for a backup's asynchronous item operations (the
 * data mover's uploads) when the backup sets no itemOperationTimeout: the
 * server's defaultItemOperationTimeout, 4 hours in Velero 1.18
 * (https://github.com/vmware-tanzu/velero/blob/v1.18.2/pkg/cmd/server/config/config.go, checked 2026-12-03).
 */
export const VELERO_DEFAULT_ITEM_OPERATION_MINUTES = 4 * 60;

/**
 * The worst age of an AWS Backup recovery point in its own region just
 * before a disaster: the last job was scheduled an interval ago, started at
 * the end of its start window and used all its completion window. At best
 * that is an hour (snapshot backups run "as frequently as hourly":
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html)
 * plus an hour (a start window "must be at least 60 minutes":
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html)
 * plus the completion window, checked 2026-12-03. AWS documents no time
 * bound for the copy to another region, so a copy is older by an unknown
 * amount: callers count it as unbounded.
 */
export function awsBackupAgeMinutes(intervalMinutes: number, startWindowMinutes: number, completionWindowMinutes: number): number {
  return intervalMinutes + startWindowMinutes + completionWindowMinutes;
}
