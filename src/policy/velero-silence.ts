import { MISSED_RUNS, VELERO_UPLOAD_MINUTES } from './disaster-recovery';

/**
 * When the alarm on Velero's writes pages: fewer than one write to the
 * services schedule's backups in every one of `evaluationPeriods` periods of
 * `periodMinutes`, a period without any data point counting as empty.
 */
export interface VeleroSilenceRule {
  /** The longest quiet the RPO arithmetic allows: a missed run, and the next one's upload. */
  readonly allowedGapMinutes: number;
  readonly periodMinutes: number;
  readonly evaluationPeriods: number;
  readonly reason: string;
}

/** CloudWatch evaluates alarms with a period under an hour over at most a day, longer ones over at most 7 days (PutMetricAlarm). */
const SHORT_PERIOD_WINDOW_MINUTES = 24 * 60;
const SHORT_PERIOD_MINUTES = 5;
const LONG_PERIOD_MINUTES = 60;

/**
 * The alarm that pages when the primary's Velero writes no backup of the
 * schedule the RPO rests on, from the numbers that RPO uses: a run may be
 * missed ({@link MISSED_RUNS}) and a backup may take {@link VELERO_UPLOAD_MINUTES}
 * to write, so two writes can be up to (1 + missed runs) intervals plus the
 * upload apart without anything being wrong. The window is the shortest
 * whole number of periods longer than that gap: no page for what the RPO
 * allows, a page within a period or two of the next missed run. Five-minute
 * periods keep it close to the gap; hour-long ones where five-minute periods
 * would need more than the day CloudWatch evaluates them over
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
 */
export function veleroSilenceRule(intervalMinutes: number, uploadMinutes: number = VELERO_UPLOAD_MINUTES): VeleroSilenceRule {
  const allowedGapMinutes = (1 + MISSED_RUNS) * intervalMinutes + uploadMinutes;
  const periodMinutes = allowedGapMinutes + SHORT_PERIOD_MINUTES <= SHORT_PERIOD_WINDOW_MINUTES ? SHORT_PERIOD_MINUTES : LONG_PERIOD_MINUTES;
  const evaluationPeriods = Math.floor(allowedGapMinutes / periodMinutes) + 1;
  return {
    allowedGapMinutes,
    periodMinutes,
    evaluationPeriods,
    reason: `backups run every ${intervalMinutes} minutes and one run may be missed, so ${1 + MISSED_RUNS} x ${intervalMinutes} + ${uploadMinutes} upload = ` +
      `${allowedGapMinutes} minutes without a write is still within the RPO arithmetic; ${evaluationPeriods * periodMinutes} minutes is not`,
  };
}
