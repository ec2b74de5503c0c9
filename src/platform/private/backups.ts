import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeNag, managedPolicyFindings } from './nag';
import { backupVaultName, copyVaultName } from './recovery-names';
import { BACKUP_MANAGED_POLICY_REASON, weeklyRestoreTest } from './restore-testing';
import { retainedKey } from './retained-key';
import { RecoveryPlan } from '../../policy/disaster-recovery';
import { VaultLockModeName, VaultLockSettings, vaultLockSettings } from '../../policy/vault-lock';

/** The tag that puts a resource (and every EBS volume of the platform's StorageClass) into the backup plan. */
export const BACKUP_TAG = 'resilient-eks.dev/backup';

/** AWS Backup keeps continuous backups (point-in-time recovery) at most 35 days. */
const MAX_CONTINUOUS_RETENTION_DAYS = 35;

/** Inputs of the backups. */
export interface BackupsProps {
  readonly clusterName: string;
  readonly plan: RecoveryPlan;
  readonly secondaryRegion: string;
  readonly vaultLock: VaultLockModeName;
}

/**
 * AWS Backup for the platform: a vault encrypted with a customer-managed key
 * (locked unless told otherwise), a plan whose schedule follows the RPO (plus continuous
 * backup, where the resource supports it, below an hour of RPO), lifecycle to
 * cold storage and deletion per retention, copies to the copy vault in the
 * secondary region (RecoveryRegion), a selection by tag (which the EBS
 * CSI driver puts on every volume it creates), and a weekly restore test of
 * the latest EBS recovery points.
 */
export class Backups extends Construct {
  public readonly vault: backup.BackupVault;
  /** The vault's name, known at synth (alarms name it). */
  public readonly vaultName: string;
  public readonly key: kms.Key;
  public readonly plan: backup.BackupPlan;
  /** The value of BACKUP_TAG that selects resources into this plan. */
  public readonly tagValue: string;

  constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    const { plan } = props;
    const retentionDays = plan.retentionDays.value;
    this.tagValue = props.clusterName;
    const vaultName = backupVaultName(props.clusterName);
    this.vaultName = vaultName;

    const continuousDays = Math.min(retentionDays, MAX_CONTINUOUS_RETENTION_DAYS);
    const lock = vaultLockSettings(props.vaultLock, vaultName, [
      { name: 'snapshots', deleteAfterDays: retentionDays },
      ...(plan.continuousBackup.value ? [{ name: 'continuous', deleteAfterDays: continuousDays }] : []),
    ], { lock: 'disasterRecovery.vaultLock', retention: 'disasterRecovery.retention' });

    this.key = retainedKey(this, 'Key', `Encrypts the ${vaultName} backup vault`);
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: vaultName,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      lockConfiguration: lockConfiguration(lock),
    });
    // The same-named vault in the secondary region (RecoveryRegion, deployed there).
    const secondaryVault = backup.BackupVault.fromBackupVaultArn(this, 'SecondaryVault',
      `arn:${Aws.PARTITION}:backup:${props.secondaryRegion}:${Aws.ACCOUNT_ID}:backup-vault:${copyVaultName(props.clusterName)}`);

    const copy = { destinationBackupVault: secondaryVault, deleteAfter: Duration.days(retentionDays), moveToColdStorageAfter: coldAfter(plan) };
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupVault: this.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'snapshots',
          scheduleExpression: events.Schedule.expression(plan.awsBackupSchedule),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(4),
          deleteAfter: Duration.days(retentionDays),
          moveToColdStorageAfter: coldAfter(plan),
          copyActions: [copy],
        }),
        // Below an hour of RPO, resources that support it (RDS, Aurora, S3...) are backed up continuously and can be
        // restored to any second of the window; EBS volumes stay on the hourly snapshots plus Velero's moved snapshots.
        ...(plan.continuousBackup.value ? [new backup.BackupPlanRule({
          ruleName: 'continuous',
          enableContinuousBackup: true,
          scheduleExpression: events.Schedule.expression('cron(0 3 * * ? *)'),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(4),
          deleteAfter: Duration.days(continuousDays),
          copyActions: [{ destinationBackupVault: secondaryVault, deleteAfter: Duration.days(retentionDays) }],
        })] : []),
      ],
    });
    const selection = this.plan.addSelection('Tagged', { resources: [backup.BackupResource.fromTag(BACKUP_TAG, this.tagValue)] });
    weeklyRestoreTest(this, { planName: `restore_test_${props.clusterName}`, vault: this.vault, tag: { key: BACKUP_TAG, value: this.tagValue } });
    acknowledgeNag(selection, managedPolicyFindings(['service-role/AWSBackupServiceRolePolicyForBackup'], BACKUP_MANAGED_POLICY_REASON));
  }
}

/** The vault lock as aws-cdk-lib takes it. */
export function lockConfiguration(lock: VaultLockSettings | undefined): backup.LockConfiguration | undefined {
  return lock && {
    minRetention: Duration.days(lock.minRetentionDays),
    ...(lock.changeableForDays !== undefined ? { changeableFor: Duration.days(lock.changeableForDays) } : {}),
  };
}

function coldAfter(plan: RecoveryPlan): Duration | undefined {
  return plan.coldStorageAfterDays !== undefined ? Duration.days(plan.coldStorageAfterDays) : undefined;
}
