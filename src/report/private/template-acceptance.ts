import { Stack } from 'aws-cdk-lib';
import { TEMPLATE_METADATA_KEY } from '../report-acceptance';

/** The recovery targets a platform's template records for the report's disaster-recovery rows. */
export interface RecordedRecovery {
  readonly role: 'primary' | 'standby';
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
  /** The recovery strategy ("backup-and-restore", "pilot-light", "warm-standby"): whether the recovery region's platform exists before the disaster. */
  readonly strategy?: string;
}

/** Sets one entry of the report's metadata in the stack's template (read back from what was synthesized). */
function recordInTemplate(stack: Stack, change: (own: any) => any): void {
  const metadata = stack.templateOptions.metadata ?? {};
  stack.templateOptions.metadata = { ...metadata, [TEMPLATE_METADATA_KEY]: change(metadata[TEMPLATE_METADATA_KEY] ?? {}) };
}

/**
 * Records in the stack's template that a construct's explicit acceptance
 * (e.g. acceptSingleNatGateway) accepts a report row, so the report shows it
 * as ACCEPTED with the reason, read from what was synthesized.
 */
export function acceptInTemplate(stack: Stack, rowId: string, reason: string): void {
  recordInTemplate(stack, (own) => ({ ...own, accept: { ...(own.accept ?? {}), [rowId]: reason } }));
}

/** Records the platform's RPO and RTO targets and its side of the recovery pair, which the disaster-recovery rows hold it to. */
export function recordRecoveryTargets(stack: Stack, recovery: RecordedRecovery): void {
  recordInTemplate(stack, (own) => ({ ...own, recovery }));
}
