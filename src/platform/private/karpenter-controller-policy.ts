import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** What the Karpenter controller's permissions are scoped to. */
export interface KarpenterPolicyScope {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly nodeRoleArn: string;
  readonly interruptionQueueArn: string;
}

/**
 * The Karpenter v1 controller policy, statement for statement as in
 * Karpenter's own getting-started CloudFormation template (v1.14): every
 * write is scoped to resources tagged as owned by this cluster, every read to
 * this region. Split along the template's policies so that no managed policy
 * exceeds IAM's 6,144-character limit.
 */
export function karpenterControllerPolicies(scope: KarpenterPolicyScope): { [name: string]: iam.PolicyDocument } {
  const { clusterName } = scope;
  const ec2 = `arn:${Aws.PARTITION}:ec2:${Aws.REGION}`;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: 'owned' };
  const requestOwned = { [`aws:RequestTag/kubernetes.io/cluster/${clusterName}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': clusterName };
  const launched = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'].map((type) => `${ec2}:*:${type}/*`);
  const instanceProfiles = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:instance-profile/*`;
  const statement = (props: iam.PolicyStatementProps) => new iam.PolicyStatement({ effect: iam.Effect.ALLOW, ...props });

  return {
    NodeLifecycle: new iam.PolicyDocument({
      statements: [
        statement({
          sid: 'AllowScopedEC2InstanceAccessActions',
          actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
          resources: [`${ec2}::image/*`, `${ec2}::snapshot/*`, `${ec2}:*:security-group/*`, `${ec2}:*:subnet/*`,
            `${ec2}:*:capacity-reservation/*`, `${ec2}:*:placement-group/*`],
        }),
        statement({
          sid: 'AllowScopedEC2LaunchTemplateAccessActions',
          actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
          resources: [`${ec2}:*:launch-template/*`],
          conditions: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
        }),
        statement({
          sid: 'AllowScopedEC2InstanceActionsWithTags',
          actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
          resources: launched,
          conditions: { StringEquals: requestOwned, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
        }),
        statement({
          sid: 'AllowScopedResourceCreationTagging',
          actions: ['ec2:CreateTags'],
          resources: launched,
          conditions: {
            StringEquals: { ...requestOwned, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
            StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
          },
        }),
        statement({
          sid: 'AllowScopedResourceTagging',
          actions: ['ec2:CreateTags'],
          resources: [`${ec2}:*:instance/*`],
          conditions: {
            'StringEquals': owned,
            'StringLike': { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
            'StringEqualsIfExists': { 'aws:RequestTag/eks:eks-cluster-name': clusterName },
            'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
          },
        }),
        statement({
          sid: 'AllowScopedDeletion',
          actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
          resources: [`${ec2}:*:instance/*`, `${ec2}:*:launch-template/*`],
          conditions: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
        }),
      ],
    }),
    IamIntegration: new iam.PolicyDocument({
      statements: [
        statement({
          sid: 'AllowPassingInstanceRole',
          actions: ['iam:PassRole'],
          resources: [scope.nodeRoleArn],
          conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
        }),
        statement({
          sid: 'AllowScopedInstanceProfileCreationActions',
          actions: ['iam:CreateInstanceProfile'],
          resources: [instanceProfiles],
          conditions: {
            StringEquals: { ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': Aws.REGION },
            StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
          },
        }),
        statement({
          sid: 'AllowScopedInstanceProfileTagActions',
          actions: ['iam:TagInstanceProfile'],
          resources: [instanceProfiles],
          conditions: {
            StringEquals: {
              ...owned,
              'aws:ResourceTag/topology.kubernetes.io/region': Aws.REGION,
              ...requestOwned,
              'aws:RequestTag/topology.kubernetes.io/region': Aws.REGION,
            },
            StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
          },
        }),
        statement({
          sid: 'AllowScopedInstanceProfileActions',
          actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
          resources: [instanceProfiles],
          conditions: {
            StringEquals: { ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': Aws.REGION },
            StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
          },
        }),
        statement({ sid: 'AllowInstanceProfileReadActions', actions: ['iam:GetInstanceProfile'], resources: [instanceProfiles] }),
        // Not in Karpenter's template: in an account that never ran spot, the first spot launch must create
        // EC2 Spot's service-linked role, or every spot launch fails with ServiceLinkedRoleCreationNotPermitted.
        statement({
          sid: 'AllowSpotServiceLinkedRoleCreation',
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot`],
          conditions: { StringEquals: { 'iam:AWSServiceName': 'spot.amazonaws.com' } },
        }),
        statement({ sid: 'AllowUnscopedInstanceProfileListAction', actions: ['iam:ListInstanceProfiles'], resources: ['*'] }),
      ],
    }),
    EksIntegration: new iam.PolicyDocument({
      statements: [
        statement({ sid: 'AllowAPIServerEndpointDiscovery', actions: ['eks:DescribeCluster'], resources: [scope.clusterArn] }),
        statement({
          sid: 'AllowZonalShiftStatusReadOnly',
          actions: ['arc-zonal-shift:GetManagedResource'],
          resources: ['*'],
          conditions: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': scope.clusterArn } },
        }),
      ],
    }),
    Interruption: new iam.PolicyDocument({
      statements: [
        statement({
          sid: 'AllowInterruptionQueueActions',
          actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
          resources: [scope.interruptionQueueArn],
        }),
      ],
    }),
    ResourceDiscovery: new iam.PolicyDocument({
      statements: [
        statement({
          sid: 'AllowRegionalReadActions',
          actions: ['ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus',
            'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribePlacementGroups',
            'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
        }),
        statement({
          sid: 'AllowSSMReadActions',
          actions: ['ssm:GetParameter'],
          resources: [`arn:${Aws.PARTITION}:ssm:${Aws.REGION}::parameter/aws/service/*`],
        }),
        statement({ sid: 'AllowPricingReadActions', actions: ['pricing:GetProducts'], resources: ['*'] }),
      ],
    }),
  };
}
