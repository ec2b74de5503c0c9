import { reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';

describe('dr-immutable-copies: the recovery copies cannot be deleted early, are restore-tested, and Velero pages when it stops or fails', () => {
  const example = synthesizeExample();
  type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];
  const stack = (copy: Copy, name: string) => copy.stacks.find((s) => s.name === name)!;
  const resources = (copy: Copy, name: string, type: string): any[] =>
    Object.values<any>(stack(copy, name).template.Resources).filter((r) => r.Type === type);
  const copyVault = (copy: Copy) => resources(copy, 'ShopRecoveryRegion', 'AWS::Backup::BackupVault')[0];
  const veleroBucket = (copy: Copy) => resources(copy, 'ShopPlatform', 'AWS::S3::Bucket').find((b) => b.Properties.ReplicationConfiguration);
  const veleroAlarm = (copy: Copy) => resources(copy, 'ShopPlatform', 'AWS::CloudWatch::Alarm').find((a) => a.Properties.MetricName === 'PutRequests');
  const copies = (mutate?: (copy: Copy) => void) => row(reportOf(example, mutate), 'dr-immutable-copies', 'ShopPlatform');
  const remove = (copy: Copy, name: string, matches: (resource: any) => boolean) => {
    const all = stack(copy, name).template.Resources;
    for (const [id, resource] of Object.entries<any>(all)) if (matches(resource)) delete all[id];
  };

  test('holds on the example: both vaults locked and restore-tested, no delete marker replicated, Velero\'s writes watched', () => {
    const holds = copies();
    expect(holds.status).toBe(RowStatus.PASS);
    expect(holds.arithmetic).toContain('vault shop-backups (ShopPlatform) locked in governance mode, minimum retention 7 days');
    expect(holds.arithmetic).toContain('vault shop-backup-copies (ShopRecoveryRegion) locked in governance mode, minimum retention 7 days');
    expect(holds.arithmetic).toContain('2 job(s) into shop-backup-copies keep their recovery points within its lock (copies of rule snapshots from ShopPlatform: 35');
    expect(holds.arithmetic).toContain('shop-backups restored by restore testing plan restore_test_shop');
    expect(holds.arithmetic).toContain('shop-backup-copies restored by restore testing plan restore_test_shop_copies');
    expect(holds.arithmetic).toMatch(/failed restore jobs in ShopRecoveryRegion's region page \(RecoveryRegionAlarmsRestoreTestsFailed/);
    expect(holds.arithmetic).toMatch(/rule to-recovery-region replicates no delete marker/);
    expect(holds.arithmetic).toMatch(/pages when Schedule\/services's backups \(eu-west-1\/backups\/services-\) get no write for 50 min, vs 2 x 15 \(one run may be missed\) \+ 15 upload = 45 min allowed, 60 at most/);
    expect(holds.arithmetic).toMatch(/counts the Velero server's lines in namespace velero that match .+ \(6 of Velero's 6 failure lines, 0 of 4 ordinary ones\), and \S*VeleroBackupsFailed\S* pages on one/);
    expect(row(reportOf(example), 'dr-immutable-copies', 'ShopPlatformStandby').status).toBe(RowStatus.NOT_APPLICABLE);
  });

  test('an unlocked copy vault fails: its copies can be deleted before they expire', () => {
    const broken = copies((copy) => { delete copyVault(copy).Properties.LockConfiguration; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('vault shop-backup-copies (ShopRecoveryRegion) has no lock');
    expect(broken.fix).toContain('lock shop-backup-copies');
  });

  test('an unlocked primary vault fails too', () => {
    const broken = copies((copy) => { delete resources(copy, 'ShopPlatform', 'AWS::Backup::BackupVault')[0].Properties.LockConfiguration; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.fix).toContain('lock shop-backups');
  });

  test('a copy vault whose lock asks more than the copies keep fails: AWS Backup would fail every copy job', () => {
    const broken = copies((copy) => { copyVault(copy).Properties.LockConfiguration.MinRetentionDays = 60; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('copies of rule snapshots from ShopPlatform keeps recovery points 35 days');
    expect(broken.arithmetic).toContain('outside the lock of shop-backup-copies (60 days): AWS Backup fails those jobs');
  });

  test('a lock whose maximum is below what the copies keep fails as well', () => {
    const broken = copies((copy) => { copyVault(copy).Properties.LockConfiguration.MaxRetentionDays = 30; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('outside the lock of shop-backup-copies (7-30 days)');
  });

  test('a copy vault no restore test includes fails', () => {
    const broken = copies((copy) => {
      resources(copy, 'ShopRecoveryRegion', 'AWS::Backup::RestoreTestingPlan')[0].Properties.RecoveryPointSelection.IncludeVaults = ['arn:aws:backup:eu-central-1:111122223333:backup-vault:other'];
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('no restore testing plan of ShopRecoveryRegion includes shop-backup-copies');
    expect(broken.fix).toContain('test restores of shop-backup-copies');
  });

  test('a restore testing plan without a selection restores nothing and fails', () => {
    const broken = copies((copy) => remove(copy, 'ShopRecoveryRegion', (r) => r.Type === 'AWS::Backup::RestoreTestingSelection'));
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('restore testing plan restore_test_shop_copies includes shop-backup-copies but selects no resource');
  });

  test('a failed restore test of the copies that pages nobody fails', () => {
    const broken = copies((copy) => { resources(copy, 'ShopRecoveryRegion', 'AWS::CloudWatch::Alarm')[0].Properties.AlarmActions = []; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('a failed restore test of shop-backup-copies pages nobody');
  });

  test('without the recovery region\'s stack in the input the copies cannot be shown, and the row fails', () => {
    const broken = copies((copy) => { copy.stacks = copy.stacks.filter((s) => s.name !== 'ShopRecoveryRegion'); });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('copies to vault shop-backup-copies in eu-central-1, which no stack of the input holds');
    expect(broken.fix).toContain('synthesize the RecoveryRegion stack in the same app');
  });

  test('replicating delete markers fails: a delete in the primary would hide the copy', () => {
    const broken = copies((copy) => { veleroBucket(copy).Properties.ReplicationConfiguration.Rules[0].DeleteMarkerReplication.Status = 'Enabled'; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.fix).toContain('DeleteMarkerReplication Disabled');
  });

  test('a V1 replication rule (no Filter) fails: it replicates delete markers whatever it says', () => {
    const broken = copies((copy) => { delete veleroBucket(copy).Properties.ReplicationConfiguration.Rules[0].Filter; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('a V1 rule, without Filter, always does');
  });

  test('no alarm on Velero\'s writes fails: without Prometheus nothing pages when backups stop', () => {
    const broken = copies((copy) => remove(copy, 'ShopPlatform', (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'PutRequests'));
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('no alarm reads PutRequests of filter velero-services-backups');
  });

  test('a metrics filter on every backup (both schedules) fails: the platform schedule\'s writes would hide the services\' stopping', () => {
    const broken = copies((copy) => { veleroBucket(copy).Properties.MetricsConfigurations[0].Prefix = 'eu-west-1/backups/'; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('no request-metrics filter of the Velero bucket selects eu-west-1/backups/services-');
  });

  const failureFilter = (copy: Copy) => resources(copy, 'ShopPlatform', 'AWS::Logs::MetricFilter')[0];
  test.each<[string, (copy: Copy) => void, string]>([
    ['no filter on Velero\'s log (a failed backup still writes its files, so only the write alarm is left)',
      (copy) => remove(copy, 'ShopPlatform', (r) => r.Type === 'AWS::Logs::MetricFilter'), 'nothing pages when a Velero backup ends Failed or PartiallyFailed'],
    ['a regex that misses partial failures', (copy) => {
      const f = failureFilter(copy).Properties;
      f.FilterPattern = f.FilterPattern.replace(/%[^%]*%/, '%backup.failed|moving.to.Failed%');
    }, 'its regex misses Velero\'s "time=\\"2026-12-04T10:15:03Z\\" level=info msg=\\"Initial backup processing complete, moving to FinalizingPartiallyFailed'],
    ['a regex that matches a backup that completes', (copy) => {
      const f = failureFilter(copy).Properties;
      f.FilterPattern = f.FilterPattern.replace(/%([^%]*)%/, '%$1|moving.to.Finalizing%');
    }, 'which is no failed backup'],
    ['a filter on another container', (copy) => {
      const f = failureFilter(copy).Properties;
      f.FilterPattern = f.FilterPattern.replace('container_name = "velero"', 'container_name = "node-agent"');
    }, 'it selects container node-agent, not the Velero server\'s velero'],
    ['a filter on a group Fluent Bit does not write', (copy) => { failureFilter(copy).Properties.LogGroupName = '/aws/eks/shop/cluster'; },
      'it reads /aws/eks/shop/cluster, not /aws/containerinsights/shop/application'],
    ['no container logs shipped', (copy) => {
      const addon = resources(copy, 'ShopPlatform', 'AWS::EKS::Addon').find((a) => a.Properties.AddonName === 'amazon-cloudwatch-observability');
      const values = JSON.parse(addon.Properties.ConfigurationValues);
      addon.Properties.ConfigurationValues = JSON.stringify({ ...values, containerLogs: { enabled: false } });
    }, 'no amazon-cloudwatch-observability add-on with container logs ships the Velero server\'s lines there'],
    ['no alarm on its metric', (copy) => remove(copy, 'ShopPlatform', (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'VeleroBackupFailureLines'),
      'no alarm with an action fires on one ResilientEks/shop/VeleroBackupFailureLines (Sum)'],
  ])('failed Velero backups: %s fails', (_, mutate, expected) => {
    const broken = copies(mutate);
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain(expected);
  });

  test.each<[string, (alarm: any) => void, string]>([
    ['missing data not breaching (S3 sends no data point when nothing is written)', (a) => { a.TreatMissingData = 'notBreaching'; }, 'missing data is notBreaching'],
    ['a window no longer than a missed run and an upload (it would page for what the RPO allows)',
      (a) => { a.EvaluationPeriods = 9; a.DatapointsToAlarm = 9; }, 'its 45-minute window pages for a gap the RPO arithmetic allows'],
    ['a window longer than one more interval (a second run could be missed unseen)', (a) => { a.Period = 900; },
      'its 150-minute window lets another run be missed before it pages'],
    ['firing on writes rather than on their absence', (a) => { a.ComparisonOperator = 'GreaterThanOrEqualToThreshold'; },
      'it does not fire on no write (Sum GreaterThanOrEqualToThreshold 1)'],
    ['no alarm action (it pages nobody)', (a) => { a.AlarmActions = []; }, 'it has no alarm action'],
  ])('Velero\'s alarm with %s fails', (_, change, expected) => {
    const broken = copies((copy) => change(veleroAlarm(copy).Properties));
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain(expected);
    expect(broken.fix).toContain('fewer than 1 PutRequests (Sum) in every period, missing data breaching, over more than 45 and at most 60 minutes');
  });
});
