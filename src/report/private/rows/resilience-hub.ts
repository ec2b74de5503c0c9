import { RESILIENCE_HUB_V2_REGIONS } from '../../../versions';
import { ReportRow, Requirement } from '../../report-row';
import { ClusterStack, referenced, resourcesOfType } from '../platform';
import { Check, notApplicable, rowOf } from '../row-builder';

/**
 * AWS Resilience Hub assesses the platform against the targets the report
 * holds it to: a Resilience Hub (next generation) service assesses this stack
 * through a role Resilience Hub may assume, against a policy
 * whose multi-Region RPO and RTO are the ones the platform recorded.
 */
export function resilienceHubRow(cluster: ClusterStack): ReportRow {
  const { stack } = cluster;
  const header = {
    id: 'dr-resilience-hub',
    requirement: Requirement.DISASTER_RECOVERY,
    claim: 'AWS Resilience Hub assesses the platform against the same regional RPO and RTO',
    subject: stack.name,
    evidence: `AWS::ResilienceHubV2 Service and Policy (${stack.templatePath})`,
  };
  const recovery = cluster.recovery;
  if (!recovery) return notApplicable(header, `${stack.name} records no recovery targets (no disasterRecovery)`);
  if (recovery.role === 'standby') return notApplicable(header, 'the primary\'s Resilience Hub service covers both regions');

  const service = resourcesOfType(stack, 'AWS::ResilienceHubV2::Service').find(([, s]) =>
    (s.Properties?.InputSources ?? []).some((source: any) => source?.ResourceConfiguration?.CfnStackArn?.Ref === 'AWS::StackId'));
  if (!service && stack.region !== undefined && !RESILIENCE_HUB_V2_REGIONS.includes(stack.region)) {
    return notApplicable(header, `next-generation Resilience Hub is not offered in ${stack.region} (${RESILIENCE_HUB_V2_REGIONS.length} regions as of 2026-12-03)`);
  }
  if (!service) {
    return rowOf(header, [{
      ok: false,
      found: 'no Resilience Hub service assesses this stack: AWS does not check the recovery targets',
      fix: 'add an AWS::ResilienceHubV2::Service with this stack as input source and a policy with the platform\'s targets',
    }]);
  }
  const [serviceId, { Properties: properties }] = service;
  const checks: Check[] = [];
  const regions: string[] = properties.Regions ?? [];
  checks.push({ ok: true, found: `Service ${serviceId} assesses this stack in ${regions.join(', ') || 'no region'}` });
  const role = referenced(stack, properties.PermissionModel?.InvokerRoleName);
  const assumable = (role?.[1].Properties?.AssumeRolePolicyDocument?.Statement ?? []).some((s: any) =>
    s.Effect === 'Allow' && [s.Action].flat().includes('sts:AssumeRole') && [s.Principal?.Service].flat().includes('resiliencehub.amazonaws.com'));
  checks.push({
    ok: assumable,
    found: assumable ? `through role ${role![0]}, which Resilience Hub may assume` : 'through no role of the stack that Resilience Hub may assume: no assessment can read the resources',
    fix: 'give the service an invoker role trusted by resiliencehub.amazonaws.com',
  });
  const policy = referenced(stack, properties.PolicyArn);
  const targets = policy?.[1].Type === 'AWS::ResilienceHubV2::Policy' ? policy[1].Properties?.MultiRegion : undefined;
  if (!targets) {
    checks.push({ ok: false, found: `Service ${serviceId} has no policy of the stack with multi-Region targets`, fix: 'associate a policy with the platform\'s multi-Region RPO and RTO' });
    return rowOf(header, checks);
  }
  for (const [name, value, recorded] of [['RPO', targets.RpoInMinutes, recovery.rpoMinutes], ['RTO', targets.RtoInMinutes, recovery.rtoMinutes]] as const) {
    checks.push({
      ok: Number(value) === recorded,
      found: `Policy ${policy![0]} multi-Region ${name} ${value ?? 'unset'} min vs the platform's ${recorded} min`,
      fix: `set the policy's multi-Region ${name} to ${recorded} minutes: Resilience Hub would judge the platform against another target`,
    });
  }
  return rowOf(header, checks);
}
