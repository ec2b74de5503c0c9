import { ACCEPT_ANNOTATION_PREFIX } from '../../report-acceptance';
import { ReportRow, Requirement } from '../../report-row';
import { notApplicable, rowOf } from '../row-builder';
import { OtherWorkload, subjectOf } from '../workloads';

export const WORKLOAD_MODELLED = 'workload-modelled';

/**
 * Whether the report's per-service claims judge a workload: they model
 * Deployments, so any other serving workload fails here rather than passing
 * unseen; DaemonSets and batch workloads are outside the claims, and say why.
 */
export function workloadModelledRow(workload: OtherWorkload): ReportRow {
  const object = workload.sourced.object;
  const kind = object.kind === 'Deployment' ? `Deployment (${object.apiVersion})` : object.kind;
  const header = {
    id: WORKLOAD_MODELLED,
    requirement: Requirement.HIGH_AVAILABILITY,
    claim: 'The workload is judged for zone loss, node loss, rollouts and disruption',
    subject: subjectOf(object),
    evidence: `${object.kind}/${object.metadata.name} (${workload.sourced.source})`,
  };
  if (workload.outside) return notApplicable(header, workload.outside);
  return rowOf(header, [{
    ok: false,
    found: `the report models Deployments only: ${kind} ${object.metadata.name} is not judged for zone loss, node loss, rollouts or disruption`,
    fix: `run it as a Deployment, or accept this row with the reason (annotation ${ACCEPT_ANNOTATION_PREFIX}${WORKLOAD_MODELLED} on the ${object.kind})`,
  }]);
}
