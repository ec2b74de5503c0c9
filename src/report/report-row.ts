/** The outcome of one claim of the resilience report. */
export enum RowStatus {
  /** The claim holds in what was synthesized. */
  PASS = 'PASS',
  /** The claim does not hold: the row says why and how to fix it. */
  FAIL = 'FAIL',
  /** The claim does not hold and its owner accepted the risk, with a reason. Never counted as a pass in the table. */
  ACCEPTED = 'ACCEPTED',
  /** The claim does not apply to this subject (e.g. ALB rows for a service that is not exposed). */
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

/** The requirement of the architecture a row proves (its "Architecture Validation" table). */
export enum Requirement {
  /** Multi-AZ spread, replicas, load balancing and autoscaling. */
  HIGH_AVAILABILITY = 'High availability',
  /** Health checks, automatic recovery, capacity that survives a zone. */
  FAULT_TOLERANCE = 'Fault tolerance',
  /** What the platform and its services cost, and what the guarantees add. */
  COST_OPTIMIZATION = 'Cost optimization',
  /** Backups, their scope and regional recovery (the architecture's backup strategy). */
  DISASTER_RECOVERY = 'Disaster recovery',
}

/** One claim about one subject, computed from the synthesized output. */
export interface ReportRow {
  /** The row's kind, stable across versions (e.g. "zone-loss"): what acceptances name. */
  readonly id: string;
  /** The requirement this row proves. */
  readonly requirement: Requirement;
  /** What is claimed, in one sentence. */
  readonly claim: string;
  /** What the claim is about: "<namespace>/<Kind>/<name>" for Kubernetes objects, "<stack>" or "<stack>/<logical ID>" for CloudFormation. */
  readonly subject: string;
  /** The outcome. */
  readonly status: RowStatus;
  /** The objects or logical IDs the outcome was read from. */
  readonly evidence: string;
  /** The numbers and how they combine into the outcome. */
  readonly arithmetic: string;
  /**
   * How to make the claim true.
   * @default - nothing to fix (the row passes or does not apply)
   */
  readonly fix?: string;
  /**
   * Why the risk was accepted, for an ACCEPTED row.
   * @default - not accepted
   */
  readonly acceptedReason?: string;
}
