import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RecoveryRegionVault, RecoveryStrategy } from '../../src';
import { onlyResource, parseJoined, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';

const DR = { rpo: Duration.hours(4), rto: Duration.hours(4), secondaryRegion: 'eu-central-1' };

describe('backups from RPO and RTO', () => {
  const { stack, template } = synthPlatform({ disasterRecovery: { ...DR, retention: Duration.days(180), vaultLock: true } });

  test('a vault encrypted with a rotating customer key, retained and locked', () => {
    expect(onlyResource(template, 'AWS::Backup::BackupVault')).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        BackupVaultName: 'shop-backups',
        EncryptionKeyArn: { 'Fn::GetAtt': [expect.stringMatching(/BackupsKey/), 'Arn'] },
        LockConfiguration: { MinRetentionDays: 7, ChangeableForDays: 3 },
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'Encrypts the shop-backups backup vault' });
  });

  test('the plan follows the RPO, moves to cold storage, and copies to the secondary region', () => {
    const rules = onlyResource(template, 'AWS::Backup::BackupPlan').Properties.BackupPlan.BackupPlanRule;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      RuleName: 'snapshots',
      ScheduleExpression: 'cron(0 */4 * * ? *)',
      Lifecycle: { DeleteAfterDays: 180, MoveToColdStorageAfterDays: 30 },
      CopyActions: [{
        DestinationBackupVaultArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:eu-central-1:', { Ref: 'AWS::AccountId' }, ':backup-vault:shop-backups']] },
        Lifecycle: { DeleteAfterDays: 180, MoveToColdStorageAfterDays: 30 },
      }],
    });
  });

  test('resources are selected by tag, and the StorageClass tags every EBS volume with it', () => {
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: { ListOfTags: [{ ConditionKey: 'resilient-eks.dev/backup', ConditionValue: 'shop', ConditionType: 'STRINGEQUALS' }] },
    });
    const storage = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
      .map((r: any) => parseJoined(r.Properties.Manifest)).find((m: any[]) => m[0].kind === 'StorageClass');
    expect(storage[0].parameters.tagSpecification_1).toBe('resilient-eks.dev/backup=shop');
  });

  test('restores are tested every week', () => {
    template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      ScheduleExpression: 'cron(0 5 ? * SUN *)',
      RecoveryPointSelection: { Algorithm: 'LATEST_WITHIN_WINDOW', RecoveryPointTypes: ['SNAPSHOT'], SelectionWindowDays: 7 },
    });
    template.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'EBS',
      ProtectedResourceConditions: { StringEquals: [{ Key: 'aws:ResourceTag/resilient-eks.dev/backup', Value: 'shop' }] },
    });
  });

  test('cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });

  test('an RPO under an hour adds continuous backup, kept at most 35 days', () => {
    const { template: short } = synthPlatform({
      disasterRecovery: { ...DR, rpo: Duration.minutes(30), rto: Duration.minutes(30), strategy: RecoveryStrategy.PILOT_LIGHT },
    });
    const rules = onlyResource(short, 'AWS::Backup::BackupPlan').Properties.BackupPlan.BackupPlanRule;
    expect(rules.map((r: any) => [r.RuleName, r.ScheduleExpression, r.EnableContinuousBackup, r.Lifecycle.DeleteAfterDays])).toEqual([
      ['snapshots', 'cron(0 * * * ? *)', undefined, 35],
      ['continuous', 'cron(0 * * * ? *)', true, 35],
    ]);
  });

  test('without disasterRecovery there are no backups and volumes are not tagged', () => {
    const { template: plain, platform } = synthPlatform();
    plain.resourceCountIs('AWS::Backup::BackupVault', 0);
    expect(platform.backupVault).toBeUndefined();
  });

  test.each([
    [{ ...DR, rto: Duration.minutes(30) }, /disasterRecovery\.rto = "30 min" is invalid: cannot be met by backup-and-restore.*Fix: use disasterRecovery\.strategy "pilot-light" or "warm-standby"/],
    [{ ...DR, rpo: Duration.minutes(5) }, /disasterRecovery\.rpo = "5 min" is invalid: must be at least 15 minutes/],
    [{ ...DR, secondaryRegion: 'eu-west-1' }, /disasterRecovery\.secondaryRegion = "eu-west-1" is invalid: must differ from the stack's region/],
    [{ ...DR, secondaryRegion: 'Frankfurt' }, /disasterRecovery\.secondaryRegion = "Frankfurt" is invalid: must be an AWS region/],
  ])('rejects %o', (disasterRecovery, message) => {
    expect(() => synthPlatform({ disasterRecovery })).toThrow(message);
  });
});

test('RecoveryRegionVault: the copy destination in the secondary region, same name, own key, retained', () => {
  const stack = new Stack(new App(), 'Recovery', { env: { region: 'eu-central-1' } });
  new RecoveryRegionVault(stack, 'Vault', { clusterName: 'shop' });
  const template = Template.fromStack(stack);
  expect(onlyResource(template, 'AWS::Backup::BackupVault')).toMatchObject({ DeletionPolicy: 'Retain', Properties: { BackupVaultName: 'shop-backups' } });
  expect(unacknowledgedNagFindings(stack)).toEqual([]);
  expect(() => new RecoveryRegionVault(stack, 'Bad', { clusterName: 'my shop' })).toThrow(/clusterName = "my shop" is invalid/);
});
