import { Aws, Stack } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The Velero schedule whose backups the rules watch. */
export interface WatchedVeleroSchedule {
  readonly name: string;
  readonly intervalMinutes: number;
}

/** Inputs of the Prometheus alerts. */
export interface PrometheusAlertsProps {
  readonly clusterName: string;
  readonly workspace: aps.CfnWorkspace;
  readonly topic: sns.Topic;
  readonly topicKey: kms.Key;
  readonly veleroSchedule: WatchedVeleroSchedule;
}

/**
 * What CloudWatch cannot see: Velero reports its backups only as Prometheus
 * metrics, which the managed scraper collects into the workspace. Two rules
 * in the workspace page through its Alertmanager to the platform's alarm
 * topic: a failed Velero backup, and no successful backup for two backup
 * intervals (the RPO is no longer met).
 */
export class PrometheusAlerts extends Construct {
  constructor(scope: Construct, id: string, props: PrometheusAlertsProps) {
    super(scope, id);
    const schedule = props.veleroSchedule.name;
    const staleAfterSeconds = props.veleroSchedule.intervalMinutes * 2 * 60;
    // JSON is YAML: both documents are written with JSON.stringify, deterministic and free of indentation mistakes.
    new aps.CfnRuleGroupsNamespace(this, 'Rules', {
      workspace: props.workspace.attrArn,
      name: 'platform',
      data: JSON.stringify({
        groups: [{
          name: 'velero',
          rules: [
            {
              alert: 'VeleroBackupFailed',
              expr: `increase(velero_backup_failure_total{schedule="${schedule}"}[1h]) > 0`,
              labels: { severity: 'page' },
              annotations: {
                summary: `${props.clusterName}: a Velero backup of schedule ${schedule} failed`,
                description: 'The recovery point objective is unmet until the next successful backup. See the Velero restore runbook and `velero backup logs`.',
              },
            },
            {
              alert: 'VeleroBackupStale',
              expr: `time() - velero_backup_last_successful_timestamp{schedule="${schedule}"} > ${staleAfterSeconds}`,
              for: '15m',
              labels: { severity: 'page' },
              annotations: {
                summary: `${props.clusterName}: no successful Velero backup of schedule ${schedule} for two backup intervals`,
                description: 'Backups are not running or not completing: the recovery point objective is not met.',
              },
            },
          ],
        }],
      }),
    });

    const region = Stack.of(this).region;
    props.workspace.alertManagerDefinition = JSON.stringify({
      alertmanager_config: JSON.stringify({
        route: { receiver: 'platform-alarms', group_by: ['alertname'] },
        receivers: [{
          name: 'platform-alarms',
          sns_configs: [{ topic_arn: props.topic.topicArn, sigv4: { region }, attributes: { key: 'severity', value: 'page' } }],
        }],
      }),
    });
    // The workspace's Alertmanager publishes to the encrypted topic.
    const fromWorkspace = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnEquals: { 'aws:SourceArn': props.workspace.attrArn } };
    props.topic.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('aps.amazonaws.com')],
      actions: ['sns:Publish', 'sns:GetTopicAttributes'],
      resources: [props.topic.topicArn],
      conditions: fromWorkspace,
    }));
    props.topicKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('aps.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }));
  }
}
