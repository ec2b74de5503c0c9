import { Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeNag, managedPolicyFindings } from './nag';
import { retainedKey } from './retained-key';
import { RecoveryPlan } from '../../policy/disaster-recovery';
import { invalid } from '../../policy/errors';
import { requireRegion } from '../../policy/names';

/** The tag that puts a resource (and every EBS volume of the platform's StorageClass) into the backup plan. */
export const BACKUP_TAG = 'resilient-eks.dev/backup';

/** The platform's vault. */
export function backupVaultName(clusterName: string): string {
  return `${clusterName}-backups`;
}

/** The vault its copies go to in the secondary region: another name, so a platform deployed there can have its own vault. */
export function copyVaultName(clusterName: string): string {
  return `${clusterName}-backup-copies`;
}

/** AWS Backup snapshots EBS volumes hourly at best; a shorter RPO needs Velero's CSI snapshots, not built yet. */
const MIN_SUPPORTED_RPO_MINUTES = 60;

/** Inputs of the backups. */
export interface BackupsProps {
  readonly clusterName: string;
  readonly plan: RecoveryPlan;
  readonly secondaryRegion: string;
  readonly vaultLock: boolean;
}

/**
 * AWS Backup for the platform: a vault encrypted with a customer-managed key
 * (optionally locked), a plan whose schedule follows the RPO, lifecycle to
 * cold storage and deletion per retention, copies to the copy vault in the
 * secondary region (RecoveryRegionVault), a selection by tag (which the EBS
 * CSI driver puts on every volume it creates), and a weekly restore test of
 * the latest EBS recovery points.
 */
export class Backups extends Construct {
  public readonly vault: backup.BackupVault;
  public readonly key: kms.Key;
  public readonly plan: backup.BackupPlan;
  /** The value of BACKUP_TAG that selects resources into this plan. */
  public readonly tagValue: string;

  constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    requireRegion('disasterRecovery.secondaryRegion', props.secondaryRegion, 'pass the recovery region');
    if (!Token.isUnresolved(stack.region) && stack.region === props.secondaryRegion) {
      invalid('disasterRecovery.secondaryRegion', props.secondaryRegion, 'must differ from the stack\'s region: a copy in the same region does not survive its loss',
        'pick another region');
    }
    const { plan } = props;
    if (copyVaultName(props.clusterName).length > 50) {
      invalid('clusterName', props.clusterName, `must have at most 36 characters with disasterRecovery: backup vault names ("${copyVaultName(props.clusterName)}") are limited to 50`,
        'use a shorter clusterName');
    }
    if (plan.backupIntervalMinutes.value < MIN_SUPPORTED_RPO_MINUTES) {
      invalid('disasterRecovery.rpo', `${plan.backupIntervalMinutes.value} min`,
        `must be at least ${MIN_SUPPORTED_RPO_MINUTES} minutes for now: AWS Backup snapshots EBS volumes hourly at best, and the Velero CSI snapshots a shorter RPO needs are not part of the platform yet`,
        'use Duration.hours(1) or more');
    }
    const retentionDays = plan.retentionDays.value;
    this.tagValue = props.clusterName;
    const vaultName = backupVaultName(props.clusterName);

    this.key = retainedKey(this, 'Key', `Encrypts the ${vaultName} backup vault`);
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: vaultName,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.vaultLock ? { lockConfiguration: { minRetention: Duration.days(Math.min(retentionDays, 7)), changeableFor: Duration.days(3) } } : {}),
    });
    // The same-named vault in the secondary region (RecoveryRegionVault, deployed there).
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
