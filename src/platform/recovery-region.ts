import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { VaultLockMode } from './disaster-recovery-options';
import { alarmRules } from '../policy/alerting';
import { PropValidationError, invalid, requireIntegerInRange } from '../policy/errors';
import { requireClusterName, requireRegion } from '../policy/names';
import { vaultLockSettings } from '../policy/vault-lock';
import { alarmTopic } from './private/alarm-topic';
import { pagingAlarm } from './private/alerting';
import { lockConfiguration } from './private/backups';
import { copyVaultName, requireRecoveryClusterName, secretsReplicaKeyAlias, veleroBucketName, veleroKeyAlias } from './private/recovery-names';
import { releaseLifecyclePolicy } from './private/release-lifecycle';
import { weeklyRestoreTest } from './private/restore-testing';
import { retainedKey } from './private/retained-key';
import { REPOSITORY_NAME } from './private/service-repositories';
import { acknowledgeVeleroBucketLogs, veleroBucketProps, veleroLifecycleRules } from './private/velero';

/** Properties of a {@link RecoveryRegion}. */
export interface RecoveryRegionProps {
  /** The cluster name of the platform whose backups and images are kept here. */
  readonly clusterName: string;
  /** The platform's primary region, whose Velero backups this region also serves when it is the standby. */
  readonly primaryRegion: string;
  /**
   * How long backups are kept: the platform's `disasterRecovery.retention`.
   * @default Duration.days(35)
   */
  readonly retention?: Duration;
  /**
   * The platform's `ecrRepositoryPrefix`: repositories replicated under it get the same settings as in the primary region.
   * @default - the cluster name
   */
  readonly ecrRepositoryPrefix?: string;
  /**
   * The platform's `ecrKeepReleases`.
   * @default 30
   */
  readonly ecrKeepReleases?: number;
  /**
   * How the copy vault is locked: the platform's `disasterRecovery.vaultLock`, so the copies are as
   * immutable as the backups they copy.
   * @default VaultLockMode.GOVERNANCE
   */
  readonly vaultLock?: VaultLockMode;
  /**
   * Who is paged when a restore test of the copies fails. Alarms need a topic in their own region,
   * so this region has its own (`alarmTopic`): the platform's topic is in the primary region, which
   * is the one that may be lost.
   * @default - no subscription: subscribe your pager (PagerDuty, Opsgenie, AWS Chatbot) to `alarmTopic`
   */
  readonly alarmEmailAddresses?: string[];
}

/**
 * What the secondary region must hold before a disaster, whatever the
 * strategy: the vault AWS Backup copies to (`<cluster>-backup-copies`, locked
 * like the primary's, its latest copies restored every week and a failed
 * restore paged through this region's own alarm topic), the
 * bucket the primary's Velero bucket replicates to (`<cluster>-velero-<region>-<account>`,
 * key alias `alias/<cluster>-velero`), and the settings ECR gives the
 * repositories it creates when it replicates the service images here, and
 * the key the replicas of the platform's secrets are encrypted with (alias
 * `alias/<cluster>-secrets`). Each
 * has its own customer-managed key and is retained. Deploy it in a stack of
 * the secondary region before the primary platform's first backup; a standby
 * platform in the same region uses it, it does not create it.
 */
export class RecoveryRegion extends Construct {
  /** The backup vault the primary's copies land in. */
  public readonly vault: backup.BackupVault;
  /** The replica of the primary's Velero bucket. */
  public readonly veleroBucket: s3.Bucket;
  /** Where this region's alarms (failed restore tests of the copies) are published. */
  public readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: RecoveryRegionProps) {
    super(scope, id);
    try {
      requireRecoveryClusterName('clusterName', requireClusterName('clusterName', props.clusterName));
      requireRegion('primaryRegion', props.primaryRegion, 'pass the region the platform runs in');
      const region = Stack.of(this).region;
      if (!Token.isUnresolved(region) && region === props.primaryRegion) {
        invalid('primaryRegion', props.primaryRegion, 'must differ from the region of the RecoveryRegion\'s stack: copies in the same region do not survive its loss',
          'deploy the RecoveryRegion in a stack of disasterRecovery.secondaryRegion');
      }
      const retentionDays = (props.retention ?? Duration.days(35)).toDays({ integral: false });
      requireIntegerInRange('retention (days)', retentionDays, 1, 36500, 'use the platform\'s disasterRecovery.retention');
      const name = copyVaultName(props.clusterName);
      // Every copy the primary's plan makes keeps the retention (Backups).
      const lock = vaultLockSettings(props.vaultLock ?? VaultLockMode.GOVERNANCE, name, [{ name: 'copy', deleteAfterDays: retentionDays }],
        { lock: 'vaultLock', retention: 'retention' });
      this.vault = new backup.BackupVault(this, 'Vault', {
        backupVaultName: name,
        encryptionKey: retainedKey(this, 'Key', `Encrypts the ${name} backup copies`),
        removalPolicy: RemovalPolicy.RETAIN,
        lockConfiguration: lockConfiguration(lock),
      });
      // The copies are what a regional recovery restores: they are tested here, where they would be restored.
      weeklyRestoreTest(this, { planName: `restore_test_${props.clusterName}_copies`, vault: this.vault });
      const alarms = new Construct(this, 'Alarms');
      this.alarmTopic = alarmTopic(alarms, {
        displayName: `${props.clusterName} recovery region alarms`,
        keyDescription: `Encrypts the ${props.clusterName} recovery region alarm topic`,
        emailAddresses: props.alarmEmailAddresses ?? [],
        emailProp: 'alarmEmailAddresses',
      }).topic;
      pagingAlarm(alarms, 'RestoreTestsFailed', {
        clusterName: props.clusterName,
        rule: alarmRules().backupJobsFailed,
        // Restore jobs belong to no vault: AWS Backup counts them by resource type, and the restore tests restore EBS volumes.
        metric: new cloudwatch.Metric({ namespace: 'AWS/Backup', metricName: 'NumberOfRestoreJobsFailed', dimensionsMap: { ResourceType: 'EBS' }, statistic: 'Sum' }),
        what: `Failed restore jobs of EBS volumes in this region (the weekly restore tests of the copies in ${name})`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        pages: 'at',
        topic: this.alarmTopic,
      });

      const veleroKey = retainedKey(this, 'VeleroKey', `Encrypts the replica of ${props.clusterName}'s Velero backups`);
      // The primary's replication and a standby's Velero find the key by this alias: no cross-region reference.
      new kms.Alias(this, 'VeleroKeyAlias', { aliasName: veleroKeyAlias(props.clusterName), targetKey: veleroKey, removalPolicy: RemovalPolicy.RETAIN });
      this.veleroBucket = new s3.Bucket(this, 'VeleroBucket', veleroBucketProps(veleroBucketName(props.clusterName, region), veleroKey,
        // The primary's backups arrive under its region's prefix; a standby writes its own under this region's.
        veleroLifecycleRules(retentionDays, [props.primaryRegion, region])));
      acknowledgeVeleroBucketLogs(this.veleroBucket);

      // The primary's secret replicator and the standby's External Secrets find it by alias, as the Velero key.
      const secretsKey = retainedKey(this, 'SecretsKey', `Encrypts the replicas of ${props.clusterName}'s Secrets Manager secrets`);
      new kms.Alias(this, 'SecretsKeyAlias', { aliasName: secretsReplicaKeyAlias(props.clusterName), targetKey: secretsKey, removalPolicy: RemovalPolicy.RETAIN });

      const prefix = props.ecrRepositoryPrefix ?? props.clusterName.toLowerCase();
      if (!REPOSITORY_NAME.test(prefix)) {
        invalid('ecrRepositoryPrefix', prefix, 'must be a valid ECR repository namespace', 'use the platform\'s ecrRepositoryPrefix');
      }
      const keepReleases = requireIntegerInRange('ecrKeepReleases', props.ecrKeepReleases ?? 30, 1, 1000, 'use the platform\'s ecrKeepReleases');
      new ecr.CfnRepositoryCreationTemplate(this, 'ImageReplicas', {
        prefix,
        appliedFor: ['REPLICATION'],
        description: `Replicas of the ${props.clusterName} service images`,
        imageTagMutability: 'IMMUTABLE',
        // AES256: a customer key would need a custom role for ECR to create the replicas with it.
        encryptionConfiguration: { encryptionType: 'AES256' },
        lifecyclePolicy: releaseLifecyclePolicy(keepReleases),
      });
    } catch (error) {
      if (error instanceof PropValidationError) throw new Error(`RecoveryRegion at '${this.node.path}': ${error.message}`);
      throw error;
    }
  }
}
