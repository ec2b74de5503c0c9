import { Duration } from 'aws-cdk-lib';
import { RecoveryStrategy, VaultLockMode } from '../../src';
import { onlyResource, parseJoined, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';

// An RPO of 8.5 hours: backups every 4 hours (2 x 240 + 15 upload + 15 replication = 510 minutes).
const DR = { rpo: Duration.minutes(510), rto: Duration.hours(4), primaryRegion: 'eu-west-1', secondaryRegion: 'eu-central-1' };

describe('backups from RPO and RTO', () => {
  const { stack, template } = synthPlatform({ disasterRecovery: { ...DR, retention: Duration.days(180), vaultLock: VaultLockMode.COMPLIANCE } });

  test('a vault encrypted with a rotating customer key, retained and locked in compliance mode after the 3-day grace period', () => {
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
    expect(rules.map((r: any) => r.RuleName)).toEqual(['snapshots', 'continuous']);
    expect(rules[0]).toMatchObject({
      RuleName: 'snapshots',
      ScheduleExpression: 'cron(0 */4 * * ? *)',
      Lifecycle: { DeleteAfterDays: 180, MoveToColdStorageAfterDays: 30 },
      CopyActions: [{
        DestinationBackupVaultArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:eu-central-1:', { Ref: 'AWS::AccountId' }, ':backup-vault:shop-backup-copies']] },
        Lifecycle: { DeleteAfterDays: 180, MoveToColdStorageAfterDays: 30 },
      }],
    });
  });

  test('resources are selected by tag, which the EBS CSI driver puts on every volume it creates', () => {
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: { ListOfTags: [{ ConditionKey: 'resilient-eks.dev/backup', ConditionValue: 'shop', ConditionType: 'STRINGEQUALS' }] },
    });
    expect(JSON.parse(onlyResource(template, 'AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver' }).Properties.ConfigurationValues))
      .toEqual({ controller: { extraVolumeTags: { 'resilient-eks.dev/backup': 'shop' } } });
    // The StorageClass itself is unchanged: Kubernetes forbids changing its parameters once it exists.
    const storage = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
      .map((r: any) => parseJoined(r.Properties.Manifest)).find((m: any[]) => m[0].kind === 'StorageClass');
    expect(Object.keys(storage[0].parameters).sort()).toEqual(['csi.storage.k8s.io/fstype', 'encrypted', 'type']);
  });

  test('restores of the vault\'s latest snapshots are tested every week', () => {
    const plan = onlyResource(template, 'AWS::Backup::RestoreTestingPlan').Properties;
    expect(plan).toMatchObject({
      RestoreTestingPlanName: 'restore_test_shop',
      ScheduleExpression: 'cron(0 5 ? * SUN *)',
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        RecoveryPointTypes: ['SNAPSHOT'],
        SelectionWindowDays: 7,
        IncludeVaults: [{ 'Fn::GetAtt': [expect.stringMatching(/BackupsVault/), 'BackupVaultArn'] }],
      },
    });
    template.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      RestoreTestingPlanName: 'restore_test_shop',
      ProtectedResourceType: 'EBS',
      ProtectedResourceConditions: { StringEquals: [{ Key: 'aws:ResourceTag/resilient-eks.dev/backup', Value: 'shop' }] },
    });
  });

  test('by default the vault is locked in governance mode: no grace period, the lock stays removable by whoever may remove it', () => {
    const { template: governed } = synthPlatform({ disasterRecovery: DR });
    expect(onlyResource(governed, 'AWS::Backup::BackupVault').Properties.LockConfiguration).toEqual({ MinRetentionDays: 7 });
    const { template: unlocked } = synthPlatform({ disasterRecovery: { ...DR, vaultLock: VaultLockMode.NONE, retention: Duration.days(3) } });
    expect(onlyResource(unlocked, 'AWS::Backup::BackupVault').Properties.LockConfiguration).toBeUndefined();
  });

  test('a lock whose minimum retention exceeds the backups\' would fail every job: rejected', () => {
    expect(() => synthPlatform({ disasterRecovery: { ...DR, retention: Duration.days(3) } })).toThrow(
      /disasterRecovery\.vaultLock = "governance" is invalid: locks vault shop-backups with a minimum retention of 7 days, and its snapshots job keeps recovery points 3 days.*Fix: keep backups 7 days or more \(disasterRecovery\.retention\), or set disasterRecovery\.vaultLock to VaultLockMode\.NONE/);
  });

  test('cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });

  test('below a day of RPO, supporting resources are also backed up continuously, and copied', () => {
    const { template: fast } = synthPlatform({
      disasterRecovery: {
        ...DR, rpo: Duration.minutes(60), rto: Duration.minutes(30), strategy: RecoveryStrategy.PILOT_LIGHT, retention: Duration.days(60),
      },
    });
    const rules = onlyResource(fast, 'AWS::Backup::BackupPlan').Properties.BackupPlan.BackupPlanRule;
    expect(rules.map((r: any) => r.RuleName)).toEqual(['snapshots', 'continuous']);
    expect(rules[0]).toMatchObject({ ScheduleExpression: 'cron(0 * * * ? *)' });
    expect(rules[1]).toMatchObject({
      EnableContinuousBackup: true,
      // AWS Backup keeps point-in-time recovery at most 35 days; the copies keep the full retention.
      Lifecycle: { DeleteAfterDays: 35 },
      CopyActions: [{ Lifecycle: { DeleteAfterDays: 60 } }],
    });
    expect(rules[1].Lifecycle.MoveToColdStorageAfterDays).toBeUndefined();
    expect(rules[1].CopyActions[0].DestinationBackupVaultArn).toEqual(rules[0].CopyActions[0].DestinationBackupVaultArn);
  });

  test('cluster names stay short enough for vault and restore testing plan names', () => {
    const { template: long } = synthPlatform({ clusterName: 'twenty-six-characters-name', disasterRecovery: DR });
    expect(onlyResource(long, 'AWS::Backup::RestoreTestingPlan').Properties.RestoreTestingPlanName).toMatch(/^[A-Za-z0-9_]{1,50}$/);
    expect(() => synthPlatform({ clusterName: 'twenty-seven-characters-nam', disasterRecovery: DR }))
      .toThrow(/clusterName = "twenty-seven-characters-nam" is invalid: must have at most 26 characters with disaster recovery/);
  });

  test('without disasterRecovery there are no backups and volumes are not tagged', () => {
    const { template: plain, platform } = synthPlatform();
    plain.resourceCountIs('AWS::Backup::BackupVault', 0);
    expect(platform.backupVault).toBeUndefined();
  });

  test.each([
    [{ ...DR, rto: Duration.minutes(30) }, /disasterRecovery\.rto = "30 min" is invalid: cannot be met by backup-and-restore.*Fix: use disasterRecovery\.strategy "pilot-light" or "warm-standby"/],
    [{ ...DR, rpo: Duration.minutes(45) }, /disasterRecovery\.rpo = "45 min" is invalid: must be at least 60 minutes/],
    [{ ...DR, secondaryRegion: 'eu-west-1' }, /disasterRecovery\.secondaryRegion = "eu-west-1" is invalid: must differ from primaryRegion/],
    [{ ...DR, primaryRegion: 'us-west-2' },
      /disasterRecovery = "stack region eu-west-1" is invalid: needs the platform's stack in disasterRecovery\.primaryRegion \(us-west-2\) or secondaryRegion \(eu-central-1\).*Fix: set env: \{ region: 'us-west-2' \}/],
    [{ ...DR, secondaryRegion: 'Frankfurt' }, /disasterRecovery\.secondaryRegion = "Frankfurt" is invalid: must be an AWS region/],
  ])('rejects %o', (disasterRecovery, message) => {
    expect(() => synthPlatform({ disasterRecovery })).toThrow(message);
  });
});
