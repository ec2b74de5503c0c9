import { ReportRow, Requirement } from '../../report-row';
import { SkippedInput } from '../inputs';
import { rowOf } from '../row-builder';

/**
 * One failing row per manifest input that may hold objects the clusters run
 * but that the report could not read (a kustomization or a Helm chart, which
 * only their tools render): what it renders is in no other row, so every
 * other row's claim holds only for what was read. Filed under high
 * availability, the table's first line, so the table shows the gap.
 */
export function inputCoverageRows(skipped: SkippedInput[]): ReportRow[] {
  return skipped.filter((input) => input.fix).map((input) => rowOf({
    id: 'input-coverage',
    requirement: Requirement.HIGH_AVAILABILITY,
    claim: 'Every manifest input is judged: no object the clusters run is missing from the report',
    subject: input.path,
    evidence: input.path,
  }, [{
    ok: false,
    found: `${input.path} not judged: ${input.reason}, so the Deployments, budgets and Services it renders are in no row`,
    fix: `${input.fix} instead (or accept input-coverage for ${input.path} if it renders nothing the clusters run)`,
  }]));
}
