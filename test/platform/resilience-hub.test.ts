import { Duration } from 'aws-cdk-lib';
import { SHOP_DISASTER_RECOVERY } from '../../examples/platform/platform-stack';
import { RecoveryStrategy } from '../../src';
import { onlyResource, synthPlatform } from '../helpers/platform';

const DR = { ...SHOP_DISASTER_RECOVERY, rpo: Duration.minutes(90), rto: Duration.minutes(45), strategy: RecoveryStrategy.PILOT_LIGHT };

describe('the primary\'s recovery targets in Resilience Hub', () => {
  const { template } = synthPlatform({ disasterRecovery: DR });
  const resources = template.toJSON().Resources;

  test('a policy with the disasterRecovery RPO, RTO and strategy as its multi-Region targets', () => {
    expect(onlyResource(template, 'AWS::ResilienceHubV2::Policy').Properties).toEqual({
      Name: 'shop-regional-recovery',
      Description: 'shop: the disasterRecovery targets of the platform (pilot-light from eu-west-1 to eu-central-1)',
      MultiRegion: { DisasterRecoveryApproach: 'PILOT_LIGHT', RpoInMinutes: 90, RtoInMinutes: 45 },
    });
  });

  test('a service over this stack in both regions, held to that policy, assessed through a role only Resilience Hub assumes', () => {
    const service = onlyResource(template, 'AWS::ResilienceHubV2::Service').Properties;
    const [policyId] = Object.keys(template.findResources('AWS::ResilienceHubV2::Policy'));
    expect(service).toMatchObject({
      Name: 'shop',
      PolicyArn: { 'Fn::GetAtt': [policyId, 'PolicyArn'] },
      Regions: ['eu-west-1', 'eu-central-1'],
      InputSources: [{ ResourceConfiguration: { CfnStackArn: { Ref: 'AWS::StackId' } } }],
    });
    const role = resources[service.PermissionModel.InvokerRoleName.Ref];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'resiliencehub.amazonaws.com' } },
    ]);
    expect(role.Properties.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSResilienceHubV2AssessmentExecutionPolicy']] },
    ]);
  });

  test.each([
    [RecoveryStrategy.BACKUP_AND_RESTORE, 'BACKUP_AND_RESTORE', 180],
    [RecoveryStrategy.WARM_STANDBY, 'WARM_STANDBY', 20],
  ])('%s is Resilience Hub\'s %s', (strategy, approach, rto) => {
    const { template: other } = synthPlatform({ disasterRecovery: { ...DR, strategy, rto: Duration.minutes(rto) } });
    expect(onlyResource(other, 'AWS::ResilienceHubV2::Policy').Properties.MultiRegion)
      .toEqual({ DisasterRecoveryApproach: approach, RpoInMinutes: 90, RtoInMinutes: rto });
  });
});

test('the standby adds none: the primary\'s service already covers both regions', () => {
  const { template } = synthPlatform({ disasterRecovery: DR, availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'] },
    { env: { region: 'eu-central-1' } });
  template.resourceCountIs('AWS::ResilienceHubV2::Policy', 0);
  template.resourceCountIs('AWS::ResilienceHubV2::Service', 0);
});

test('a primary where next-generation Resilience Hub is not offered gets none: the stack would not deploy', () => {
  const { template } = synthPlatform({
    disasterRecovery: { ...DR, primaryRegion: 'ap-south-2', secondaryRegion: 'ap-south-1' },
    availabilityZones: ['ap-south-2a', 'ap-south-2b', 'ap-south-2c'],
  }, { env: { region: 'ap-south-2' } });
  expect(Object.keys(template.findResources('AWS::ResilienceHubV2::Service'))).toEqual([]);
});
