import { COMPLIANCE_GRACE_DAYS, LOCKED_MIN_RETENTION_DAYS, vaultLockSettings } from '../../src/policy/vault-lock';

const props = { lock: 'disasterRecovery.vaultLock', retention: 'disasterRecovery.retention' };

describe('vault lock', () => {
  test('governance is a lock without a grace period, compliance one with the 3-day minimum; no maximum either way', () => {
    const jobs = [{ name: 'snapshots', deleteAfterDays: 35 }];
    expect(vaultLockSettings('governance', 'v', jobs, props)).toEqual({ minRetentionDays: LOCKED_MIN_RETENTION_DAYS, reason: expect.stringMatching(/^governance/) });
    expect(vaultLockSettings('compliance', 'v', jobs, props)).toEqual({
      minRetentionDays: LOCKED_MIN_RETENTION_DAYS, changeableForDays: COMPLIANCE_GRACE_DAYS, reason: expect.stringMatching(/^compliance/),
    });
    expect(vaultLockSettings('none', 'v', [{ name: 'snapshots', deleteAfterDays: 1 }], props)).toBeUndefined();
  });

  test('the minimum does not follow the retention: a compliance lock could then never let the retention fall', () => {
    expect(vaultLockSettings('compliance', 'v', [{ name: 'snapshots', deleteAfterDays: 3650 }], props)!.minRetentionDays).toBe(7);
  });

  test('every job must keep its recovery points at least the minimum (kept for ever counts), or AWS Backup fails it', () => {
    expect(vaultLockSettings('governance', 'v', [{ name: 'snapshots', deleteAfterDays: 7 }, { name: 'forever' }], props)).toBeDefined();
    expect(() => vaultLockSettings('compliance', 'shop-backups', [{ name: 'snapshots', deleteAfterDays: 35 }, { name: 'continuous', deleteAfterDays: 6 }], props))
      .toThrow(/disasterRecovery\.vaultLock = "compliance" is invalid: locks vault shop-backups with a minimum retention of 7 days, and its continuous job keeps recovery points 6 days/);
  });
});
