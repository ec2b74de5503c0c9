import { RESTORED_ACROSS_REGIONS_LABEL } from '../../../policy/disaster-recovery';
import { ReportRow, Requirement } from '../../report-row';
import { ClusterStack, helmRelease, installedNamespaces } from '../platform';
import { Check, notApplicable, rowOf } from '../row-builder';


/**
 * A restore in the other region cannot touch the objects each region owns:
 * every Schedule marked as restored across regions leaves out every namespace
 * the platform installs into (its add-ons carry this region's roles, keys and
 * zones) and backs up no cluster-scoped objects but those its namespaced ones
 * need (no NodeClass, NodePool or ClusterRole of this region).
 */
export function restoreScopeRow(cluster: ClusterStack): ReportRow {
  const header = {
    id: 'dr-restore-scope',
    requirement: Requirement.DISASTER_RECOVERY,
    claim: 'A failover or failback restore brings back the services\' state and cannot overwrite the platform objects each region owns',
    subject: cluster.stack.name,
    evidence: `velero Schedules (${cluster.stack.templatePath})`,
  };
  if (!helmRelease(cluster, 'velero')) return notApplicable(header, `${cluster.stack.name} installs no Velero`);
  const schedules = cluster.objects.map((o) => o.object).filter((o) => o.kind === 'Schedule' && o.apiVersion === 'velero.io/v1');
  const marked = schedules.filter((s) => s.metadata.labels?.[RESTORED_ACROSS_REGIONS_LABEL] === 'true');
  const installed = installedNamespaces(cluster);
  if (marked.length === 0) {
    return rowOf(header, [{
      ok: false,
      found: `none of the Schedules (${schedules.map((s) => s.metadata.name).join(', ') || 'none'}) is marked ${RESTORED_ACROSS_REGIONS_LABEL}: nothing says what failover restores`,
      fix: 'back up the services\' namespaces with a Schedule of their own, marked restored-across-regions (ResilientEksPlatform does)',
    }]);
  }
  const checks: Check[] = marked.flatMap((schedule): Check[] => {
    const template = schedule.spec?.template ?? {};
    const included: string[] = template.includedNamespaces ?? ['*'];
    const excluded: string[] = template.excludedNamespaces ?? [];
    const reached = installed.filter((ns) => (included.includes('*') || included.includes(ns)) && !excluded.includes(ns));
    return [
      {
        ok: reached.length === 0,
        found: `Schedule/${schedule.metadata.name} ${reached.length === 0 ? `leaves out all ${installed.length} namespaces the platform installs into`
          : `backs up the platform's ${reached.join(', ')}: a restore in the other region would bring this region's roles, keys and zones there`}`,
        fix: `exclude ${reached.join(', ')} from Schedule/${schedule.metadata.name}`,
      },
      {
        ok: template.includeClusterResources !== true,
        found: `Schedule/${schedule.metadata.name} includeClusterResources ${template.includeClusterResources ?? 'unset (only what its objects need, e.g. their volumes)'}`,
        fix: `remove includeClusterResources: true from Schedule/${schedule.metadata.name} (every NodeClass, NodePool and ClusterRole would travel with it)`,
      },
    ];
  });
  return rowOf(header, checks);
}
