import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { requireObjectName } from '../policy/names';

/** Properties of an {@link EncryptedStorageClass}. */
export interface EncryptedStorageClassProps {
  /**
   * The StorageClass's name.
   * @default "gp3-encrypted"
   */
  readonly name?: string;
  /**
   * Make it the cluster's default StorageClass.
   * @default true
   */
  readonly isDefault?: boolean;
  /**
   * KMS key (ARN) for the volumes.
   * @default - the account's default EBS key
   */
  readonly kmsKeyArn?: string;
  /**
   * Tags the EBS CSI driver puts on every volume it creates (e.g. the tag an AWS Backup selection uses).
   * @default - none
   */
  readonly volumeTags?: { [key: string]: string };
}

/**
 * A gp3 StorageClass of the EBS CSI driver whose volumes are always
 * encrypted, created in the zone of the pod that first uses them
 * (WaitForFirstConsumer, so a volume never pins a pod to a zone the spread
 * did not choose) and expandable in place.
 */
export class EncryptedStorageClass extends Construct {
  /** The StorageClass. */
  public readonly storageClass: k8s.KubeStorageClass;

  constructor(scope: Construct, id: string, props: EncryptedStorageClassProps = {}) {
    super(scope, id);
    this.storageClass = new k8s.KubeStorageClass(this, 'Resource', {
      metadata: {
        name: requireObjectName('name', props.name ?? 'gp3-encrypted'),
        annotations: { 'storageclass.kubernetes.io/is-default-class': String(props.isDefault ?? true) },
      },
      provisioner: 'ebs.csi.aws.com',
      parameters: {
        'type': 'gp3',
        'encrypted': 'true',
        'csi.storage.k8s.io/fstype': 'ext4',
        ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
        // The EBS CSI driver's tagSpecification_N parameters, "key=value" each.
        ...Object.fromEntries(Object.entries(props.volumeTags ?? {}).sort(([a], [b]) => a.localeCompare(b))
          .map(([key, value], i) => [`tagSpecification_${i + 1}`, `${key}=${value}`])),
      },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    });
  }
}
