import { Aws } from 'aws-cdk-lib';
import { invalid } from '../../policy/errors';

/**
 * The names the primary and the secondary region agree on without a
 * cross-region reference: each side derives them from the cluster name, so
 * the stacks can be deployed independently and synth needs no lookup.
 */

/** The primary region's backup vault. */
export function backupVaultName(clusterName: string): string {
  return `${clusterName}-backups`;
}

/** The vault AWS Backup copies to in the secondary region (another name, so a platform there can have its own vault). */
export function copyVaultName(clusterName: string): string {
  return `${clusterName}-backup-copies`;
}

/**
 * The Velero bucket of a region: the primary's own, and in the secondary
 * region the replica (RecoveryRegion) a standby also writes to. Bucket names
 * are global: the region and the account keep them unique, so a bucket left
 * in a lost region never blocks the other. `account` is the stack's account
 * unless a runbook or a cdk-nag finding needs it written its own way.
 */
export function veleroBucketName(clusterName: string, region: string, account: string = Aws.ACCOUNT_ID): string {
  return `${clusterName}-velero-${region}-${account}`;
}

/** The alias of the key encrypting a region's Velero bucket, by which the other region names it. */
export function veleroKeyAlias(clusterName: string): string {
  return `alias/${clusterName}-velero`;
}

/** The alias of the key the replicas of the platform's Secrets Manager secrets are encrypted with in the recovery region. */
export function secretsReplicaKeyAlias(clusterName: string): string {
  return `alias/${clusterName}-secrets`;
}

/**
 * The longest cluster name these names allow: the Region switch plans'
 * names take 32 characters, of which "-drill" takes 6 (the Velero bucket's
 * would allow 28: 63 characters, of which "-velero-", the longest region
 * name (14) and "-", and the 12-digit account take 35).
 */
export const MAX_RECOVERY_CLUSTER_NAME_LENGTH = 26;

/** Rejects cluster names too long for the names above, naming the prop. */
export function requireRecoveryClusterName(prop: string, clusterName: string): string {
  if (clusterName.length > MAX_RECOVERY_CLUSTER_NAME_LENGTH) {
    invalid(prop, clusterName, `must have at most ${MAX_RECOVERY_CLUSTER_NAME_LENGTH} characters with disaster recovery: the Region switch plans ` +
      `("${clusterName}-drill", at most 32 characters) and the Velero buckets ("${clusterName}-velero-<region>-<account>", at most 63) derive from it`, 'use a shorter clusterName');
  }
  return clusterName;
}
