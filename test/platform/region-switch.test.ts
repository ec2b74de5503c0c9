import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DisasterRecoveryOptions, RecoveryStrategy, ResilientEksPlatform, ResilientEksPlatformProps } from '../../src';
import { regionSwitchTimeouts } from '../../src/policy/region-switch';
import { unacknowledgedNagFindings } from '../helpers/platform';

const ZONE = 'Z0123456789ABCDEFGHIJ';
const DR: DisasterRecoveryOptions = {
  rpo: Duration.hours(1),
  rto: Duration.hours(1),
  primaryRegion: 'eu-west-1',
  secondaryRegion: 'eu-central-1',
  strategy: RecoveryStrategy.PILOT_LIGHT,
  servicesNamespace: 'shop',
};

/**
 * A platform in the region given, with the failover records the DNS failover
 * of the platform writes in CloudFormation (one per public name, its region's
 * name as set identifier), added after the platform as a user's stack would.
 */
function synth(region: string, props: Partial<ResilientEksPlatformProps> = {}, records: string[] = ['www.shop.example.com', 'api.shop.example.com']) {
  const app = new App({ context: { 'aws:cdk:disable-asset-staging': true } });
  const stack = new Stack(app, 'Platform', { env: { region } });
  const disasterRecovery = {
    ...(props.disasterRecovery ?? DR),
    dnsFailover: records.length > 0 ? { hostedZoneId: ZONE, zoneName: 'shop.example.com', records: records.map((name) => ({ name })) } : undefined,
  };
  const platform = new ResilientEksPlatform(stack, 'Platform', { clusterName: 'shop', services: ['frontend', 'cart'], ...props, disasterRecovery });
  return { stack, platform, template: Template.fromStack(stack) };
}

const resources = (template: Template, type: string) => Object.entries<any>(template.findResources(type));
const planNamed = (template: Template, name: string) => resources(template, 'AWS::ARCRegionSwitch::Plan').find(([, p]) => p.Properties.Name === name)?.[1];
const workflow = (plan: any, region: string) => plan.Properties.Workflows.find((w: any) => w.WorkflowTargetRegion === region);

describe('the Region switch plan, in the standby\'s stack', () => {
  const { stack, template } = synth('eu-central-1');
  const plan = planNamed(template, 'shop-dr');
  const timeouts = regionSwitchTimeouts('pilot-light', 60, 'rto');

  test('active/passive over both regions, the RTO recorded, owned by the region that survives the primary', () => {
    expect(plan.Properties).toMatchObject({
      RecoveryApproach: 'activePassive',
      Regions: ['eu-west-1', 'eu-central-1'],
      PrimaryRegion: 'eu-west-1',
      RecoveryTimeObjectiveMinutes: 60,
      ExecutionRole: { 'Fn::GetAtt': [expect.stringMatching(/ExecutionRole/), 'Arn'] },
    });
  });

  test('failover: approval, then the services scaled to the primary\'s capacity, then every failover record in parallel', () => {
    const failover = workflow(plan, 'eu-central-1');
    expect(failover.WorkflowTargetAction).toBe('activate');
    expect(failover.Steps.map((s: any) => [s.Name, s.ExecutionBlockType])).toEqual([
      ['approve-failover', 'ManualApproval'], ['scale-failover', 'EKSResourceScaling'], ['dns-failover', 'Parallel'],
    ]);
    const [approval, scaling, dns] = failover.Steps.map((s: any) => s.ExecutionBlockConfiguration);
    expect(approval.ExecutionApprovalConfig).toEqual({
      ApprovalRole: { 'Fn::GetAtt': [expect.stringMatching(/ApprovalRole/), 'Arn'] }, TimeoutMinutes: timeouts.failoverApprovalMinutes!.value,
    });
    expect(scaling.EksResourceScalingConfig).toMatchObject({
      KubernetesResourceType: { ApiVersion: 'apps/v1', Kind: 'Deployment' },
      TargetPercent: 100,
      CapacityMonitoringApproach: 'sampledMaxInLast24Hours',
      TimeoutMinutes: timeouts.scalingMinutes!.value,
      ScalingResources: [
        { frontend: { 'eu-west-1': { Namespace: 'shop', Name: 'frontend', HpaName: 'frontend' }, 'eu-central-1': { Namespace: 'shop', Name: 'frontend', HpaName: 'frontend' } } },
        { cart: { 'eu-west-1': { Namespace: 'shop', Name: 'cart', HpaName: 'cart' }, 'eu-central-1': { Namespace: 'shop', Name: 'cart', HpaName: 'cart' } } },
      ],
    });
    expect(scaling.EksResourceScalingConfig.EksClusters).toHaveLength(2);
    expect(dns.ParallelConfig.Steps.map((s: any) => s.ExecutionBlockConfiguration.Route53HealthCheckConfig)).toEqual(['api.shop.example.com', 'www.shop.example.com'].map((name) => ({
      HostedZoneId: ZONE,
      RecordName: name,
      TimeoutMinutes: timeouts.dnsMinutes.value,
      RecordSets: [{ RecordSetIdentifier: 'eu-west-1', Region: 'eu-west-1' }, { RecordSetIdentifier: 'eu-central-1', Region: 'eu-central-1' }],
    })));
  });

  test('the step timeouts, with detection, fill the RTO: 3 + 45 + 10 + 2 = 60', () => {
    const failover = workflow(plan, 'eu-central-1');
    const minutes = (step: any): number => {
      const config: any = Object.values(step.ExecutionBlockConfiguration)[0];
      return step.ExecutionBlockType === 'Parallel' ? Math.max(...config.Steps.map(minutes)) : config.TimeoutMinutes;
    };
    expect(timeouts.detectionMinutes.value + failover.Steps.map(minutes).reduce((a: number, b: number) => a + b, 0)).toBe(60);
    const { detectionMinutes, failoverApprovalMinutes, scalingMinutes, dnsMinutes } = timeouts;
    expect([detectionMinutes.value, failoverApprovalMinutes!.value, scalingMinutes!.value, dnsMinutes.value]).toEqual([3, 45, 10, 2]);
  });

  test('failback activates the primary after its own approval', () => {
    const failback = workflow(plan, 'eu-west-1');
    expect(failback.Steps.map((s: any) => s.Name)).toEqual(['approve-failback', 'scale-failback', 'dns-failback']);
  });

  test('the drill\'s plan has the same approval and scaling, and no DNS step', () => {
    const drill = planNamed(template, 'shop-drill');
    expect(workflow(drill, 'eu-central-1').Steps.map((s: any) => s.ExecutionBlockType)).toEqual(['ManualApproval', 'EKSResourceScaling']);
    expect(drill.Properties.AssociatedAlarms).toEqual(plan.Properties.AssociatedAlarms);
  });

  test('the drills\' stop alarm is the plans\' application health', () => {
    expect(plan.Properties.AssociatedAlarms).toEqual({
      'alb-5xx': { AlarmType: 'applicationHealth', ResourceIdentifier: { 'Fn::GetAtt': [expect.stringMatching(/DrillsStopAlarm/), 'Arn'] } },
    });
  });

  test('the execution role: assumed by Region switch, named for the primary\'s access entry, scaling only the services\' namespace', () => {
    const [, role] = resources(template, 'AWS::IAM::Role').find(([id]) => id.includes('RegionSwitchExecutionRole'))!;
    expect(role.Properties).toMatchObject({
      RoleName: 'shop-region-switch',
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'arc-region-switch.amazonaws.com' } }] },
    });
    const entry = resources(template, 'AWS::EKS::AccessEntry').map(([, e]) => e)
      .find((e) => e.Properties.PrincipalArn?.['Fn::GetAtt']?.[0]?.includes('RegionSwitchExecutionRole'));
    expect(entry.Properties.AccessPolicies).toEqual([{
      PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonARCRegionSwitchScalingPolicy']] },
      AccessScope: { Type: 'namespace', Namespaces: ['shop'] },
    }]);
    const policy = resources(template, 'AWS::IAM::Policy').find(([id]) => id.includes('RegionSwitchExecutionRole'))![1];
    expect(policy.Properties.PolicyDocument.Statement.map((s: any) => s.Action)).toEqual([
      'eks:DescribeCluster', 'eks:ListAssociatedAccessPolicies', 'route53:ListResourceRecordSets', ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
    ]);
  });

  test('the approval role may approve and watch these plans only', () => {
    const policy = resources(template, 'AWS::IAM::Policy').find(([id]) => id.includes('RegionSwitchApprovalRole'))![1];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([expect.objectContaining({
      Action: ['arc-region-switch:ApprovePlanExecutionStep', 'arc-region-switch:GetPlanExecution', 'arc-region-switch:ListPlanExecutionEvents'],
      Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/RegionSwitchPlan/), 'Arn'] }, { 'Fn::GetAtt': [expect.stringMatching(/RegionSwitchDrillPlan/), 'Arn'] }],
    })]);
  });

  test('cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

describe('the primary\'s side', () => {
  const { template } = synth('eu-west-1');

  test('no plan, and an access entry for the standby\'s execution role by name', () => {
    expect(resources(template, 'AWS::ARCRegionSwitch::Plan')).toEqual([]);
    const entry = resources(template, 'AWS::EKS::AccessEntry').map(([, e]) => e)
      .find((e) => JSON.stringify(e.Properties.PrincipalArn).includes('role/shop-region-switch'));
    expect(entry.Properties.PrincipalArn).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/shop-region-switch']] });
    expect(entry.Properties.AccessPolicies[0].AccessScope).toEqual({ Type: 'namespace', Namespaces: ['shop'] });
  });
});

describe('by strategy', () => {
  test('warm standby fails over without an approval: its copy already serves', () => {
    const { template } = synth('eu-central-1', { disasterRecovery: { ...DR, strategy: RecoveryStrategy.WARM_STANDBY, rto: Duration.minutes(10) } }, ['www.shop.example.com']);
    expect(workflow(planNamed(template, 'shop-dr'), 'eu-central-1').Steps.map((s: any) => [s.Name, s.ExecutionBlockConfiguration])).toEqual([
      ['scale-failover', { EksResourceScalingConfig: expect.objectContaining({ TimeoutMinutes: 5 }) }],
      ['dns-failover-www-shop-example-com', { Route53HealthCheckConfig: expect.objectContaining({ RecordName: 'www.shop.example.com', TimeoutMinutes: 2 }) }],
    ]);
  });

  test('backup and restore: nothing to scale, the approval takes what deployment leaves: 120 - 3 - 60 - 2 = 55', () => {
    const { template } = synth('eu-central-1', { disasterRecovery: { ...DR, strategy: RecoveryStrategy.BACKUP_AND_RESTORE, rto: Duration.hours(2) } }, []);
    expect(workflow(planNamed(template, 'shop-dr'), 'eu-central-1').Steps).toEqual([
      expect.objectContaining({ Name: 'approve-failover', ExecutionBlockConfiguration: { ExecutionApprovalConfig: expect.objectContaining({ TimeoutMinutes: 55 }) } }),
    ]);
    expect(resources(template, 'AWS::EKS::AccessEntry').some(([, e]) => JSON.stringify(e).includes('RegionSwitch'))).toBe(false);
  });

  test('without servicesNamespace there is nothing the plan knows to scale', () => {
    const { template } = synth('eu-central-1', { disasterRecovery: { ...DR, servicesNamespace: undefined } }, []);
    expect(workflow(planNamed(template, 'shop-dr'), 'eu-central-1').Steps.map((s: any) => s.Name)).toEqual(['approve-failover']);
  });
});

describe('bad input', () => {
  test('a namespace that cannot be one', () => {
    expect(() => synth('eu-central-1', { disasterRecovery: { ...DR, servicesNamespace: 'Shop' } }))
      .toThrow(/disasterRecovery\.servicesNamespace = "Shop" is invalid: must be a namespace name/);
  });

  test('a cluster name the plans cannot carry', () => {
    expect(() => synth('eu-central-1', { clusterName: 'shop_eu' })).toThrow(/clusterName = "shop_eu" is invalid: names the Region switch plans/);
    expect(() => synth('eu-west-1', { clusterName: 'a'.repeat(27) })).toThrow(/at most 26 characters/);
  });

  test('an RTO that leaves no time to approve and restore', () => {
    expect(() => regionSwitchTimeouts('pilot-light', 20, 'disasterRecovery.rto'))
      .toThrow(/disasterRecovery\.rto = "20 min" is invalid: leaves 5 min for the failover's approval and volume restore .*Fix: allow at least 30 minutes/);
  });
});

describe('the runbooks name the DNS steps the plan has', () => {
  test('one step per record, in parallel when there are several', () => {
    const { platform, template } = synth('eu-central-1');
    const failover = platform.runbooks().find((r) => r.fileName === 'failover.md')!.markdown;
    expect(failover).toContain('`dns-failover` (api.shop.example.com, www.shop.example.com to the activated region, up to 2 min)');
    expect(workflow(planNamed(template, 'shop-dr'), 'eu-central-1').Steps.map((s: any) => s.Name)).toContain('dns-failover');
    expect(failover).toContain('list-route53-health-checks-in-region');
    const single = synth('eu-west-1', {}, ['www.shop.example.com']).platform.runbooks().find((r) => r.fileName === 'failback.md')!.markdown;
    expect(single).toContain('`dns-failback-www-shop-example-com`');
  });
});
