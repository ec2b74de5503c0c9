import { ReportRow, Requirement, RowStatus } from '../report-row';

/** One condition a row's claim depends on. */
export interface Check {
  readonly ok: boolean;
  /** What was found, with its numbers: becomes part of the row's arithmetic. */
  readonly found: string;
  /** How to make it hold, when it does not. */
  readonly fix?: string;
}

/** What identifies a row before its checks are known. */
export interface RowHeader {
  readonly id: string;
  readonly requirement: Requirement;
  readonly claim: string;
  readonly subject: string;
  readonly evidence: string;
}

/** A row that passes when every check holds; its arithmetic lists what each check found. */
export function rowOf(header: RowHeader, checks: Check[]): ReportRow {
  const failing = checks.filter((check) => !check.ok);
  return {
    ...header,
    status: failing.length === 0 ? RowStatus.PASS : RowStatus.FAIL,
    arithmetic: checks.map((check) => `${check.ok ? '✓' : '✗'} ${check.found}`).join('; '),
    fix: failing.length === 0 ? undefined : [...new Set(failing.map((check) => check.fix).filter((fix) => fix))].join('; '),
  };
}

/** A row that does not apply to its subject, with the reason. */
export function notApplicable(header: RowHeader, why: string): ReportRow {
  return { ...header, status: RowStatus.NOT_APPLICABLE, arithmetic: why };
}

/** A percentage for display. */
export function percent(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)}%` : '∞';
}
