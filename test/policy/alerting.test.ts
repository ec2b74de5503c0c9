import { alarmRules } from '../../src/policy/alerting';

describe('alarm rules', () => {
  const rules = alarmRules();

  test('every window is longer than the platform takes to heal itself', () => {
    const minutes = (name: keyof typeof rules) => rules[name].periodMinutes * rules[name].evaluationPeriods;
    // A node joins within about two minutes; Karpenter finds capacity for a pending pod within one or two.
    expect(minutes('notReadyNodes')).toBeGreaterThanOrEqual(5);
    expect(minutes('pendingPods')).toBeGreaterThanOrEqual(10);
    // A spot reclaim gives two minutes of notice: the interruption age must page well within the queue's 300 s retention.
    expect(rules.interruptionQueueAgeSeconds.threshold).toBeLessThan(300);
    expect(rules.interruptionQueueAgeSeconds.threshold).toBeGreaterThanOrEqual(10);
  });

  test('every rule says why, and never asks for more datapoints than it evaluates', () => {
    for (const [name, rule] of Object.entries(rules)) {
      expect({ name, ok: rule.datapointsToAlarm <= rule.evaluationPeriods && rule.datapointsToAlarm >= 1 }).toEqual({ name, ok: true });
      expect(rule.reason.length).toBeGreaterThan(40);
      expect(rule.threshold).toBeGreaterThan(0);
    }
  });

  test('defaults', () => {
    expect(Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, rule.threshold]))).toEqual({
      notReadyNodes: 1,
      pendingPods: 1,
      crashLoopingContainers: 1,
      containerRestarts: 5,
      loadBalancer5xxPerMinute: 10,
      unhealthyTargets: 1,
      interruptionQueueAgeSeconds: 60,
      interruptionQueueDepth: 50,
      natPortAllocationErrors: 1,
      natPacketDropPercent: 0.01,
      backupJobsFailed: 1,
      veleroBackupsFailed: 1,
    });
  });

  test('a fractional percentage is accepted where the unit allows it, not for counts', () => {
    expect(alarmRules({ natPacketDropPercent: 0.05 }).natPacketDropPercent.threshold).toBe(0.05);
    expect(() => alarmRules({ unhealthyTargets: 2.5 })).toThrow('alerting.thresholds.unhealthyTargets = 2.5 is invalid: must be a whole number of targets');
    expect(() => alarmRules({ containerRestarts: Number.NaN })).toThrow('Fix: set it between 1 and 100000, or omit it for the default 5.');
  });
});
