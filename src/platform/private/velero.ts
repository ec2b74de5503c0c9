import { Aws, CfnElement, Duration as CdkDuration, RemovalPolicy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cdk8s from 'cdk8s';
import { Construct, IDependable } from 'constructs';
import { acknowledgeNag, nagReference, wildcardResourceFindings } from './nag';
import { PLATFORM_NAMESPACES, SYSTEM_NAMESPACES } from './platform-namespaces';
import { associatePodIdentity, podIdentityRole } from './pod-identity';
import { veleroBucketName, veleroKeyAlias } from './recovery-names';
import { retainedKey } from './retained-key';
import { VELERO_NAMESPACE, VeleroSchedule } from '../../k8s/velero/velero-schedule';
import { RESTORED_ACROSS_REGIONS_LABEL, RecoveryPlan, VELERO_UPLOAD_MINUTES } from '../../policy/disaster-recovery';
import { VELERO_AWS_PLUGIN_IMAGE, VELERO_CHART_REPOSITORY, VELERO_CHART_VERSION } from '../../versions';

const SERVICE_ACCOUNT = 'velero';
/** Velero picks the VolumeSnapshotClass of a CSI driver by this label. */
const SNAPSHOT_CLASS_LABEL = 'velero.io/csi-volumesnapshot-class';
/** The schedule of the services' namespaces and volumes: the one a failover or failback restores. */
export const SERVICES_SCHEDULE = 'services';
/** The schedule of the platform's own namespaces and cluster objects: restored only in the region that wrote it. */
export const PLATFORM_SCHEDULE = 'platform';
/** The read-only location of the recovery region's own backups, in the primary: what a failback restores from. */
export const RECOVERY_LOCATION = 'recovery';
/** The read-only location of the primary's replicated backups, in the standby: what a failover restores from. */
export const PRIMARY_LOCATION = 'primary';
/** Deleted or overwritten backup objects stay recoverable this long. */
const NONCURRENT_DAYS = 7;
/** The S3 request-metrics filter of the services schedule's backups in the primary's bucket. */
const BACKUP_WRITES_FILTER = 'velero-services-backups';

/** The primary's writes of the backups the RPO rests on, as S3 request metrics count them. */
export interface VeleroBackupWrites {
  readonly bucketName: string;
  /** The bucket's metrics configuration (FilterId dimension) whose prefix is the schedule's backups. */
  readonly filterId: string;
  readonly scheduleName: string;
  readonly intervalMinutes: number;
}

/** Inputs of Velero. */
export interface VeleroProps {
  readonly cluster: eks.Cluster;
  readonly clusterName: string;
  readonly plan: RecoveryPlan;
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
  /** This platform is the standby in the secondary region: it reads the replica and keeps its schedule paused. */
  readonly standby: boolean;
  readonly dependsOn: IDependable[];
}

/**
 * The lifecycle both Velero buckets share. Backup metadata under
 * `<prefix>/backups/` expires a week after Velero's own TTL should have deleted
 * it: a backstop where Velero writes, and in the replica what removes the
 * primary's expired backups (its deletes are not replicated, and a standby
 * never deletes from its read-only location). Nothing under `kopia/` expires by age: the
 * data mover's repository shares blobs between backups, and only its
 * maintenance knows which are unused.
 */
export function veleroLifecycleRules(retentionDays: number, prefixes: string[]): s3.LifecycleRule[] {
  return [
    ...prefixes.map((prefix) => ({
      id: `expire-${prefix}-backups`,
      prefix: `${prefix}/backups/`,
      expiration: CdkDuration.days(retentionDays + NONCURRENT_DAYS),
    })),
    { id: 'noncurrent', noncurrentVersionExpiration: CdkDuration.days(NONCURRENT_DAYS), abortIncompleteMultipartUploadAfter: CdkDuration.days(1) },
  ];
}

/** The bucket settings both Velero buckets share: KMS, versioning, no public access, TLS only, retained. */
export function veleroBucketProps(bucketName: string, key: kms.IKey, lifecycleRules: s3.LifecycleRule[]): s3.BucketProps {
  return {
    bucketName,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules,
  };
}

/** cdk-nag's S1 (server access logs) on a Velero bucket, and why it stands. */
export function acknowledgeVeleroBucketLogs(bucket: s3.IBucket): void {
  acknowledgeNag(bucket, [{
    id: 'AwsSolutions-S1',
    reason: 'Only Velero\'s Pod Identity role and S3 replication write here, and CloudTrail records every API call on the bucket; ' +
      'a log bucket would need the same question answered for itself.',
  }]);
}

/**
 * Velero for Kubernetes resources and volume data. In the primary region: a
 * bucket (customer key, versioned, private, TLS only, lifecycle matching the
 * retention) replicated to the RecoveryRegion's bucket, a Pod Identity role
 * limited to it, the pinned chart with the AWS plugin, CSI snapshots whose
 * data the node agents move into the bucket (a snapshot alone would not
 * leave the region), and a schedule from the RPO. In a standby region: the
 * replica as a read-only location of the primary's backups, a location of its
 * own, and the schedule paused until the region serves.
 */
export class Velero extends Construct {
  public readonly role: iam.Role;
  /** Where this region's backups are written. */
  public readonly bucketName: string;
  public readonly chart: eks.HelmChart;
  /** The schedule of the services' namespaces and volumes, at the RPO. */
  public readonly servicesScheduleName: string;
  /** The schedule of the platform's own objects, for restores in this region only. */
  public readonly platformScheduleName: string;
  /** Where the primary writes the services schedule's backups, as S3 request metrics see them (none in a standby). */
  public readonly backupWrites?: VeleroBackupWrites;

  constructor(scope: Construct, id: string, props: VeleroProps) {
    super(scope, id);
    const { cluster, plan } = props;
    const region = props.standby ? props.secondaryRegion : props.primaryRegion;
    const podIdentity = { cluster, namespace: VELERO_NAMESPACE, serviceAccount: SERVICE_ACCOUNT };
    this.role = podIdentityRole(this, 'Role', podIdentity);
    const association = associatePodIdentity(this, 'PodIdentity', podIdentity, this.role);

    const replicaKeyArn = `arn:${Aws.PARTITION}:kms:${props.secondaryRegion}:${Aws.ACCOUNT_ID}:${veleroKeyAlias(props.clusterName)}`;
    const replicaBucket = s3.Bucket.fromBucketAttributes(this, 'ReplicaBucket', {
      bucketName: veleroBucketName(props.clusterName, props.secondaryRegion), region: props.secondaryRegion,
    });
    // IAM authorises KMS use by key ARN, never by alias ARN: the replica key is matched through its alias instead.
    const useReplicaKey = (grantee: iam.IGrantable, actions: string[]) => grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions,
      resources: [`arn:${Aws.PARTITION}:kms:${props.secondaryRegion}:${Aws.ACCOUNT_ID}:key/*`],
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': veleroKeyAlias(props.clusterName) } },
    }));

    // What the AWS plugin documents for a bucket, nothing more (no EC2: snapshots go through CSI).
    // `writes`: the prefix it may write under (its own location's), when the bucket also holds another region's backups.
    const allowBucket = (bucket: s3.IBucket, writes?: string) => {
      this.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
      const write = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
      if (writes === undefined) {
        this.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', ...write], resources: [bucket.arnForObjects('*')] }));
        return;
      }
      this.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));
      this.role.addToPolicy(new iam.PolicyStatement({ actions: write, resources: [bucket.arnForObjects(`${writes}/*`)] }));
    };
    // How cdk-nag prints the replica's names, and why a key is matched by alias.
    const replicaBucketNag = veleroBucketName(props.clusterName, props.secondaryRegion, '<AWS::AccountId>');
    const replicaKeyNag = `arn:<AWS::Partition>:kms:${props.secondaryRegion}:<AWS::AccountId>:key/*`;
    const replicaKeyReason = 'The recovery region\'s key is created there; only a key carrying its alias matches (kms:ResourceAliases condition).';
    const locations: object[] = [];
    if (props.standby) {
      this.bucketName = replicaBucket.bucketName;
      // The primary's replicated backups are the only copy out of its region: the standby reads them and writes only its own prefix.
      allowBucket(replicaBucket, props.secondaryRegion);
      useReplicaKey(this.role, ['kms:Decrypt', 'kms:GenerateDataKey']);
      acknowledgeNag(this.role, [
        ...wildcardResourceFindings([`arn:<AWS::Partition>:s3:::${replicaBucketNag}/*`], 'Velero names its objects per backup; it reads both regions\' prefixes of this bucket.'),
        ...wildcardResourceFindings([`arn:<AWS::Partition>:s3:::${replicaBucketNag}/${props.secondaryRegion}/*`],
          'Velero names its objects per backup; it writes only under this region\'s prefix.'),
        ...wildcardResourceFindings([replicaKeyNag], replicaKeyReason),
      ]);
      locations.push(
        location('default', replicaBucket.bucketName, props.secondaryRegion, props.secondaryRegion, veleroKeyAlias(props.clusterName), 'ReadWrite'),
        // The primary's backups, as replicated: restore from here when the primary region is lost.
        location(PRIMARY_LOCATION, replicaBucket.bucketName, props.primaryRegion, props.secondaryRegion, undefined, 'ReadOnly'),
      );
    } else {
      const key = retainedKey(this, 'Key', `Encrypts the Velero backups of ${props.clusterName}`);
      // Request metrics of the services schedule's backups only: Velero names each backup of a schedule <schedule>-<timestamp>.
      const writesPrefix = `${region}/backups/${SERVICES_SCHEDULE}-`;
      const bucket = new s3.Bucket(this, 'Bucket', {
        ...veleroBucketProps(veleroBucketName(props.clusterName, region), key, veleroLifecycleRules(plan.retentionDays.value, [region])),
        metrics: [{ id: BACKUP_WRITES_FILTER, prefix: writesPrefix }],
        replicationRules: [{
          id: 'to-recovery-region',
          destination: replicaBucket,
          kmsKey: kms.Key.fromKeyArn(this, 'ReplicaKey', replicaKeyArn),
          sseKmsEncryptedObjects: true,
          // Deletes stay in this region: whoever deletes here (Velero's garbage collection, the data mover's maintenance,
          // a stolen credential) leaves the recovery copy whole, and S3 never replicates the deletion of a version
          // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html). The replica's
          // lifecycle expires the primary's backups instead (veleroLifecycleRules); the data mover's blobs the primary frees
          // stay there, since only the repository's maintenance knows which are unused and a standby never runs it on a
          // read-only location (velero pkg/controller/backup_repository_controller.go), nor garbage-collects one
          // (pkg/controller/gc_controller.go). No S3 Object Lock on the replica: it would not break that garbage collection
          // (there is none there, and a delete without a version ID is allowed on locked objects), but a default retention
          // protects each version only for a fixed time after it is written, while the repository keeps a blob as long as
          // any backup shares it (the oldest blobs, which every restore needs, would be the first unprotected), and a bucket
          // cannot leave Object Lock once in it, for the standby's own backups too (same bucket).
          deleteMarkerReplication: false,
          ...(plan.replicationTimeControl.value
            ? { replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES, metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES } : {}),
        }],
      });
      const replicationRole = bucket.node.findChild('ReplicationRole') as iam.Role;
      useReplicaKey(replicationRole, ['kms:Encrypt']);
      allowBucket(bucket);
      this.role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }));
      this.bucketName = bucket.bucketName;
      this.backupWrites = {
        bucketName: bucket.bucketName,
        filterId: BACKUP_WRITES_FILTER,
        scheduleName: SERVICES_SCHEDULE,
        intervalMinutes: plan.backupIntervalMinutes.value,
      };
      acknowledgeVeleroBucketLogs(bucket);
      const objects = 'Velero names its objects per backup, and S3 replication copies every object: both act on the objects of one bucket.';
      acknowledgeNag(this, wildcardResourceFindings([`${nagReference(bucket.node.defaultChild as CfnElement, 'Arn')}/*`], objects));
      acknowledgeNag(replicationRole, [
        ...wildcardResourceFindings([`arn:<AWS::Partition>:s3:::${replicaBucketNag}/*`], objects),
        ...wildcardResourceFindings([replicaKeyNag], replicaKeyReason),
        ...['kms:ReEncrypt*', 'kms:GenerateDataKey*'].map((action) => ({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: 'aws-cdk-lib\'s grant for S3 to decrypt the source objects with the bucket\'s own key.',
        })),
      ]);
      // Failback reads what the recovery region wrote while it served: its prefix of the replica bucket, under its key.
      this.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [replicaBucket.bucketArn] }));
      this.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [replicaBucket.arnForObjects(`${props.secondaryRegion}/*`)] }));
      useReplicaKey(this.role, ['kms:Decrypt']);
      acknowledgeNag(this.role, [
        ...wildcardResourceFindings([`arn:<AWS::Partition>:s3:::${replicaBucketNag}/${props.secondaryRegion}/*`],
          'Failback reads the recovery region\'s backups, which Velero names per backup under that region\'s prefix; read only.'),
        ...wildcardResourceFindings([replicaKeyNag], replicaKeyReason),
      ]);
      locations.push(
        location('default', bucket.bucketName, region, region, key.keyArn, 'ReadWrite'),
        location(RECOVERY_LOCATION, replicaBucket.bucketName, props.secondaryRegion, props.secondaryRegion, undefined, 'ReadOnly'),
      );
    }

    this.chart = cluster.addHelmChart('Velero', {
      chart: 'velero',
      repository: VELERO_CHART_REPOSITORY,
      version: VELERO_CHART_VERSION,
      namespace: VELERO_NAMESPACE,
      release: 'velero',
      wait: true,
      values: {
        initContainers: [{
          name: 'velero-plugin-for-aws',
          image: VELERO_AWS_PLUGIN_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        }],
        // Credentials come from EKS Pod Identity through the AWS SDK's default chain: no secret anywhere.
        credentials: { useSecret: false },
        serviceAccount: { server: { create: true, name: SERVICE_ACCOUNT } },
        // Volumes are snapshotted through CSI (the EBS CSI driver), not by the plugin: the role needs no EC2 rights.
        snapshotsEnabled: false,
        // The node agents move snapshot data into the bucket, which replication carries to the recovery region.
        deployNodeAgent: true,
        // CRDs come with the chart on install; a CRD upgrade job would pull an extra kubectl image on every upgrade.
        upgradeCRDs: false,
        configuration: {
          features: 'EnableCSI',
          uploaderType: 'kopia',
          defaultSnapshotMoveData: true,
          backupStorageLocation: locations,
          volumeSnapshotLocation: [],
        },
      },
    });
    this.chart.node.addDependency(association, ...props.dependsOn);

    const objects = new cdk8s.Chart(new cdk8s.App(), 'VeleroObjects');
    new cdk8s.ApiObject(objects, 'SnapshotClass', {
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshotClass',
      metadata: { name: 'ebs-velero', labels: { [SNAPSHOT_CLASS_LABEL]: 'true' } },
      driver: 'ebs.csi.aws.com',
      // Velero keeps each snapshot's content while it needs it and deletes it with the backup (or once its data has moved).
      deletionPolicy: 'Delete',
    });
    const shared = {
      rpo: cdk8s.Duration.minutes(plan.backupIntervalMinutes.value),
      retention: cdk8s.Duration.days(plan.retentionDays.value),
      // The upload bound the RPO arithmetic counts on (recoveryPlan): a slower backup fails and pages instead of ageing the data.
      uploadTimeout: cdk8s.Duration.minutes(VELERO_UPLOAD_MINUTES),
      // A standby copies nothing until it serves: the failover runbook unpauses its schedules.
      paused: props.standby,
    };
    // No includeClusterResources: only the cluster objects the services' objects need (their claims' volumes),
    // never a NodeClass, NodePool or role of this region.
    const services = new VeleroSchedule(objects, 'Schedule', { ...shared, name: SERVICES_SCHEDULE, excludedNamespaces: PLATFORM_NAMESPACES });
    const platform = new VeleroSchedule(objects, 'PlatformSchedule', {
      ...shared,
      name: PLATFORM_SCHEDULE,
      includedNamespaces: PLATFORM_NAMESPACES.filter((ns) => !SYSTEM_NAMESPACES.includes(ns) && ns !== VELERO_NAMESPACE),
      includeClusterResources: true,
    });
    services.apiObject.metadata.addLabel(RESTORED_ACROSS_REGIONS_LABEL, 'true');
    this.servicesScheduleName = services.name;
    this.platformScheduleName = platform.name;
    cluster.addCdk8sChart('VeleroObjects', objects).node.addDependency(this.chart);
  }
}

function location(name: string, bucket: string, prefix: string, region: string, kmsKeyId: string | undefined, accessMode: 'ReadWrite' | 'ReadOnly'): object {
  return {
    name,
    provider: 'aws',
    bucket,
    prefix,
    default: name === 'default',
    accessMode,
    config: { region, ...(kmsKeyId ? { kmsKeyId } : {}) },
  };
}
