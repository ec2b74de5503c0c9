/** A Markdown runbook generated from a synthesized platform, with its real resource names. */
export interface Runbook {
  /** Suggested file name, e.g. "failover.md". */
  readonly fileName: string;
  /** The runbook. */
  readonly markdown: string;
}
