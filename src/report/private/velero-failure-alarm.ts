import { joinedString } from './inputs';
import { ClusterStack, HelmRelease, resourcesOfType } from './platform';
import { Check } from './row-builder';
import { OBSERVABILITY_ADDON_NAME, containerInsightsLogGroupName } from '../../policy/container-insights';
import { VELERO_BACKUP_FAILURE_LINES, VELERO_ORDINARY_LINES, VELERO_SERVER_CONTAINER } from '../../policy/velero-failure-log';

/** A metric filter's pattern as the check reads it: the fields it requires and the regular expression on the line. */
interface ReadPattern {
  readonly namespace?: string;
  readonly container?: string;
  readonly lineRegex?: string;
  /** An `||` anywhere lets an event through without every condition. */
  readonly disjunction: boolean;
}

function readPattern(pattern: string): ReadPattern {
  const field = (name: string) => new RegExp(`\\$\\.kubernetes\\.${name}\\s*=\\s*"([^"]*)"`).exec(pattern)?.[1];
  return {
    namespace: field('namespace_name'),
    container: field('container_name'),
    lineRegex: /\$\.log\s*=\s*%([^%]*)%/.exec(pattern)?.[1],
    disjunction: pattern.includes('||'),
  };
}

/**
 * Whether a failed Velero backup pages, not only a missing one: a metric
 * filter on the Velero server's lines in Container Insights' application log
 * group, whose regular expression matches every line Velero writes for a
 * failed or partially failed backup and no line of a backup that completes,
 * with an alarm on its metric that notifies someone; or a Prometheus rule on
 * `velero_backup_failure_total` in a workspace the stack creates.
 */
export function veleroFailureChecks(cluster: ClusterStack, velero: HelmRelease): Check[] {
  const stack = cluster.stack;
  const prometheus = resourcesOfType(stack, 'AWS::APS::RuleGroupsNamespace')
    .filter(([, group]) => (joinedString(group.Properties?.Data) ?? '').includes('velero_backup_failure_total'))
    .map(([id]): Check => ({ ok: true, found: `${id} pages on velero_backup_failure_total (managed Prometheus)` }));
  const applicationGroup = cluster.clusterName ? containerInsightsLogGroupName(cluster.clusterName, 'application') : undefined;
  const shipsLogs = cluster.managedAddons.some((addon) => addon.name === OBSERVABILITY_ADDON_NAME && addon.values?.containerLogs?.enabled !== false);
  const filters = resourcesOfType(stack, 'AWS::Logs::MetricFilter')
    .map(([id, filter]) => ({ id, properties: filter.Properties ?? {}, pattern: readPattern(joinedString(filter.Properties?.FilterPattern) ?? '') }))
    .filter((f) => f.pattern.lineRegex !== undefined && f.pattern.namespace === velero.namespace);
  const fromLogs = filters.map(({ id, properties, pattern }): Check => {
    const regex = new RegExp(pattern.lineRegex!);
    const missed = VELERO_BACKUP_FAILURE_LINES.filter((line) => !regex.test(line));
    const wrong = VELERO_ORDINARY_LINES.filter((line) => regex.test(line));
    const transform = properties.MetricTransformations?.[0] ?? {};
    const alarms = resourcesOfType(stack, 'AWS::CloudWatch::Alarm').filter(([, alarm]) => {
      const p = alarm.Properties ?? {};
      const fires = (p.ComparisonOperator === 'GreaterThanOrEqualToThreshold' && p.Threshold <= 1) ||
        (p.ComparisonOperator === 'GreaterThanThreshold' && p.Threshold < 1);
      return p.Namespace === transform.MetricNamespace && p.MetricName === transform.MetricName && p.Statistic === 'Sum' && fires &&
        (p.AlarmActions ?? []).length > 0;
    }).map(([alarmId]) => alarmId);
    const logGroup = joinedString(properties.LogGroupName);
    const problems = [
      ...(logGroup === applicationGroup ? [] : [`it reads ${logGroup ?? 'a group known at deploy time'}, not ${applicationGroup ?? 'the cluster\'s application group'}`]),
      ...(shipsLogs ? [] : [`no ${OBSERVABILITY_ADDON_NAME} add-on with container logs ships the Velero server's lines there`]),
      ...(pattern.container === VELERO_SERVER_CONTAINER ? [] : [`it selects container ${pattern.container ?? '(any)'}, not the Velero server's ${VELERO_SERVER_CONTAINER}`]),
      ...(pattern.disjunction ? ['its pattern joins conditions with ||, so it matches lines of other pods'] : []),
      ...missed.map((line) => `its regex misses Velero's ${JSON.stringify(line)}`),
      ...wrong.map((line) => `its regex matches ${JSON.stringify(line)}, which is no failed backup`),
      ...(alarms.length > 0 ? [] : [`no alarm with an action fires on one ${transform.MetricNamespace}/${transform.MetricName} (Sum)`]),
    ];
    return {
      ok: problems.length === 0,
      found: `${id} counts the Velero server's lines in namespace ${velero.namespace} that match ${pattern.lineRegex} ` +
        `(${VELERO_BACKUP_FAILURE_LINES.length - missed.length} of Velero's ${VELERO_BACKUP_FAILURE_LINES.length} failure lines, ` +
        `${wrong.length} of ${VELERO_ORDINARY_LINES.length} ordinary ones)${alarms.length > 0 ? `, and ${alarms.join(', ')} pages on one` : ''}` +
        `${problems.length > 0 ? `: but ${problems.join('; ')}` : ''}`,
      fix: `filter ${applicationGroup ?? 'the application log group'} on $.kubernetes.namespace_name = "${velero.namespace}", ` +
        `$.kubernetes.container_name = "${VELERO_SERVER_CONTAINER}" and a $.log regex that matches Velero's failure lines, and alarm on one (ResilientEksPlatform does with observability and alerting)`,
    };
  });
  if (fromLogs.length + prometheus.length > 0) return [...fromLogs, ...prometheus];
  return [{
    ok: false,
    found: 'nothing pages when a Velero backup ends Failed or PartiallyFailed: such a backup still writes its files, so the write alarm stays quiet',
    fix: 'keep Container Insights on (its container logs feed the platform\'s VeleroBackupsFailed alarm), or turn on managedPrometheus',
  }];
}
