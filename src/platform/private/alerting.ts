import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmTopic } from './alarm-topic';
import { ApplicationLogs } from './observability';
import { VeleroBackupWrites } from './velero';
import { VELERO_NAMESPACE } from '../../k8s/velero/velero-schedule';
import { AlarmName, AlarmRule, AlarmThresholdInput, alarmRules } from '../../policy/alerting';
import { VELERO_BACKUP_FAILURE_REGEX, VELERO_SERVER_CONTAINER } from '../../policy/velero-failure-log';
import { veleroSilenceRule } from '../../policy/velero-silence';

const CONTAINER_INSIGHTS = 'ContainerInsights';

/** Inputs of the alerting. */
export interface AlertingProps {
  readonly clusterName: string;
  readonly emailAddresses: string[];
  readonly thresholds: AlarmThresholdInput;
  /** Container Insights is installed: the node and pod alarms have metrics to read. */
  readonly containerInsights: boolean;
  readonly interruptionQueue: sqs.IQueue;
  /** The NAT gateways the platform created (none when the VPC was given). */
  readonly natGatewayIds: string[];
  /** The AWS Backup vault, on a primary with disaster recovery. */
  readonly backupVaultName?: string;
  /** Where the primary's Velero writes the backups the RPO rests on, on a primary with disaster recovery. */
  readonly veleroBackups?: VeleroBackupWrites;
  /** Where Fluent Bit writes the containers' lines, with Container Insights: the Velero server's failures are read there. */
  readonly applicationLogs?: ApplicationLogs;
}

/**
 * The platform's alarms and where they go: an SNS topic encrypted with a
 * customer-managed key (which CloudWatch may use to publish), email
 * subscriptions, and one alarm per failure the platform does not heal by
 * itself within the window the resilience policy sets. Every alarm notifies
 * when it fires and when it clears.
 */
export class Alerting extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;
  public readonly alarms: { [name: string]: cloudwatch.Alarm } = {};
  private readonly rules: Record<AlarmName, AlarmRule>;
  private readonly clusterName: string;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    this.rules = alarmRules(props.thresholds);
    this.clusterName = props.clusterName;

    const { topic, key } = alarmTopic(this, {
      displayName: `${props.clusterName} platform alarms`,
      keyDescription: `Encrypts the ${props.clusterName} alarm topic`,
      emailAddresses: props.emailAddresses,
      emailProp: 'alerting.emailAddresses',
    });
    this.topic = topic;
    this.key = key;

    if (props.containerInsights) {
      const cluster = { ClusterName: props.clusterName };
      // Container Insights reports every minute, zeros included: a missing minute is a gap in the agent's reports,
      // skipped rather than counted as healthy, which would reset a five- or ten-minute streak and hide a failure.
      const skipGaps = cloudwatch.TreatMissingData.MISSING;
      this.add('NotReadyNodes', 'notReadyNodes', insight('cluster_failed_node_count', cluster, 'Maximum'),
        'Nodes failing (NotReady, or under memory, disk or PID pressure)', skipGaps);
      // One sample per pod and minute: the sum over the cluster is the number of pods in that state.
      this.add('PendingPods', 'pendingPods', insight('pod_status_pending', cluster, 'Sum'), 'Pods Pending', skipGaps);
      this.add('CrashLoopingContainers', 'crashLoopingContainers',
        insight('pod_container_status_waiting_reason_crash_loop_back_off', cluster, 'Sum'), 'Containers in CrashLoopBackOff', skipGaps);
      // Each sample is the restarts since the previous one, so the sum is the restarts in the period.
      this.add('ContainerRestarts', 'containerRestarts', insight('pod_number_of_container_restarts', cluster, 'Sum'), 'Container restarts', skipGaps);
    }

    // Every ALB and target group (one per exposed service) the Load Balancer Controller creates, each a contributor of
    // its own alarm with its name in the notification: their names and IDs only exist once the controller created them.
    this.add('TargetGroup5xx', 'loadBalancer5xxPerMinute', insightsQuery('Target 5xx per minute',
      'SELECT SUM(HTTPCode_Target_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, TargetGroup) GROUP BY LoadBalancer, TargetGroup'),
    'A service behind an ALB answering 5xx (responses a minute, per target group; every ALB of the account and region)');
    this.add('LoadBalancer5xx', 'loadBalancer5xxPerMinute', insightsQuery('ALB 5xx per minute',
      'SELECT SUM(HTTPCode_ELB_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) GROUP BY LoadBalancer'),
    'An ALB answering 5xx itself, usually for want of a healthy target (responses a minute, per load balancer; every ALB of the account and region)');
    this.add('UnhealthyTargets', 'unhealthyTargets', insightsQuery('Unhealthy targets',
      'SELECT MAX(UnHealthyHostCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, TargetGroup) GROUP BY LoadBalancer, TargetGroup'),
    'Unhealthy targets of a service behind an ALB (per target group; every ALB of the account and region)');

    this.add('InterruptionQueueAge', 'interruptionQueueAgeSeconds',
      props.interruptionQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum' }),
      'Age in seconds of the oldest Karpenter interruption event');
    this.add('InterruptionQueueDepth', 'interruptionQueueDepth',
      props.interruptionQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
      'Karpenter interruption events waiting');

    props.natGatewayIds.forEach((natGatewayId, i) => {
      const nat = (metricName: string) => new cloudwatch.Metric({
        namespace: 'AWS/NATGateway', metricName, dimensionsMap: { NatGatewayId: natGatewayId }, statistic: 'Sum',
      });
      this.add(`NatPortAllocationErrors${i}`, 'natPortAllocationErrors', nat('ErrorPortAllocation'),
        `NAT gateway ${i + 1} refusing connections (port allocation errors)`);
      this.add(`NatPacketDrops${i}`, 'natPacketDropPercent', new cloudwatch.MathExpression({
        expression: '100 * drops / (fromSource + fromDestination)',
        usingMetrics: { drops: nat('PacketsDropCount'), fromSource: nat('PacketsInFromSource'), fromDestination: nat('PacketsInFromDestination') },
        label: 'Dropped packets (%)',
      }), `NAT gateway ${i + 1} dropping packets (percent)`);
    });

    if (props.backupVaultName) {
      const ofVault = { BackupVaultName: props.backupVaultName };
      const backupJobs = (metricName: string, dimensionsMap: Record<string, string> = ofVault) => new cloudwatch.Metric({
        namespace: 'AWS/Backup', metricName, dimensionsMap, statistic: 'Sum',
      });
      this.add('BackupJobsFailed', 'backupJobsFailed', new cloudwatch.MathExpression({
        expression: 'FILL(backups, 0) + FILL(copies, 0) + FILL(restores, 0)',
        usingMetrics: {
          backups: backupJobs('NumberOfBackupJobsFailed'),
          copies: backupJobs('NumberOfCopyJobsFailed'),
          // A restore job belongs to no vault: AWS Backup counts them by resource type, and the restore tests restore EBS volumes.
          restores: backupJobs('NumberOfRestoreJobsFailed', { ResourceType: 'EBS' }),
        },
        label: 'Failed backup, copy and restore test jobs',
      }), `Failed AWS Backup jobs (backups, copies to the recovery region, restore tests) of vault ${props.backupVaultName}`);
    }

    if (props.veleroBackups) {
      // Velero reports its outcomes only to Prometheus; S3 sees its writes. Every backup Velero persists writes
      // <prefix>/backups/<backup>/velero-backup.json and its other files, and a scheduled backup is named
      // <schedule>-<timestamp> (vmware-tanzu/velero pkg/persistence/object_store_layout.go, pkg/apis/velero/v1/schedule_types.go):
      // no write under the schedule's prefix means no backup was taken or none could be stored (Velero down, the schedule
      // paused or deleted, the location unavailable, the role or key refused). A backup that runs but ends Failed still
      // writes its files: VeleroBackupsFailed, below, pages for that from Velero's log.
      const { bucketName, filterId, scheduleName, intervalMinutes } = props.veleroBackups;
      const silence = veleroSilenceRule(intervalMinutes);
      const rule: AlarmRule = {
        threshold: 1,
        periodMinutes: silence.periodMinutes,
        evaluationPeriods: silence.evaluationPeriods,
        datapointsToAlarm: silence.evaluationPeriods,
        reason: silence.reason,
      };
      // S3 reports an operation's request metric only for periods that had such requests: a period without a PUT has no
      // data point, and that is what this alarm is about (https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-configurations.html).
      this.addRule('VeleroBackupsMissing', rule, new cloudwatch.Metric({
        namespace: 'AWS/S3', metricName: 'PutRequests', dimensionsMap: { BucketName: bucketName, FilterId: filterId }, statistic: 'Sum',
      }), `Velero writes to the backups of schedule ${scheduleName}`, cloudwatch.TreatMissingData.BREACHING, 'below');

      if (props.applicationLogs) this.addVeleroFailures(props.applicationLogs);
    }
  }

  /**
   * Velero reports a failed backup only in its metrics and its log; without Prometheus the log is what CloudWatch
   * has. A metric filter on the lines Velero's server writes when a backup fails or partially fails (every
   * schedule's backups) counts them, and a single one pages. No line, no data point: nothing failed.
   */
  private addVeleroFailures(applicationLogs: ApplicationLogs): void {
    const filter = new logs.MetricFilter(this, 'VeleroFailureLines', {
      logGroup: logs.LogGroup.fromLogGroupName(this, 'ApplicationLogs', applicationLogs.logGroupName),
      filterPattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.kubernetes.namespace_name', '=', VELERO_NAMESPACE),
        logs.FilterPattern.stringValue('$.kubernetes.container_name', '=', VELERO_SERVER_CONTAINER),
        logs.FilterPattern.regexValue('$.log', '=', VELERO_BACKUP_FAILURE_REGEX),
      ),
      metricNamespace: `ResilientEks/${this.clusterName}`,
      metricName: 'VeleroBackupFailureLines',
      metricValue: '1',
    });
    // Fluent Bit creates the group on its first line; the platform creates it ahead (with its retention) so the filter has a group.
    filter.node.addDependency(applicationLogs.created);
    this.add('VeleroBackupsFailed', 'veleroBackupsFailed', filter.metric({ statistic: 'Sum' }),
      `Velero backups ending Failed or PartiallyFailed (lines of the Velero server in ${applicationLogs.logGroupName})`);
  }

  /** The alarm's rule sets the period of its metric, and of every metric a math expression or query reads. */
  private add(id: string, name: AlarmName, metric: cloudwatch.Metric | cloudwatch.MathExpression, what: string,
    treatMissingData: cloudwatch.TreatMissingData = cloudwatch.TreatMissingData.NOT_BREACHING): void {
    this.addRule(id, this.rules[name], metric, what, treatMissingData, 'at');
  }

  private addRule(id: string, rule: AlarmRule, metric: cloudwatch.Metric | cloudwatch.MathExpression, what: string,
    treatMissingData: cloudwatch.TreatMissingData, pages: 'at' | 'below'): void {
    this.alarms[id] = pagingAlarm(this, id, { clusterName: this.clusterName, rule, metric, what, treatMissingData, pages, topic: this.topic });
  }
}

/** An alarm from a rule of the resilience policy, and where it pages. */
export interface PagingAlarmProps {
  readonly clusterName: string;
  readonly rule: AlarmRule;
  readonly metric: cloudwatch.Metric | cloudwatch.MathExpression;
  /** What the metric counts, for the description. */
  readonly what: string;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  /** At the threshold or more, or below it. */
  readonly pages: 'at' | 'below';
  readonly topic: sns.ITopic;
}

/**
 * An alarm whose description says what failed, the level, the window and
 * why (the rule's reason), and which notifies the topic when it fires and
 * when it clears.
 */
export function pagingAlarm(scope: Construct, id: string, props: PagingAlarmProps): cloudwatch.Alarm {
  const { rule } = props;
  const level = props.pages === 'at' ? `at ${rule.threshold} or more` : `below ${rule.threshold}`;
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: `${props.clusterName}: ${props.what} ${level} in ${rule.datapointsToAlarm} of ${rule.evaluationPeriods} periods of ` +
      `${rule.periodMinutes} min. Why: ${rule.reason}. See the platform runbooks.`,
    metric: props.metric.with({ period: Duration.minutes(rule.periodMinutes) }),
    threshold: rule.threshold,
    comparisonOperator: props.pages === 'at'
      ? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD : cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: rule.evaluationPeriods,
    datapointsToAlarm: rule.datapointsToAlarm,
    treatMissingData: props.treatMissingData,
  });
  alarm.addAlarmAction(new actions.SnsAction(props.topic));
  alarm.addOkAction(new actions.SnsAction(props.topic));
  return alarm;
}

/** A Metrics Insights query; its period is the alarm's. */
function insightsQuery(label: string, expression: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression, label });
}

function insight(metricName: string, dimensionsMap: Record<string, string>, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: CONTAINER_INSIGHTS, metricName, dimensionsMap, statistic });
}
