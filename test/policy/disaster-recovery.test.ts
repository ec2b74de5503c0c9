import { MIN_RTO_MINUTES, RecoveryIntent, recoveryPlan, worstDataAgeMinutes } from '../../src/policy/disaster-recovery';

const props = { rpo: 'disasterRecovery.rpo', rto: 'disasterRecovery.rto', strategy: 'disasterRecovery.strategy', retention: 'disasterRecovery.retention' };
const plan = (intent: RecoveryIntent) => recoveryPlan(intent, props);

describe('recoveryPlan: RPO and RTO in, settings out', () => {
  test.each([
    // rpo, rto, strategy, interval, AWS Backup, Velero, continuous, standby
    [60, 10, 'warm-standby', 15, 'cron(0 * * * ? *)', '*/15 * * * *', true, 'reduced'],
    [90, 30, 'pilot-light', 30, 'cron(0 * * * ? *)', '*/30 * * * *', true, 'minimal'],
    [150, 240, 'backup-and-restore', 60, 'cron(0 */1 * * ? *)', '0 */1 * * *', true, 'none'],
    [510, 240, 'backup-and-restore', 240, 'cron(0 */4 * * ? *)', '0 */4 * * *', true, 'none'],
    [2910, 480, 'backup-and-restore', 1440, 'cron(0 3 * * ? *)', '0 3 * * *', false, 'none'],
  ] as const)('RPO %i min, RTO %i min, %s: every %i min (%s / %s), continuous %s, standby %s',
    (rpo, rto, strategy, interval, awsBackup, velero, continuous, standby) => {
      const p = plan({ rpoMinutes: rpo, rtoMinutes: rto, strategy });
      expect(p.backupIntervalMinutes.value).toBe(interval);
      expect(worstDataAgeMinutes(p.backupIntervalMinutes.value)).toBeLessThanOrEqual(rpo);
      expect(p.awsBackupSchedule).toBe(awsBackup);
      expect(p.veleroSchedule).toBe(velero);
      expect(p.continuousBackup.value).toBe(continuous);
      expect(p.standbyCapacity.value).toBe(standby);
    });

  test('the worst data age (two intervals, one missed, plus upload and replication) never exceeds the RPO, for every RPO from an hour to a week', () => {
    for (let rpo = 60; rpo <= 7 * 1440; rpo += 5) {
      expect(worstDataAgeMinutes(plan({ rpoMinutes: rpo, rtoMinutes: 600, strategy: 'backup-and-restore' }).backupIntervalMinutes.value)).toBeLessThanOrEqual(rpo);
    }
  });

  test('what is replicated follows the strategy', () => {
    expect(plan({ rpoMinutes: 60, rtoMinutes: 600, strategy: 'backup-and-restore' }).replicated.value).toEqual(['aws-backup-copies', 'velero-bucket', 'ecr-images']);
    expect(plan({ rpoMinutes: 60, rtoMinutes: 60, strategy: 'pilot-light' }).replicated.value).toContain('standby-platform');
  });

  test('Velero keeps backups as long as the retention, and replication is always time-controlled: the RPO needs its bound', () => {
    expect(plan({ rpoMinutes: 60, rtoMinutes: 600, strategy: 'backup-and-restore', retentionDays: 7 }).veleroTtl).toBe('168h0m0s');
    expect(plan({ rpoMinutes: 60, rtoMinutes: 60, strategy: 'pilot-light' }).replicationTimeControl.value).toBe(true);
    expect(plan({ rpoMinutes: 1440, rtoMinutes: 600, strategy: 'backup-and-restore' }).replicationTimeControl.value).toBe(true);
  });

  test('retention and cold storage (which needs 90 days in cold)', () => {
    expect(plan({ rpoMinutes: 60, rtoMinutes: 600, strategy: 'backup-and-restore' })).toMatchObject({ retentionDays: { value: 35 }, coldStorageAfterDays: undefined });
    expect(plan({ rpoMinutes: 60, rtoMinutes: 600, strategy: 'backup-and-restore', retentionDays: 365 }).coldStorageAfterDays).toBe(30);
  });

  test.each([
    [{ rpoMinutes: 45, rtoMinutes: 600, strategy: 'backup-and-restore' },
      /disasterRecovery\.rpo = "45 min" is invalid: must be at least 60 minutes: .*one run may be missed.*Fix: use Duration\.minutes\(60\) or more/],
    [{ rpoMinutes: 60, rtoMinutes: 15, strategy: 'backup-and-restore' },
      /disasterRecovery\.rto = "15 min" is invalid: cannot be met by backup-and-restore, which needs at least 120 minutes.*Fix: use disasterRecovery\.strategy "warm-standby", or allow 120 minutes/],
    [{ rpoMinutes: 60, rtoMinutes: 45, strategy: 'backup-and-restore' }, /Fix: use disasterRecovery\.strategy "pilot-light" or "warm-standby"/],
    [{ rpoMinutes: 60, rtoMinutes: 5, strategy: 'warm-standby' }, /disasterRecovery\.rto = "5 min" is invalid: .*Fix: allow at least 10 minutes \(warm standby\) or run active-active/],
    [{ rpoMinutes: 60, rtoMinutes: 600, strategy: 'backup-and-restore', retentionDays: 0 }, /disasterRecovery\.retention = 0 is invalid/],
  ] as const)('rejects %o and says what would work', (intent, message) => {
    expect(() => plan(intent as RecoveryIntent)).toThrow(message);
  });

  test('each strategy meets its own minimum RTO', () => {
    for (const [strategy, minimum] of Object.entries(MIN_RTO_MINUTES)) {
      expect(() => plan({ rpoMinutes: 60, rtoMinutes: minimum, strategy: strategy as any })).not.toThrow();
    }
  });
});
