import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNag, managedPolicyFindings } from './nag';

/** Why cdk-nag's finding on AWS Backup's managed service-role policies stands. */
export const BACKUP_MANAGED_POLICY_REASON =
  'AWS Backup\'s service-role policies for backups and restores, which AWS keeps current with the services it protects.';

/** What a restore test restores. */
export interface RestoreTestingProps {
  /** The plan's name: letters, digits and underscores, cut to the 50 characters AWS Backup allows. */
  readonly planName: string;
  /** The vault whose latest EBS recovery points are restored. */
  readonly vault: backup.IBackupVault;
  /** Only volumes that carry this tag (on the protected resource), when given. */
  readonly tag?: { readonly key: string; readonly value: string };
}

/**
 * A weekly AWS Backup restore test of a vault's latest EBS recovery points
 * (a backup that was never restored is a hope, not a backup), with the role
 * it restores as. AWS Backup picks an Availability Zone of the region for
 * each restored volume and deletes it once the test ends
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html).
 * Created in `scope` with stable IDs.
 */
export function weeklyRestoreTest(scope: Construct, props: RestoreTestingProps): void {
  const role = new iam.Role(scope, 'RestoreTestingRole', {
    assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores')],
  });
  const planName = props.planName.replace(/-/g, '_').substring(0, 50);
  const plan = new backup.CfnRestoreTestingPlan(scope, 'RestoreTestingPlan', {
    restoreTestingPlanName: planName,
    scheduleExpression: 'cron(0 5 ? * SUN *)',
    startWindowHours: 8,
    recoveryPointSelection: {
      algorithm: 'LATEST_WITHIN_WINDOW',
      includeVaults: [props.vault.backupVaultArn],
      recoveryPointTypes: ['SNAPSHOT'],
      selectionWindowDays: 7,
    },
  });
  const selection = new backup.CfnRestoreTestingSelection(scope, 'RestoreTestingSelection', {
    restoreTestingPlanName: planName,
    restoreTestingSelectionName: 'ebs_volumes',
    protectedResourceType: 'EBS',
    protectedResourceArns: ['*'],
    ...(props.tag ? { protectedResourceConditions: { stringEquals: [{ key: `aws:ResourceTag/${props.tag.key}`, value: props.tag.value }] } } : {}),
    iamRoleArn: role.roleArn,
    validationWindowHours: 1,
  });
  selection.addResourceDependency(plan);
  acknowledgeNag(role, managedPolicyFindings(['service-role/AWSBackupServiceRolePolicyForRestores'], BACKUP_MANAGED_POLICY_REASON));
}
