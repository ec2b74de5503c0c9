import { DataAge, minutesText, scheduleExpressionIntervalMinutes } from './data-age';
import { joinedString } from './inputs';
import { ClusterStack, referenced, resourcesOfType } from './platform';
import {
  AWS_BACKUP_DEFAULT_COMPLETION_WINDOW_MINUTES, AWS_BACKUP_DEFAULT_START_WINDOW_MINUTES, awsBackupAgeMinutes,
} from '../../policy/data-age';

/** AWS Backup's worst data ages in the recovery region: per rule, for the cluster's composite backups and for the tagged volumes. */
export interface AwsBackupDataAges {
  /** Rules that back up the EKS cluster itself (its objects and its claims' volumes, as one composite recovery point). */
  readonly cluster: DataAge[];
  /** Rules that back up the EBS volumes selected by the tag the EBS CSI driver puts on them. */
  readonly volumes: DataAge[];
}

/** The tags the EBS CSI driver add-on puts on every volume it creates (its extraVolumeTags). */
function volumeTags(cluster: ClusterStack): { [key: string]: string } {
  return cluster.managedAddons.find((addon) => addon.name === 'aws-ebs-csi-driver')?.values?.controller?.extraVolumeTags ?? {};
}

/** Whether a selection names the cluster: by Fn::GetAtt of its Arn, or by a literal ARN ending in its name. */
function selectsCluster(cluster: ClusterStack, selection: any): boolean {
  return (selection.Resources ?? []).some((resource: any) => referenced(cluster.stack, resource)?.[0] === cluster.clusterLogicalId ||
    (cluster.clusterName !== undefined && joinedString(resource)?.endsWith(`:cluster/${cluster.clusterName}`)));
}

/** Whether a selection's tag conditions select what carries the given tags. */
function selectsTagged(selection: any, tags: { [key: string]: string }): boolean {
  const conditions = [
    ...(selection.ListOfTags ?? []).map((t: any) => ({ key: t.ConditionKey, value: t.ConditionValue })),
    ...(selection.Conditions?.StringEquals ?? []).map((c: any) => ({ key: String(c.ConditionKey).replace(/^aws:ResourceTag\//, ''), value: c.ConditionValue })),
  ];
  return conditions.length > 0 && conditions.some((c: { key: string; value: string }) => tags[c.key] === c.value);
}

/** The region of each copy action's destination vault, from its ARN. */
function copyRegions(rule: any): string[] {
  return (rule.CopyActions ?? []).map((copy: any) => /:backup:([a-z0-9-]+):/.exec(joinedString(copy.DestinationBackupVaultArn) ?? '')?.[1])
    .filter((region: string | undefined): region is string => region !== undefined);
}

/**
 * One rule's worst age in the recovery region. In its own region a recovery
 * point is at most one interval, the start window and the completion window
 * old; AWS documents no time bound for the copy to another region, so the
 * copy has none.
 */
function ruleAge(cluster: ClusterStack, rule: any, what: string): DataAge {
  const interval = scheduleExpressionIntervalMinutes(rule.ScheduleExpression);
  const start = rule.StartWindowMinutes ?? AWS_BACKUP_DEFAULT_START_WINDOW_MINUTES;
  const completion = rule.CompletionWindowMinutes ?? AWS_BACKUP_DEFAULT_COMPLETION_WINDOW_MINUTES;
  const region = cluster.stack.region ?? 'its region';
  const away = copyRegions(rule).filter((r) => r !== cluster.stack.region);
  const local = interval === undefined ? `runs on "${rule.ScheduleExpression}", not a regular interval`
    : `${interval} interval + ${start} start window + ${completion} completion = ${minutesText(awsBackupAgeMinutes(interval, start, completion))} in ${region}`;
  return {
    minutes: Infinity,
    sum: `AWS Backup rule ${rule.RuleName} (${what}) ${local}, ${away.length > 0 ? `+ a copy to ${away.join(', ')} with no documented time bound` : 'never copied out of the region'}`,
  };
}

/** The scheduled (not continuous) rules of the stack's backup plans that select the cluster, and those that select its tagged volumes. */
export function awsBackupDataAges(cluster: ClusterStack): AwsBackupDataAges {
  const tags = volumeTags(cluster);
  const ages: AwsBackupDataAges = { cluster: [], volumes: [] };
  for (const [, resource] of resourcesOfType(cluster.stack, 'AWS::Backup::BackupSelection')) {
    const selection = resource.Properties?.BackupSelection ?? {};
    const plan = referenced(cluster.stack, resource.Properties?.BackupPlanId)?.[1];
    const rules: any[] = (plan?.Properties?.BackupPlan?.BackupPlanRule ?? []).filter((rule: any) => rule.EnableContinuousBackup !== true);
    if (selectsCluster(cluster, selection)) ages.cluster.push(...rules.map((rule) => ruleAge(cluster, rule, 'the EKS cluster')));
    if (selectsTagged(selection, tags)) ages.volumes.push(...rules.map((rule) => ruleAge(cluster, rule, 'tagged EBS volumes')));
  }
  return ages;
}
