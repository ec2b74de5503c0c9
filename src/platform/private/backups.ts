import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeNag, managedPolicyFindings } from './nag';
import { backupVaultName, copyVaultName } from './recovery-names';
import { retainedKey } from './retained-key';
import { RecoveryPlan } from '../../policy/disaster-recovery';

/** The tag that puts a resource (and every EBS volume of the platform's StorageClass) into the backup plan. */
export const BACKUP_TAG = 'resilient-eks.dev/backup';

/** AWS Backup keeps continuous backups (point-in-time recovery) at most 35 days. */
const MAX_CONTINUOUS_RETENTION_DAYS = 35;

/** Inputs of the backups. */
export interface BackupsProps {
  readonly clusterName: string;
  readonly plan: RecoveryPlan;
  readonly secondaryRegion: string;
  readonly vaultLock: boolean;
}

/**
 * AWS Backup for the platform: a vault encrypted with a customer-managed key
 * (optionally locked), a plan whose schedule follows the RPO (plus continuous
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

    this.key = retainedKey(this, 'Key', `Encrypts the ${vaultName} backup vault`);
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: vaultName,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.vaultLock ? { lockConfiguration: { minRetention: Duration.days(Math.min(retentionDays, 7)), changeableFor: Duration.days(3) } } : {}),
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
          deleteAfter: Duration.days(Math.min(retentionDays, MAX_CONTINUOUS_RETENTION_DAYS)),
          copyActions: [{ destinationBackupVault: secondaryVault, deleteAfter: Duration.days(retentionDays) }],
        })] : []),
      ],
    });
    const selection = this.plan.addSelection('Tagged', { resources: [backup.BackupResource.fromTag(BACKUP_TAG, this.tagValue)] });

    const restoreRole = new iam.Role(this, 'RestoreTestingRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores')],
    });
    // Restore testing plan names: at most 50 letters, digits and underscores.
    const restorePlanName = `restore_test_${props.clusterName.replace(/-/g, '_')}`.substring(0, 50);
    const restorePlan = new backup.CfnRestoreTestingPlan(this, 'RestoreTestingPlan', {
      restoreTestingPlanName: restorePlanName,
      // Every Sunday: a backup that was never restored is a hope, not a backup.
      scheduleExpression: 'cron(0 5 ? * SUN *)',
      startWindowHours: 8,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [this.vault.backupVaultArn],
        recoveryPointTypes: ['SNAPSHOT'],
        selectionWindowDays: 7,
      },
    });
    const restoreSelection = new backup.CfnRestoreTestingSelection(this, 'RestoreTestingSelection', {
      restoreTestingPlanName: restorePlanName,
      restoreTestingSelectionName: 'ebs_volumes',
      protectedResourceType: 'EBS',
      protectedResourceArns: ['*'],
      protectedResourceConditions: { stringEquals: [{ key: `aws:ResourceTag/${BACKUP_TAG}`, value: this.tagValue }] },
      iamRoleArn: restoreRole.roleArn,
      validationWindowHours: 1,
    });
    restoreSelection.addResourceDependency(restorePlan);

    const managed = 'AWS Backup\'s service-role policies for backups and restores, which AWS keeps current with the services it protects.';
    acknowledgeNag(selection, managedPolicyFindings(['service-role/AWSBackupServiceRolePolicyForBackup'], managed));
    acknowledgeNag(restoreRole, managedPolicyFindings(['service-role/AWSBackupServiceRolePolicyForRestores'], managed));
  }
}

function coldAfter(plan: RecoveryPlan): Duration | undefined {
  return plan.coldStorageAfterDays !== undefined ? Duration.days(plan.coldStorageAfterDays) : undefined;
}
