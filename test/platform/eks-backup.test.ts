import { App, Duration, Stack } from 'aws-cdk-lib';
import { CfnCluster } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { RecoveryStrategy } from '../../src';
import { Backups } from '../../src/platform/private/backups';
import { EksBackup } from '../../src/platform/private/eks-backup';
import { recoveryPlan } from '../../src/policy/disaster-recovery';
import { onlyResource, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';

const DR = {
  rpo: Duration.minutes(60),
  rto: Duration.minutes(30),
  primaryRegion: 'eu-west-1',
  secondaryRegion: 'eu-central-1',
  strategy: RecoveryStrategy.PILOT_LIGHT,
};

describe('AWS Backup for the EKS cluster, in the primary region', () => {
  const { stack, template } = synthPlatform({ disasterRecovery: DR });
  const [clusterId, cluster] = Object.entries(template.findResources('AWS::EKS::Cluster'))[0] as [string, any];
  const selections = Object.values(template.findResources('AWS::Backup::BackupSelection')) as any[];
  const selection = selections.find((s) => s.Properties.BackupSelection.Resources)!;

  test('the cluster is selected by its ARN into the platform\'s one backup plan, next to the tagged volumes', () => {
    expect(selections).toHaveLength(2);
    expect(selection.Properties.BackupSelection.Resources).toEqual([{ 'Fn::GetAtt': [clusterId, 'Arn'] }]);
    const planId = onlyResource(template, 'AWS::Backup::BackupPlan') && Object.keys(template.findResources('AWS::Backup::BackupPlan'))[0];
    for (const s of selections) expect(s.Properties.BackupPlanId).toEqual({ 'Fn::GetAtt': [planId, 'BackupPlanId'] });
  });

  test('its role may back up and restore through AWS Backup\'s own service-role policies, and nothing more', () => {
    const roleId = selection.Properties.BackupSelection.IamRoleArn['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 'sts:AssumeRole', Principal: { Service: 'backup.amazonaws.com' } }),
    ]);
    expect(role.Properties.ManagedPolicyArns.map((arn: any) => arn['Fn::Join'][1][2])).toEqual([
      ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
    expect(Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId))).toEqual([]);
  });

  test('the cluster authenticates through access entries, so AWS Backup can create its own; the template declares none for it', () => {
    expect(cluster.Properties.AccessConfig.AuthenticationMode).toBe('API');
    const roleId = selection.Properties.BackupSelection.IamRoleArn['Fn::GetAtt'][0];
    const entries = Object.values(template.findResources('AWS::EKS::AccessEntry')) as any[];
    expect(entries.filter((e) => JSON.stringify(e.Properties.PrincipalArn).includes(roleId))).toEqual([]);
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

test('the standby backs up nothing with AWS Backup: its cluster serves only after a failover', () => {
  const { template } = synthPlatform({ disasterRecovery: DR }, { env: { region: 'eu-central-1' } });
  expect(Object.keys(template.findResources('AWS::Backup::BackupSelection'))).toEqual([]);
});

test('a cluster that authenticates through the aws-auth ConfigMap only is rejected: AWS Backup could not reach its objects', () => {
  const stack = new Stack(new App(), 'Stack', { env: { region: 'eu-west-1' } });
  const cluster = new eks.Cluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_36, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0 });
  (cluster.node.defaultChild as CfnCluster).accessConfig = { authenticationMode: 'CONFIG_MAP' };
  const plan = recoveryPlan({ rpoMinutes: 60, rtoMinutes: 30, strategy: 'pilot-light' }, { rpo: 'rpo', rto: 'rto', strategy: 'strategy', retention: 'retention' });
  const backups = new Backups(stack, 'Backups', { clusterName: 'shop', plan, secondaryRegion: 'eu-central-1', vaultLock: 'none' });
  expect(() => new EksBackup(stack, 'EksBackup', { cluster, backups }))
    .toThrow(/cluster authenticationMode.*CONFIG_MAP.*must be API or API_AND_CONFIG_MAP: AWS Backup reaches the Kubernetes API through an access entry it creates/s);
});
