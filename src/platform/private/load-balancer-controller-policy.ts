import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';
const statement = (props: iam.PolicyStatementProps) => new iam.PolicyStatement({ effect: iam.Effect.ALLOW, ...props });

/**
 * The AWS Load Balancer Controller's IAM policy, as published with the
 * controller (docs/install/iam_policy.json): reads are unscoped, writes to
 * load balancers, target groups and security groups are limited to resources
 * the controller tagged with `elbv2.k8s.aws/cluster`.
 */
export function loadBalancerControllerPolicy(): iam.PolicyDocument {
  const partition = Aws.PARTITION;
  const elb = `arn:${partition}:elasticloadbalancing:*:*`;
  const taggedByController = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } };
  const notRetagging = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true', [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } };
  const balancers = [`${elb}:targetgroup/*/*`, `${elb}:loadbalancer/net/*/*`, `${elb}:loadbalancer/app/*/*`];
  const document = new iam.PolicyDocument({
    statements: [
      statement({
        actions: ['iam:CreateServiceLinkedRole'],
        resources: ['*'],
        conditions: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
      }),
      statement({
        actions: [
          'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways',
          'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
          'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools',
          'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools', 'ec2:DescribeRouteTables',
          'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes',
          'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeListenerCertificates',
          'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth',
          'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores', 'elasticloadbalancing:DescribeListenerAttributes',
          'elasticloadbalancing:DescribeCapacityReservation',
        ],
        resources: ['*'],
      }),
      statement({
        actions: [
          'cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates',
          'iam:GetServerCertificate', 'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL',
          'waf-regional:DisassociateWebACL', 'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL',
          'wafv2:DisassociateWebACL', 'shield:GetSubscriptionState', 'shield:DescribeProtection', 'shield:CreateProtection',
          'shield:DeleteProtection',
        ],
        resources: ['*'],
      }),
      statement({ actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], resources: ['*'] }),
      statement({ actions: ['ec2:CreateSecurityGroup'], resources: ['*'] }),
      statement({
        actions: ['ec2:CreateTags'],
        resources: [`arn:${partition}:ec2:*:*:security-group/*`],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' } },
      }),
      statement({ actions: ['ec2:CreateTags', 'ec2:DeleteTags'], resources: [`arn:${partition}:ec2:*:*:security-group/*`], conditions: notRetagging }),
      statement({
        actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
        resources: ['*'],
        conditions: taggedByController,
      }),
      statement({
        actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
        resources: ['*'],
        conditions: { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' } },
      }),
      statement({
        actions: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule',
          'elasticloadbalancing:DeleteRule'],
        resources: ['*'],
      }),
      statement({ actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], resources: balancers, conditions: notRetagging }),
      statement({
        actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
        resources: [`${elb}:listener/net/*/*/*`, `${elb}:listener/app/*/*/*`, `${elb}:listener-rule/net/*/*/*`, `${elb}:listener-rule/app/*/*/*`],
      }),
      statement({
        actions: [
          'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
          'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
          'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup',
          'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools',
        ],
        resources: ['*'],
        conditions: taggedByController,
      }),
      statement({
        actions: ['elasticloadbalancing:AddTags'],
        resources: balancers,
        conditions: {
          StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] },
          Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' },
        },
      }),
      statement({ actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], resources: [`${elb}:targetgroup/*/*`] }),
      statement({
        actions: ['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates',
          'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'],
        resources: ['*'],
      }),
    ],
  });
  return document;
}
