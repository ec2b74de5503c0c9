import { MISSED_RUNS, VELERO_UPLOAD_MINUTES } from '../../src/policy/disaster-recovery';
import { veleroSilenceRule } from '../../src/policy/velero-silence';

describe('the alarm on Velero writing no backup', () => {
  test.each([
    // interval, allowed gap, period, periods
    [15, 45, 5, 10],
    [60, 135, 5, 28],
    [360, 735, 5, 148],
    [720, 1455, 60, 25],
    [1440, 2895, 60, 49],
  ])('every %s minutes: %s minutes of quiet allowed, %s-minute periods x %s', (interval, gap, period, periods) => {
    expect(veleroSilenceRule(interval)).toMatchObject({ allowedGapMinutes: gap, periodMinutes: period, evaluationPeriods: periods });
  });

  test.each([15, 30, 60, 120, 180, 240, 360, 480, 720, 1440])('every %s minutes: never pages for a gap the RPO arithmetic allows, pages within two periods of one it does not, '
    + 'and stays within what CloudWatch evaluates', (interval) => {
    const rule = veleroSilenceRule(interval);
    const window = rule.periodMinutes * rule.evaluationPeriods;
    expect(rule.allowedGapMinutes).toBe((1 + MISSED_RUNS) * interval + VELERO_UPLOAD_MINUTES);
    expect(window).toBeGreaterThan(rule.allowedGapMinutes);
    expect(window).toBeLessThanOrEqual(rule.allowedGapMinutes + rule.periodMinutes);
    expect(window).toBeLessThanOrEqual(rule.periodMinutes < 60 ? 24 * 60 : 7 * 24 * 60);
  });
});
