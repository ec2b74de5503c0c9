/**
 * The annotation (on a Kubernetes object) that accepts a failing row for that
 * object: `resilience.resilient-eks.dev/accept.<row id>: <reason>`. Written
 * next to the object it concerns, so the acceptance is reviewed with it.
 */
export const ACCEPT_ANNOTATION_PREFIX = 'resilience.resilient-eks.dev/accept.';

/**
 * The CloudFormation template metadata key under which a stack accepts failing
 * rows: `Metadata: { "resilient-eks": { "accept": { "<row id>": "<reason>" } } }`.
 */
export const TEMPLATE_METADATA_KEY = 'resilient-eks';

/**
 * An explicit decision to run with a claim that does not hold. The row shows as
 * ACCEPTED with the reason, never as PASS.
 */
export interface ReportAcceptance {
  /** The row id, e.g. "zone-rebalance". */
  readonly rowId: string;
  /**
   * The subject it applies to, exactly as the report prints it (e.g. "shop/Deployment/frontend").
   * @default - every subject of that row
   */
  readonly subject?: string;
  /** Why the risk is acceptable: shown in the report. */
  readonly reason: string;
}
