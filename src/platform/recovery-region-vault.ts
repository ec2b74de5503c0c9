import { RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { Construct } from 'constructs';
import { requireClusterName } from '../policy/names';
import { copyVaultName } from './private/backups';
import { retainedKey } from './private/retained-key';

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
    requireClusterName('clusterName', props.clusterName);
    const name = copyVaultName(props.clusterName);
    const key = retainedKey(this, 'Key', `Encrypts the ${name} backup copies`);
    this.vault = new backup.BackupVault(this, 'Vault', { backupVaultName: name, encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN });
  }
}
