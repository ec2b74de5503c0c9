import { Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import { Construct, IDependable } from 'constructs';
import { karpenterControllerPolicies } from './karpenter-controller-policy';
import { acknowledgeNag, managedPolicyFindings, wildcardResourceFindings } from './nag';
import { associatePodIdentity, podIdentityRole } from './pod-identity';
import { Ec2NodeClass } from '../../k8s/karpenter/ec2-node-class';
import { NodePool, NodePoolProps } from '../../k8s/karpenter/node-pool';
import { KARPENTER_CHART_REPOSITORY, KARPENTER_CHART_VERSION, KARPENTER_CRD_CHART_REPOSITORY } from '../../versions';

/** The events Karpenter acts on before EC2 takes a node away (Karpenter's own CloudFormation template). */
export const INTERRUPTION_EVENTS: Array<{ id: string; source: string; detailType: string }> = [
  { id: 'ScheduledChange', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'SpotInterruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'Rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'InstanceStateChange', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  { id: 'CapacityReservationInterruption', source: 'aws.ec2', detailType: 'EC2 Capacity Reservation Instance Interruption Warning' },
];

const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'karpenter';

/** Inputs of the Karpenter installation. */
export interface KarpenterProps {
  readonly cluster: eks.Cluster;
  readonly clusterName: string;
  /** What must exist before the controller starts (nodes for it, the Pod Identity agent). */
  readonly dependsOn: IDependable[];
  /** Builds the NodePools, given the EC2NodeClass name. */
  readonly nodePools: (nodeClassName: string) => Array<Omit<NodePoolProps, 'nodeClassName'>>;
  readonly subnetIds?: string[];
}

/**
 * Karpenter v1, complete: the node role (with its EC2_LINUX access entry),
 * the controller's tag-scoped permissions through Pod Identity, the
 * interruption queue and its five EventBridge rules, the pinned CRD and
 * controller charts (two replicas on the system nodes), and the default
 * EC2NodeClass and NodePools, built by the cdk8s constructs of src/k8s.
 */
export class Karpenter extends Construct {
  public readonly nodeRole: iam.Role;
  public readonly controllerRole: iam.Role;
  public readonly interruptionQueue: sqs.Queue;
  public readonly nodePoolManifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    const { cluster } = props;

    this.nodeRole = new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore']
        .map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    // Nodes authenticate to the cluster through an access entry of type EC2_LINUX (no aws-auth ConfigMap).
    const nodeAccess = new eks.AccessEntry(this, 'NodeAccessEntry', {
      cluster,
      principal: this.nodeRole.roleArn,
      accessPolicies: [],
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
    });

    this.interruptionQueue = new sqs.Queue(this, 'InterruptionQueue', {
      retentionPeriod: Duration.seconds(300),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledgeNag(this.interruptionQueue, [{
      id: 'AwsSolutions-SQS3',
      reason: 'Interruption events matter for two minutes at most (300 s retention); a dead-letter queue would only keep stale events.',
    }]);
    for (const event of INTERRUPTION_EVENTS) {
      new events.Rule(this, `${event.id}Rule`, {
        description: `Karpenter interruption handling for ${props.clusterName}: ${event.detailType}`,
        eventPattern: { source: [event.source], detailType: [event.detailType] },
        targets: [new targets.SqsQueue(this.interruptionQueue)],
      });
    }

    const podIdentity = { cluster, namespace: NAMESPACE, serviceAccount: SERVICE_ACCOUNT };
    this.controllerRole = podIdentityRole(this, 'ControllerRole', podIdentity);
    const policies = karpenterControllerPolicies({
      clusterName: props.clusterName,
      clusterArn: cluster.clusterArn,
      nodeRoleArn: this.nodeRole.roleArn,
      interruptionQueueArn: this.interruptionQueue.queueArn,
    });
    for (const [name, document] of Object.entries(policies)) {
      this.controllerRole.addManagedPolicy(new iam.ManagedPolicy(this, `${name}Policy`, { document }));
    }
    const association = associatePodIdentity(this, 'PodIdentity', podIdentity, this.controllerRole);

    // CRDs from their own chart: Helm installs a chart's crds/ once and never upgrades them.
    const crds = cluster.addHelmChart('KarpenterCrds', {
      chart: 'karpenter-crd',
      repository: KARPENTER_CRD_CHART_REPOSITORY,
      version: KARPENTER_CHART_VERSION,
      namespace: NAMESPACE,
      release: 'karpenter-crd',
    });
    const controller = cluster.addHelmChart('Karpenter', {
      chart: 'karpenter',
      repository: KARPENTER_CHART_REPOSITORY,
      version: KARPENTER_CHART_VERSION,
      namespace: NAMESPACE,
      release: 'karpenter',
      skipCrds: true,
      wait: true,
      values: {
        // Zonal shift: no new nodes in a zone the cluster is shifted away from (the policy's zonal-shift statement).
        settings: { clusterName: props.clusterName, interruptionQueue: this.interruptionQueue.queueName, enableZonalShift: true },
        // Two replicas on separate system nodes (the chart's anti-affinity) keep a leader through a node loss.
        replicas: 2,
        serviceAccount: { name: SERVICE_ACCOUNT },
        controller: {
          resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
          // Karpenter asks IMDS for its region when AWS_REGION is unset (pkg/operator/operator.go, v1.14.1); the system
          // nodes it runs on answer no pod (hop limit 1), so the region is given.
          env: [{ name: 'AWS_REGION', value: Stack.of(scope).region }],
        },
        podDisruptionBudget: { name: 'karpenter', maxUnavailable: 1 },
      },
    });
    controller.node.addDependency(crds, association, ...props.dependsOn);

    const nodeClasses = new cdk8s.Chart(new cdk8s.App(), 'KarpenterCapacity');
    const nodeClass = new Ec2NodeClass(nodeClasses, 'NodeClass', {
      nodeRoleName: this.nodeRole.roleName,
      discoveryTagValue: props.subnetIds ? undefined : props.clusterName,
      subnetIds: props.subnetIds,
      securityGroupIds: [cluster.clusterSecurityGroupId],
    });
    props.nodePools(nodeClass.name).forEach((pool, i) => new NodePool(nodeClasses, `NodePool${i}`, { ...pool, nodeClassName: nodeClass.name }));
    this.nodePoolManifest = cluster.addCdk8sChart('KarpenterCapacity', nodeClasses);
    // After the controller (and before it on delete): deleting NodePools needs a running Karpenter to drain and
    // terminate its nodes, or their network interfaces block deleting the subnets and the cluster.
    this.nodePoolManifest.node.addDependency(crds, controller, nodeAccess);

    acknowledgeNag(this, [
      ...managedPolicyFindings(['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore'],
        'Karpenter nodes need the AWS managed node policies that EKS documents for node roles; AWS keeps them current with EKS.'),
      ...wildcardResourceFindings([
        ...['image', 'snapshot'].map((type) => `arn:<AWS::Partition>:ec2:<AWS::Region>::${type}/*`),
        ...['security-group', 'subnet', 'capacity-reservation', 'placement-group', 'launch-template', 'fleet', 'instance', 'volume',
          'network-interface', 'spot-instances-request'].map((type) => `arn:<AWS::Partition>:ec2:<AWS::Region>:*:${type}/*`),
        'arn:<AWS::Partition>:iam::<AWS::AccountId>:instance-profile/*',
        'arn:<AWS::Partition>:ssm:<AWS::Region>::parameter/aws/service/*',
        '*',
      ], 'Karpenter\'s own v1 policy: it launches instances, launch templates and instance profiles whose IDs are unknown in advance. Writes ' +
        'require the cluster ownership tag; EC2 reads are limited to this region; pricing:GetProducts, iam:ListInstanceProfiles and the ' +
        'zonal-shift read (conditioned on this cluster) have no narrower resource; the spot service-linked role can only be created for EC2 Spot.'),
    ]);
  }
}
