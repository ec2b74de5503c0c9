import { Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { CfnCluster } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { Backups } from './backups';
import { acknowledgeNag, managedPolicyFindings } from './nag';
import { invalid } from '../../policy/errors';

/**
 * The authentication modes under which AWS Backup can reach the Kubernetes
 * API: it creates its own access entry
 * (https://docs.aws.amazon.com/eks/latest/userguide/integration-backup.html, checked 2026-12-03).
 */
const ACCESS_ENTRY_MODES = ['API', 'API_AND_CONFIG_MAP'];

/**
 * The AWS managed policies of the role AWS Backup assumes for the cluster.
 * AWSBackupServiceRolePolicyForBackup (v29, 2026-02-12) holds the EKS reads,
 * eks:CreateAccessEntry and eks:AssociateAccessPolicy limited to the
 * AWSBackupFullAccessPolicyForBackup access policy at cluster scope, and the
 * EBS snapshot rights for the volumes; AWSBackupServiceRolePolicyForRestores
 * (v25, 2025-11-10) the same for restores with AWSBackupFullAccessPolicyForRestore.
 * Read from their policy documents (aws-managed-policy reference, mirrored by
 * zoph-io/MAMIP) on 2026-12-03.
 */
const MANAGED_POLICIES = ['service-role/AWSBackupServiceRolePolicyForBackup', 'service-role/AWSBackupServiceRolePolicyForRestores'];

/** Inputs of the EKS backup. */
export interface EksBackupProps {
  readonly cluster: eks.Cluster;
  readonly backups: Backups;
}

/**
 * AWS Backup for the EKS cluster itself (supported since November 2025:
 * https://aws.amazon.com/about-aws/whats-new/2025/11/aws-backup-supports-amazon-eks/,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/eks-backups.html):
 * each run of the platform's backup plan takes one composite recovery point
 * of the cluster state (the Kubernetes objects) and of the persistent volumes
 * its claims bind, and its restores never overwrite objects that exist
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-eks.html).
 * The cluster is selected by its ARN: a selection by tags alone follows the
 * region's service opt-in settings
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/working-with-supported-services.html). No
 * access entry is declared here: AWS Backup creates its own with the rights
 * its role's managed policy allows, which needs the cluster's API
 * authentication mode (checked at synth).
 *
 * Its recovery points follow the plan's rules: at best hourly with an hour's
 * start window, so it is a second line behind Velero for the RPO. The plan's
 * restore testing does not cover it: restore testing accepts no EKS resource
 * type (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingSelectionForCreate.html).
 */
export class EksBackup extends Construct {
  /** The selection that assigns the cluster to the backup plan; its role also runs restores. */
  public readonly selection: backup.BackupSelection;

  constructor(scope: Construct, id: string, props: EksBackupProps) {
    super(scope, id);
    const { cluster } = props;
    const accessConfig = Stack.of(this).resolve((cluster.node.defaultChild as CfnCluster).accessConfig);
    const mode = accessConfig?.authenticationMode ?? 'CONFIG_MAP';
    if (!ACCESS_ENTRY_MODES.includes(mode)) {
      invalid('cluster authenticationMode', mode, `must be ${ACCESS_ENTRY_MODES.join(' or ')}: AWS Backup reaches the Kubernetes API through an access entry it creates`,
        'keep the access entries aws-eks-v2 sets (authenticationMode API)');
    }
    this.selection = props.backups.plan.addSelection('Cluster', {
      resources: [backup.BackupResource.fromArn(cluster.clusterArn)],
      // The same role restores the cluster's recovery points (start-restore-job --iam-role-arn).
      allowRestores: true,
    });
    acknowledgeNag(this.selection, managedPolicyFindings(MANAGED_POLICIES,
      'AWS Backup\'s own service-role policies for backups and restores, which hold the EKS, EBS and access-entry statements an EKS composite ' +
      'backup needs (access policies limited to AWS Backup\'s own, at cluster scope) and which AWS keeps current as EKS backups change.'));
  }
}
