import { SECRET_LISTING_LAG_MINUTES, SECRET_REPLICATOR_ENVIRONMENT, MISSED_RUNS, worstSecretReplicaDelayMinutes } from '../../../policy/disaster-recovery';
import { ReportRow, Requirement } from '../../report-row';
import { DEPLOY_TIME_VALUE, StackInput, joinedString } from '../inputs';
import { ClusterStack, referenced, resourcesOfType } from '../platform';
import { Check, notApplicable, rowOf } from '../row-builder';

/** Whether an IAM action pattern ("secretsmanager:*", "*") allows an action. */
function allowsAction(pattern: string, action: string): boolean {
  return pattern === '*' || pattern === action || (pattern.endsWith('*') && action.startsWith(pattern.slice(0, -1)));
}

/** The Allow statements of the IAM policies attached to a role, with their resources as strings. */
function roleStatements(stack: StackInput, roleId: string): Array<{ actions: string[]; resources: string[]; condition: any }> {
  return resourcesOfType(stack, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties?.Roles ?? []).some((role: any) => role?.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties?.PolicyDocument?.Statement ?? [])
    .filter((statement: any) => statement.Effect === 'Allow')
    .map((statement: any) => ({
      actions: [statement.Action].flat(),
      resources: [statement.Resource].flat().map((resource: unknown) => joinedString(resource) ?? DEPLOY_TIME_VALUE),
      condition: statement.Condition ?? {},
    }));
}

/** The values a statement's condition gives a key, under any operator (undefined when it sets none). */
function conditionValues(condition: any, key: string): string[] | undefined {
  const values = Object.values<any>(condition).filter((byKey) => byKey?.[key] !== undefined).flatMap((byKey) => [byKey[key]].flat());
  return values.length > 0 ? values : undefined;
}

/** Minutes between runs of an EventBridge rate expression ("rate(15 minutes)"), if it is one. */
export function rateMinutes(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return undefined;
  return Number(match[1]) * (match[2].startsWith('minute') ? 1 : match[2].startsWith('hour') ? 60 : 24 * 60);
}

/**
 * The secrets the cluster reads are in the recovery region before a disaster:
 * a function replicates every secret under the prefix External Secrets reads
 * (the users create them outside the stack) to the recovery region, on a
 * schedule whose worst delay for a new secret (listing lag plus two runs, one
 * of which may fail) is within the RPO; its role may replicate those secrets
 * there and encrypt them with the key aliased there; its failures page the
 * alarm topic. Replicas of existing secrets follow their updates through
 * Secrets Manager, and a replication that fails shows in the next run.
 */
export function secretReplicationRow(cluster: ClusterStack): ReportRow {
  const { stack } = cluster;
  const header = {
    id: 'dr-secrets-replicated',
    requirement: Requirement.DISASTER_RECOVERY,
    claim: 'Every Secrets Manager secret the cluster reads has a replica in the recovery region, encrypted with its key there, within the RPO',
    subject: stack.name,
    evidence: `the secret replicator's function, schedule, role and alarm (${stack.templatePath})`,
  };
  const recovery = cluster.recovery;
  if (!recovery) return notApplicable(header, `${stack.name} records no recovery targets (no disasterRecovery)`);
  if (recovery.role === 'standby') return notApplicable(header, 'a standby reads the primary\'s replicas; the primary\'s row holds their replication');

  const env = SECRET_REPLICATOR_ENVIRONMENT;
  const replicator = resourcesOfType(stack, 'AWS::Lambda::Function').find(([, fn]) => fn.Properties?.Environment?.Variables?.[env.prefix] !== undefined);
  if (!replicator) {
    return rowOf(header, [{
      ok: false,
      found: 'no function replicates the Secrets Manager secrets to the recovery region: the standby\'s External Secrets would find none of them',
      fix: 'replicate the secrets under the platform\'s prefix to the recovery region (ResilientEksPlatform\'s primary does it with a scheduled function)',
    }]);
  }
  const [fnId, fn] = replicator;
  const variables = fn.Properties.Environment.Variables;
  const [prefix, region, alias] = [env.prefix, env.region, env.keyAlias].map((name) => joinedString(variables[name]) ?? DEPLOY_TIME_VALUE);
  const checks: Check[] = [];

  // Every prefix External Secrets' readers (or any role of the stack) read must be under the replicated one.
  const read = [...new Set(resourcesOfType(stack, 'AWS::IAM::Policy')
    .flatMap(([, policy]) => policy.Properties?.PolicyDocument?.Statement ?? [])
    .filter((s: any) => s.Effect === 'Allow' && [s.Action].flat().includes('secretsmanager:GetSecretValue'))
    .flatMap((s: any) => [s.Resource].flat().map((r: unknown) => joinedString(r) ?? DEPLOY_TIME_VALUE))
    .filter((r: string) => r.includes(':secret:'))
    .map((r: string) => r.split(':secret:')[1]))].sort();
  const outside = read.filter((pattern) => !pattern.startsWith(prefix));
  checks.push({
    ok: prefix !== DEPLOY_TIME_VALUE && outside.length === 0 && region !== stack.region && region !== DEPLOY_TIME_VALUE,
    found: `Function ${fnId} replicates the secrets under "${prefix}" to ${region}` +
      (read.length > 0 ? `; the cluster reads ${read.join(', ')}${outside.length > 0 ? `: ${outside.join(', ')} not under it` : ', all under it'}` : ''),
    fix: region === stack.region ? `replicate to the recovery region, not ${region}`
      : `replicate the prefix the cluster reads (${read.join(', ')}) to the recovery region`,
  });

  const schedules = resourcesOfType(stack, 'AWS::Events::Rule')
    .filter(([, rule]) => rule.Properties?.State !== 'DISABLED' && (rule.Properties?.Targets ?? []).some((t: any) => referenced(stack, t.Arn)?.[0] === fnId));
  const intervals = schedules.map(([, rule]) => rateMinutes(String(rule.Properties?.ScheduleExpression ?? ''))).filter((m): m is number => m !== undefined);
  const interval = intervals.length > 0 ? Math.min(...intervals) : undefined;
  const longest = Math.floor((recovery.rpoMinutes - SECRET_LISTING_LAG_MINUTES) / (1 + MISSED_RUNS));
  const worst = interval === undefined ? undefined : worstSecretReplicaDelayMinutes(interval);
  checks.push({
    ok: worst !== undefined && worst <= recovery.rpoMinutes,
    found: interval === undefined ? `no enabled rate schedule starts function ${fnId}: a secret is replicated only if its creation event arrives (best effort, and only with a CloudTrail trail)`
      : `every ${interval} min: ${SECRET_LISTING_LAG_MINUTES} (ListSecrets may miss the last 5 minutes) + ${1 + MISSED_RUNS} x ${interval} (one run may fail) = ` +
        `${worst} min before a new secret has its replica vs RPO ${recovery.rpoMinutes} min` +
        (schedules.length > intervals.length ? '; CreateSecret events also start it' : ''),
    fix: `run the replicator on a rate schedule of at most ${longest} minutes`,
  });

  const roleId = referenced(stack, fn.Properties.Role)?.[0];
  const statements = roleId ? roleStatements(stack, roleId) : [];
  const may = (action: string, onResource: (resource: string) => boolean, conditionKey?: string, expected?: string) => statements.some((s) =>
    s.actions.some((a) => allowsAction(a, action)) && s.resources.some((r) => r === '*' || onResource(r)) &&
    (!conditionKey || (conditionValues(s.condition, conditionKey) ?? [expected]).includes(expected!)));
  const underPrefix = (resource: string) => resource.includes(':secretsmanager:') &&
    (resource.split(':secret:')[1] ?? '').endsWith('*') && prefix.startsWith(resource.split(':secret:')[1].slice(0, -1));
  const inRegion = (resource: string) => resource.includes(`:kms:${region}:`);
  const needed: Array<[string, boolean]> = [
    ['secretsmanager:ListSecrets', may('secretsmanager:ListSecrets', () => false)],
    [`secretsmanager:DescribeSecret on ${prefix}*`, may('secretsmanager:DescribeSecret', underPrefix)],
    [`secretsmanager:ReplicateSecretToRegions on ${prefix}* to ${region}`,
      may('secretsmanager:ReplicateSecretToRegions', underPrefix, 'secretsmanager:AddReplicaRegions', region)],
    ...['kms:GenerateDataKey', 'kms:Encrypt'].map((action): [string, boolean] =>
      [`${action} with ${region}'s key aliased ${alias}`, may(action, inRegion, 'kms:ResourceAliases', alias)]),
  ];
  const missing = needed.filter(([, ok]) => !ok).map(([what]) => what);
  checks.push({
    ok: roleId !== undefined && missing.length === 0,
    found: missing.length === 0 ? `its role ${roleId} may list the secrets, describe and replicate those under ${prefix} to ${region}, encrypting with the key aliased ${alias}`
      : `its role ${roleId ?? '(not in the template)'} may not: ${missing.join('; ')}`,
    fix: `allow the replicator's role ${missing.join('; ')}`,
  });

  const topics = new Set(resourcesOfType(stack, 'AWS::SNS::Topic').map(([id]) => id));
  const alarms = resourcesOfType(stack, 'AWS::CloudWatch::Alarm').filter(([, alarm]) => {
    const p = alarm.Properties ?? {};
    return p.Namespace === 'AWS/Lambda' && p.MetricName === 'Errors' &&
      (p.Dimensions ?? []).some((d: any) => d.Name === 'FunctionName' && referenced(stack, d.Value)?.[0] === fnId);
  });
  const paging = alarms.find(([, alarm]) => {
    const p = alarm.Properties;
    const onAnyFailure = (p.ComparisonOperator === 'GreaterThanOrEqualToThreshold' && Number(p.Threshold) <= 1) ||
      (p.ComparisonOperator === 'GreaterThanThreshold' && Number(p.Threshold) < 1);
    return onAnyFailure && p.ActionsEnabled !== false && (p.AlarmActions ?? []).some((action: any) => topics.has(action?.Ref));
  });
  checks.push({
    ok: paging !== undefined,
    found: paging ? `alarm ${paging[0]} notifies topic ${paging[1].Properties.AlarmActions.find((a: any) => topics.has(a?.Ref)).Ref} on any failed run`
      : `${alarms.length === 0 ? 'no alarm watches' : `alarms ${alarms.map(([id]) => id).join(', ')} watch`} the function's Errors` +
        `${alarms.length === 0 ? '' : ' but notify no topic of the stack on every failure'}: a failed replication would go unnoticed until a failover`,
    fix: 'alarm on the replicator\'s Errors (Sum >= 1) with the platform\'s alarm topic as its action (alerting enabled)',
  });
  return rowOf(header, checks);
}
