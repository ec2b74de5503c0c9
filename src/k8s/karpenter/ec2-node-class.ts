import { ApiObject, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid, requireIntegerInRange } from '../../policy/errors';
import { requireObjectName } from '../../policy/names';
import { KARPENTER_AMI_ALIAS } from '../../versions';

/** The tag Karpenter discovers subnets and security groups by. */
export const KARPENTER_DISCOVERY_TAG = 'karpenter.sh/discovery';

/** Properties of an {@link Ec2NodeClass}. */
export interface Ec2NodeClassProps {
  /**
   * The EC2NodeClass's name, referenced by NodePools.
   * @default "default"
   */
  readonly name?: string;
  /** Name of the IAM role Karpenter's nodes run with (it needs an EC2_LINUX access entry). */
  readonly nodeRoleName: string;
  /**
   * Value of the `karpenter.sh/discovery` tag that marks the subnets (and, unless
   * `securityGroupIds` is set, the security groups) nodes launch in; usually the cluster name.
   * @default - none; `subnetIds` and `securityGroupIds` must be set
   */
  readonly discoveryTagValue?: string;
  /**
   * The subnets nodes launch in, by ID (for subnets you cannot tag, e.g. a VPC you brought).
   * @default - subnets tagged with the discovery tag
   */
  readonly subnetIds?: string[];
  /**
   * The security groups of the nodes, by ID (e.g. the EKS cluster security group).
   * @default - security groups tagged with the discovery tag
   */
  readonly securityGroupIds?: string[];
  /**
   * AL2023 AMI alias (`al2023@vYYYYMMDD`), pinned so nodes only change AMI when you change this value
   * (and Karpenter rolls them as drift, within the disruption budgets).
   * @default - the alias pinned in this library's versions module
   */
  readonly amiAlias?: string;
  /**
   * Size of the encrypted gp3 root volume.
   * @default Size.gibibytes(50)
   */
  readonly rootVolumeSize?: Size;
  /**
   * KMS key (ID or ARN) for the root volume.
   * @default - the account's default EBS encryption key
   */
  readonly rootVolumeKmsKeyId?: string;
  /**
   * Extra tags on the instances, volumes and network interfaces Karpenter creates.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** Tags Karpenter owns on what it launches; the EC2NodeClass CRD rejects them (CEL). */
const RESTRICTED_TAGS = ['kubernetes.io/cluster/', 'karpenter.sh/nodepool', 'karpenter.sh/nodeclaim', 'karpenter.k8s.aws/ec2nodeclass', 'eks:eks-cluster-name'];

/** AL2023 only: the block device mapping below is AL2023's root device (/dev/xvda). */
const AMI_ALIAS = /^al2023@v\d{8}$/;

/**
 * A Karpenter `EC2NodeClass` (karpenter.k8s.aws/v1): how nodes are launched.
 * Pinned AMI alias (never `@latest`, which would roll every node whenever AWS
 * publishes an AMI), IMDSv2 only with a hop limit of 1 so pods cannot reach
 * the node's credentials, an encrypted gp3 root volume, and subnets and
 * security groups found by the cluster's discovery tag.
 */
export class Ec2NodeClass extends Construct {
  /** The name NodePools reference. */
  public readonly name: string;
  /** The underlying API object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: Ec2NodeClassProps) {
    super(scope, id);
    this.name = requireObjectName('name', props.name ?? 'default');
    const amiAlias = props.amiAlias ?? KARPENTER_AMI_ALIAS;
    if (!AMI_ALIAS.test(amiAlias)) {
      invalid('amiAlias', amiAlias, 'must be a pinned AL2023 alias such as "al2023@v20251117" (never "@latest": every AMI release would replace every node)',
        `use "${KARPENTER_AMI_ALIAS}" or another dated release`);
    }
    Object.keys(props.tags ?? {}).forEach((key) => {
      if (RESTRICTED_TAGS.some((restricted) => key === restricted || (restricted.endsWith('/') && key.startsWith(restricted)))) {
        invalid(`tags["${key}"]`, key, 'is a tag Karpenter sets itself; the EC2NodeClass CRD rejects it at apply', 'remove it or use a key of your own');
      }
    });
    const volumeGib = (props.rootVolumeSize ?? Size.gibibytes(50)).toGibibytes();
    requireIntegerInRange('rootVolumeSize', volumeGib, 20, 16384, 'gp3 root volumes need room for the OS and images and cannot exceed 16 TiB');
    const selector = (prop: string, ids: string[] | undefined): unknown[] => {
      if (ids && ids.length > 0) return ids.map((resourceId) => ({ id: resourceId }));
      if (props.discoveryTagValue === undefined) {
        invalid(prop, ids, 'must list at least one ID when no discoveryTagValue is given, or Karpenter finds nowhere to launch nodes',
          'pass discoveryTagValue (the cluster name) or the IDs');
      }
      return [{ tags: { [KARPENTER_DISCOVERY_TAG]: props.discoveryTagValue } }];
    };

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: this.name },
      spec: {
        role: props.nodeRoleName,
        amiSelectorTerms: [{ alias: amiAlias }],
        subnetSelectorTerms: selector('subnetIds', props.subnetIds),
        securityGroupSelectorTerms: selector('securityGroupIds', props.securityGroupIds),
        metadataOptions: {
          httpEndpoint: 'enabled',
          httpProtocolIPv6: 'disabled',
          httpPutResponseHopLimit: 1,
          httpTokens: 'required',
        },
        blockDeviceMappings: [{
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: `${volumeGib}Gi`,
            volumeType: 'gp3',
            encrypted: true,
            deleteOnTermination: true,
            ...(props.rootVolumeKmsKeyId ? { kmsKeyID: props.rootVolumeKmsKeyId } : {}),
          },
        }],
        ...(props.tags && Object.keys(props.tags).length > 0 ? { tags: { ...props.tags } } : {}),
      },
    });
  }
}
