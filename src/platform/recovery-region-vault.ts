import { RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { invalid } from '../policy/errors';
import { copyVaultName } from './private/backups';

/** Properties of a {@link RecoveryRegionVault}. */
export interface RecoveryRegionVaultProps {
  /** The cluster name of the platform whose backups are copied here. */
  readonly clusterName: string;
}

/**
 * The backup vault in the secondary region that a platform's copy actions
 * target (`<clusterName>-backup-copies`, its own customer-managed key,
 * retained). Deploy it in a stack of the secondary region before the first
 * backup is copied.
 */
export class RecoveryRegionVault extends Construct {
  /** The vault. */
  public readonly vault: backup.BackupVault;

  constructor(scope: Construct, id: string, props: RecoveryRegionVaultProps) {
    super(scope, id);
    if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(props.clusterName)) {
      invalid('clusterName', props.clusterName, 'must be the platform\'s cluster name', 'pass the clusterName given to ResilientEksPlatform');
    }
    const name = copyVaultName(props.clusterName);
    const key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Encrypts the ${name} backup copies`, removalPolicy: RemovalPolicy.RETAIN });
    this.vault = new backup.BackupVault(this, 'Vault', { backupVaultName: name, encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN });
  }
}
