import { Stack } from 'aws-cdk-lib';
import { TEMPLATE_METADATA_KEY } from '../report-acceptance';

/**
 * Records in the stack's template that a construct's explicit acceptance
 * (e.g. acceptSingleNatGateway) accepts a report row, so the report shows it
 * as ACCEPTED with the reason, read from what was synthesized.
 */
export function acceptInTemplate(stack: Stack, rowId: string, reason: string): void {
  const metadata = stack.templateOptions.metadata ?? {};
  const own = metadata[TEMPLATE_METADATA_KEY] ?? {};
  stack.templateOptions.metadata = { ...metadata, [TEMPLATE_METADATA_KEY]: { ...own, accept: { ...(own.accept ?? {}), [rowId]: reason } } };
}
