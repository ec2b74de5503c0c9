import { Duration } from 'cdk8s';
import { wholeSeconds } from './durations';

/**
 * A Go duration string ("720h", "90m", "30s") as Karpenter's CRDs take it,
 * in the largest unit that keeps the value whole.
 */
export function goDuration(prop: string, duration: Duration): string {
  const seconds = wholeSeconds(prop, duration);
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
