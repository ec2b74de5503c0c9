import { Aws, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNag, wildcardResourceFindings } from './nag';
import { KARPENTER_DISCOVERY_TAG } from '../../k8s/karpenter/ec2-node-class';
import { invalid, requireIntegerInRange } from '../../policy/errors';

/** Inputs of the drills. */
export interface DrillsProps {
  readonly clusterName: string;
  readonly availabilityZones: string[];
  readonly systemNodegroup: eks.Nodegroup;
  /** The NodePool whose nodes the node and spot drills take away. */
  readonly nodePoolName: string;
  readonly maxLoadBalancer5xxPerMinute: number;
  readonly stopConditionAlarmArns: string[];
  /** The cluster's VPC: the only one whose network ACLs the zone drill may swap. */
  readonly vpcId: string;
}

/** The tag FIS puts on the network ACLs it creates, and asks for when it changes or deletes them. */
const FIS_MANAGED_TAG = 'managedByFIS';

/** How long the zone stays cut off: past eviction (~1 min), rescheduling and Karpenter's replacement nodes. */
const ZONE_OUTAGE = 'PT10M';
const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/;

/**
 * AWS FIS experiment templates for the failures the platform claims to
 * survive, each stopped by a CloudWatch alarm when users start to notice:
 * - `<cluster>-zone-outage-<zone>`: the private subnets of one zone lose all
 *   network traffic for ten minutes (nodes go NotReady, pods move, the ALB
 *   stops routing there);
 * - `<cluster>-node-loss`: one Karpenter node is terminated;
 * - `<cluster>-spot-interruption`: one Karpenter spot node gets the two-minute
 *   interruption notice (skipped when none runs);
 * - `<cluster>-system-node-loss`: a third of the system node group is terminated.
 * The role may only touch the cluster's subnets, network ACLs of its VPC that
 * FIS created, its instances and node group, and only FIS experiments of the
 * account and region may take it.
 */
export class Drills extends Construct {
  /** The experiment templates, by drill name. */
  public readonly templates: { [name: string]: fis.CfnExperimentTemplate } = {};
  /** The alarm that stops every drill. */
  public readonly stopAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DrillsProps) {
    super(scope, id);
    const threshold = requireIntegerInRange('faultInjection.maxLoadBalancer5xxPerMinute', props.maxLoadBalancer5xxPerMinute, 1, 1_000_000,
      'a drill must stop before users see more errors than this');
    props.stopConditionAlarmArns.forEach((arn, i) => {
      if (!Token.isUnresolved(arn) && !ALARM_ARN.test(arn)) {
        invalid(`faultInjection.stopConditionAlarmArns[${i}]`, arn, 'must be a CloudWatch alarm ARN', 'use "arn:aws:cloudwatch:<region>:<account>:alarm:<name>"');
      }
    });
    this.stopAlarm = new cloudwatch.Alarm(this, 'StopAlarm', {
      alarmDescription: `Stops the ${props.clusterName} drills: the region's ALBs answer 5xx themselves (no healthy target) more than ${threshold} times a minute`,
      // A Metrics Insights query covers every ALB, including those the Load Balancer Controller creates later.
      metric: new cloudwatch.MathExpression({
        expression: 'SELECT SUM(HTTPCode_ELB_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)',
        period: Duration.minutes(1),
        label: 'ALB 5xx per minute',
      }),
      threshold,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const stopConditions = [this.stopAlarm.alarmArn, ...props.stopConditionAlarmArns].map((value) => ({ source: 'aws:cloudwatch:alarm', value }));

    // Only FIS experiments of this account and region may take the role (confused deputy).
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('fis.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:fis:${Aws.REGION}:${Aws.ACCOUNT_ID}:experiment/*` },
        },
      }),
    });
    const clusterTag = { 'aws:ResourceTag/eks:eks-cluster-name': props.clusterName };
    const ec2Arn = (resource: string) => `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const vpcArn = ec2Arn(`vpc/${props.vpcId}`);
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeInstances', 'tag:GetResources'],
      resources: ['*'],
    }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:GetManagedPrefixListEntries'], resources: [ec2Arn('prefix-list/*')] }));
    // The zone drill (aws:network:disrupt-connectivity) clones the subnets' network ACL, swaps the clone in and back, and
    // deletes it. The conditions are FIS's own for the action (its AWSFaultInjectionSimulatorNetworkAccess policy): the
    // role creates ACLs only tagged managedByFIS, tags nothing but an ACL it is creating, and changes or deletes only ACLs
    // so tagged; here also only in the cluster's VPC, and it swaps ACLs only on the cluster's subnets.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:CreateNetworkAcl'], resources: [vpcArn] }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkAcl'],
      resources: [ec2Arn('network-acl/*')],
      conditions: { StringEquals: { [`aws:RequestTag/${FIS_MANAGED_TAG}`]: 'true' } },
    }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateTags'],
      resources: [ec2Arn('network-acl/*')],
      conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl', [`aws:RequestTag/${FIS_MANAGED_TAG}`]: 'true' } },
    }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl'],
      resources: [ec2Arn('network-acl/*')],
      conditions: { StringEquals: { [`ec2:ResourceTag/${FIS_MANAGED_TAG}`]: 'true' }, ArnEquals: { 'ec2:Vpc': vpcArn } },
    }));
    // Swapping in the clone and back: the cluster's subnets (Karpenter's discovery tag, as the template targets them) and
    // any ACL of the cluster's VPC (the subnet's original ACL carries no FIS tag).
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2:ReplaceNetworkAclAssociation'],
      resources: [ec2Arn('subnet/*')],
      conditions: { StringEquals: { [`aws:ResourceTag/${KARPENTER_DISCOVERY_TAG}`]: props.clusterName } },
    }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2:ReplaceNetworkAclAssociation'],
      resources: [ec2Arn('network-acl/*')],
      conditions: { ArnEquals: { 'ec2:Vpc': vpcArn } },
    }));
    // Instances only of this cluster: Karpenter and EKS tag every node with the cluster's name.
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2:TerminateInstances', 'ec2:SendSpotInstanceInterruptions'],
      resources: [`arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:instance/*`],
      conditions: { StringEquals: clusterTag },
    }));
    // Managed node group instances carry their node group's name instead.
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2:TerminateInstances'],
      resources: [`arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:instance/*`],
      conditions: { StringEquals: { 'aws:ResourceTag/eks:cluster-name': props.clusterName, 'aws:ResourceTag/eks:nodegroup-name': props.systemNodegroup.nodegroupName } },
    }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['eks:DescribeNodegroup'], resources: [props.systemNodegroup.nodegroupArn] }));

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    // FIS delivers experiment logs as vended logs.
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogDelivery', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
      resources: ['*'],
    }));
    const template = (name: string, description: string, actions: any, targets: any, skipEmptyTargets = false) => {
      this.templates[name] = new fis.CfnExperimentTemplate(this, name, {
        description,
        roleArn: role.roleArn,
        stopConditions,
        actions,
        targets,
        experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: skipEmptyTargets ? 'skip' : 'fail' },
        logConfiguration: { logSchemaVersion: 2, cloudWatchLogsConfiguration: { LogGroupArn: logGroup.logGroupArn } },
        tags: { Name: `${props.clusterName}-${name}`, cluster: props.clusterName },
      });
    };

    for (const zone of props.availabilityZones) {
      template(`zone-outage-${zone}`, `${props.clusterName}: cut all traffic of the private subnets in ${zone} for 10 minutes`, {
        cutZone: {
          actionId: 'aws:network:disrupt-connectivity',
          parameters: { duration: ZONE_OUTAGE, scope: 'all' },
          targets: { Subnets: 'zoneSubnets' },
        },
      }, {
        zoneSubnets: {
          resourceType: 'aws:ec2:subnet',
          // The private subnets carry Karpenter's discovery tag: where every node and pod of the zone lives.
          resourceTags: { [KARPENTER_DISCOVERY_TAG]: props.clusterName },
          parameters: { availabilityZoneIdentifier: zone },
          selectionMode: 'ALL',
        },
      });
    }
    const karpenterNodes = (resourceType: string) => ({
      resourceType,
      resourceTags: { 'eks:eks-cluster-name': props.clusterName, 'karpenter.sh/nodepool': props.nodePoolName },
      filters: [{ path: 'State.Name', values: ['running'] }],
      selectionMode: 'COUNT(1)',
    });
    template('node-loss', `${props.clusterName}: terminate one node of the ${props.nodePoolName} NodePool`, {
      terminate: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'node' } },
    }, { node: karpenterNodes('aws:ec2:instance') });
    template('spot-interruption', `${props.clusterName}: send one ${props.nodePoolName} spot node the 2-minute interruption notice`, {
      interrupt: {
        actionId: 'aws:ec2:send-spot-instance-interruptions',
        parameters: { durationBeforeInterruption: 'PT2M' },
        targets: { SpotInstances: 'spotNode' },
      },
    }, { spotNode: karpenterNodes('aws:ec2:spot-instance') }, true);
    template('system-node-loss', `${props.clusterName}: terminate a third of the system node group`, {
      terminate: {
        actionId: 'aws:eks:terminate-nodegroup-instances',
        parameters: { instanceTerminationPercentage: '34' },
        targets: { Nodegroups: 'systemNodes' },
      },
    }, {
      systemNodes: { resourceType: 'aws:eks:nodegroup', resourceArns: [props.systemNodegroup.nodegroupArn], selectionMode: 'ALL' },
    });

    acknowledgeNag(role, [
      ...wildcardResourceFindings(['*'], 'EC2 Describe*, tag:GetResources and the vended-logs actions FIS needs support no resource-level permission.'),
      ...wildcardResourceFindings(['arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:prefix-list/*'],
        'FIS reads the entries of AWS managed prefix lists, whose IDs differ per region, to keep the zone drill\'s ACL from blocking AWS services it names.'),
      ...wildcardResourceFindings(['arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-acl/*'],
        'The network ACL FIS creates has no ID before it exists: it may be created only tagged managedByFIS, tagged only while being created, ' +
        'changed, deleted or associated only in the cluster\'s VPC, and changed or deleted only with that tag.'),
      ...wildcardResourceFindings(['arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:subnet/*'],
        'The zone drill swaps ACLs only on subnets tagged karpenter.sh/discovery with the cluster\'s name, the subnets its template targets.'),
      ...wildcardResourceFindings(['arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*'],
        'Instances are not known in advance; the eks:eks-cluster-name tag condition limits the role to this cluster\'s nodes.'),
    ]);
  }
}
