import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IDependable } from 'constructs';
import { loadBalancerControllerPolicy } from './load-balancer-controller-policy';
import { acknowledgeNag, wildcardResourceFindings } from './nag';
import { associatePodIdentity, podIdentityRole } from './pod-identity';
import { SYSTEM_NODE_TOLERATIONS } from './system-nodes';
import { softZoneSpread } from '../../policy/spread';
import { EKS_CHARTS_REPOSITORY, LOAD_BALANCER_CONTROLLER_CHART_VERSION } from '../../versions';

const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'aws-load-balancer-controller';

/** Inputs of the Load Balancer Controller installation. */
export interface LoadBalancerControllerProps {
  readonly cluster: eks.Cluster;
  readonly clusterName: string;
  readonly vpc: ec2.IVpc;
  readonly region: string;
  readonly dependsOn: IDependable[];
}

/**
 * The AWS Load Balancer Controller, which turns HaMicroservice Ingresses into
 * ALBs with IP targets and health checks: pinned chart, Pod Identity, two
 * replicas on the system nodes spread over zones, a PDB, IP targets by
 * default, and no webhook taking over every Service of type LoadBalancer.
 */
export class LoadBalancerController extends Construct {
  public readonly role: iam.Role;
  public readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    const podIdentity = { cluster: props.cluster, namespace: NAMESPACE, serviceAccount: SERVICE_ACCOUNT };
    this.role = podIdentityRole(this, 'Role', podIdentity);
    this.role.addManagedPolicy(new iam.ManagedPolicy(this, 'Policy', { document: loadBalancerControllerPolicy() }));
    const association = associatePodIdentity(this, 'PodIdentity', podIdentity, this.role);

    this.chart = props.cluster.addHelmChart('LoadBalancerController', {
      chart: 'aws-load-balancer-controller',
      repository: EKS_CHARTS_REPOSITORY,
      version: LOAD_BALANCER_CONTROLLER_CHART_VERSION,
      namespace: NAMESPACE,
      release: 'aws-load-balancer-controller',
      wait: true,
      values: {
        clusterName: props.clusterName,
        // Explicit, so the controller never depends on reading them from IMDS (closed to pods on Karpenter nodes, hop limit 1).
        region: props.region,
        vpcId: props.vpc.vpcId,
        replicaCount: 2,
        serviceAccount: { create: true, name: SERVICE_ACCOUNT },
        podDisruptionBudget: { maxUnavailable: 1 },
        tolerations: SYSTEM_NODE_TOLERATIONS,
        topologySpreadConstraints: softZoneSpread({ 'app.kubernetes.io/name': 'aws-load-balancer-controller' }),
        defaultTargetType: 'ip',
        enableServiceMutatorWebhook: false,
      },
    });
    this.chart.node.addDependency(association, ...props.dependsOn);

    acknowledgeNag(this, wildcardResourceFindings([
      '*',
      'arn:<AWS::Partition>:ec2:*:*:security-group/*',
      'arn:<AWS::Partition>:elasticloadbalancing:*:*:targetgroup/*/*',
      ...['net', 'app'].flatMap((type) => [
        `arn:<AWS::Partition>:elasticloadbalancing:*:*:loadbalancer/${type}/*/*`,
        `arn:<AWS::Partition>:elasticloadbalancing:*:*:listener/${type}/*/*/*`,
        `arn:<AWS::Partition>:elasticloadbalancing:*:*:listener-rule/${type}/*/*/*`,
      ]),
    ], 'The Load Balancer Controller\'s published policy (docs/install/iam_policy.json): the load balancers, target groups, listeners and security ' +
      'groups it manages get their IDs at run time. Creating and deleting load balancers, target groups and security groups requires its ' +
      'elbv2.k8s.aws/cluster tag; security-group ingress, listener, rule, target registration, WAF and Shield actions are not tag-conditioned ' +
      'upstream, which this platform accepts for the controller that owns its ALBs.'));
  }
}
