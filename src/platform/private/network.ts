import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNag } from './nag';
import { KARPENTER_DISCOVERY_TAG } from '../../k8s/karpenter/ec2-node-class';
import { invalid } from '../../policy/errors';
import { requireCidr } from '../../policy/names';

/** Inputs of the platform network. */
export interface PlatformNetworkProps {
  readonly clusterName: string;
  readonly availabilityZones: string[];
  readonly cidr: string;
  readonly natGatewaysPerZone: boolean;
  readonly interfaceEndpoints: boolean;
  readonly flowLogRetention: logs.RetentionDays;
}

/**
 * The AWS APIs the platform's own components call, kept inside the VPC: pulls
 * from private ECR (images and layers from S3, through the gateway
 * endpoint), Pod Identity credentials (EKS Auth, STS), Karpenter's node
 * launches, AMI lookups and interruption queue (EC2, SSM, EKS, SQS), the Load
 * Balancer Controller (ELB) and logs. Images on public registries (Karpenter's
 * and the controllers' own, on public.ecr.aws) still go through NAT.
 */
const INTERFACE_ENDPOINTS: Array<[string, ec2.InterfaceVpcEndpointAwsService]> = [
  ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
  ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
  ['Sts', ec2.InterfaceVpcEndpointAwsService.STS],
  ['EksAuth', ec2.InterfaceVpcEndpointAwsService.EKS_AUTH],
  ['Eks', ec2.InterfaceVpcEndpointAwsService.EKS],
  ['Ec2', ec2.InterfaceVpcEndpointAwsService.EC2],
  ['Ssm', ec2.InterfaceVpcEndpointAwsService.SSM],
  ['Sqs', ec2.InterfaceVpcEndpointAwsService.SQS],
  ['ElasticLoadBalancing', ec2.InterfaceVpcEndpointAwsService.ELASTIC_LOAD_BALANCING],
  ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
];

/**
 * A VPC over the platform's zones: a public subnet per zone (ALBs, NAT) and
 * a large private subnet per zone (nodes and pods: the VPC CNI gives every
 * pod a VPC address), flow logs, the S3 gateway endpoint, optional interface
 * endpoints, and the subnet tags the Load Balancer Controller and Karpenter
 * discover subnets by.
 */
export class PlatformNetwork extends Construct {
  public readonly vpc: ec2.Vpc;
  /** The NAT gateways (the alarms watch each). */
  public readonly natGatewayIds: string[];

  constructor(scope: Construct, id: string, props: PlatformNetworkProps) {
    super(scope, id);
    requireCidr('vpcCidr', props.cidr);
    const prefix = Number(props.cidr.split('/')[1]);
    if (props.cidr.includes(':') || prefix < 16 || prefix > 19) {
      invalid('vpcCidr', props.cidr, 'must be an IPv4 block from /16 to /19: each zone needs a large private subnet for nodes and pods ' +
        'and a public subnet of at least /27 for ALBs and NAT', 'use "10.0.0.0/16"');
    }
    // Up to 3 zones a private subnet takes a quarter of the VPC, up to 6 an eighth; the rest leaves room for the public ones.
    const privateMask = prefix + (props.availabilityZones.length <= 3 ? 2 : 3);

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', { retention: props.flowLogRetention });
    const natGateways = ec2.NatProvider.gateway();
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      availabilityZones: props.availabilityZones,
      natGateways: props.natGatewaysPerZone ? props.availabilityZones.length : 1,
      natGatewayProvider: natGateways,
      // Private subnets get a quarter of the VPC each; public ones only need room for ALBs and NAT gateways.
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: prefix + 8 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: privateMask },
      ],
      restrictDefaultSecurityGroup: false,
      flowLogs: {
        all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup), trafficType: ec2.FlowLogTrafficType.ALL },
      },
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });

    this.natGatewayIds = natGateways.configuredGateways.map((gateway) => gateway.gatewayId);

    for (const subnet of this.vpc.publicSubnets) {
      Tags.of(subnet).add('kubernetes.io/role/elb', '1');
    }
    for (const subnet of this.vpc.privateSubnets) {
      Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
      Tags.of(subnet).add(KARPENTER_DISCOVERY_TAG, props.clusterName);
    }

    if (props.interfaceEndpoints) {
      for (const [name, service] of INTERFACE_ENDPOINTS) {
        const endpoint = this.vpc.addInterfaceEndpoint(name, {
          service, privateDnsEnabled: true, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        });
        acknowledgeNag(endpoint, [{
          id: 'AwsSolutions-EC23',
          reason: 'The endpoint security group admits HTTPS from the VPC CIDR only (Fn::GetAtt of the VPC\'s CidrBlock), which cdk-nag cannot resolve and so cannot check.',
        }]);
      }
    }
    acknowledgeNag(this, [{
      id: 'CloudFormation-Validate::W3010',
      reason: 'Availability Zone names are literal on purpose: the platform must span named zones without an AWS lookup at synth.',
    }]);
  }
}
