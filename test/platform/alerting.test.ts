import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ResilientEksPlatform } from '../../src';
import { onlyResource, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';

/** The platform's alarms by the id of their construct ("NotReadyNodes"...). */
function alarmsById(template: Template): Record<string, any> {
  return Object.fromEntries(Object.entries(template.findResources('AWS::CloudWatch::Alarm'))
    .filter(([id]) => id.includes('Alerting'))
    .map(([id, alarm]) => [id.replace(/^PlatformAlerting/, '').replace(/[0-9A-F]{8}$/, ''), alarm.Properties]));
}

describe('alerting', () => {
  const { stack, template, platform } = synthPlatform({
    alerting: { emailAddresses: ['oncall@example.com', 'platform@example.com'] },
    disasterRecovery: { rpo: Duration.hours(4), rto: Duration.hours(4), primaryRegion: 'eu-west-1', secondaryRegion: 'eu-central-1' },
  });
  const alarms = alarmsById(template);

  test('a topic encrypted with a rotating customer key that CloudWatch may use, TLS only, with the email subscriptions', () => {
    const topic = onlyResource(template, 'AWS::SNS::Topic');
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/AlertingKey/), 'Arn'] });
    const [keyId, key] = Object.entries(template.findResources('AWS::KMS::Key')).find(([id]) => /AlertingKey/.test(id)) as [string, any];
    expect(keyId).toBeDefined();
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
      Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    }));
    expect(JSON.stringify(template.findResources('AWS::SNS::TopicPolicy'))).toContain('aws:SecureTransport');
    const emails = Object.values(template.findResources('AWS::SNS::Subscription')).map((s: any) => [s.Properties.Protocol, s.Properties.Endpoint]);
    expect(emails).toEqual([['email', 'oncall@example.com'], ['email', 'platform@example.com']]);
    expect(platform.alarmTopic).toBeDefined();
  });

  test('one alarm per failure the platform does not heal by itself', () => {
    expect(Object.keys(alarms).sort()).toEqual([
      'BackupJobsFailed', 'ContainerRestarts', 'CrashLoopingContainers', 'InterruptionQueueAge', 'InterruptionQueueDepth', 'LoadBalancer5xx',
      'NatPacketDrops0', 'NatPacketDrops1', 'NatPacketDrops2', 'NatPortAllocationErrors0', 'NatPortAllocationErrors1', 'NatPortAllocationErrors2',
      'NotReadyNodes', 'PendingPods', 'TargetGroup5xx', 'UnhealthyTargets', 'VeleroBackupsFailed', 'VeleroBackupsMissing',
    ]);
    expect(Object.keys(platform.alarms).sort()).toEqual([...Object.keys(alarms), 'SecretReplicationFailures'].sort());
  });

  test('every alarm notifies the topic when it fires and when it clears, and says why', () => {
    for (const [id, alarm] of Object.entries(alarms)) {
      const topic = [{ Ref: expect.stringMatching(/AlertingTopic/) }];
      expect({ id, actions: alarm.AlarmActions, ok: alarm.OKActions }).toEqual({ id, actions: topic, ok: topic });
      // Velero's alarm pages on writes that stop (disaster-recovery.test.ts); every other on a level reached.
      expect(alarm.ComparisonOperator).toBe(id === 'VeleroBackupsMissing' ? 'LessThanThreshold' : 'GreaterThanOrEqualToThreshold');
      expect(alarm.AlarmDescription).toMatch(/^shop: .+ Why: .{40,}\. See the platform runbooks\.$/);
    }
  });

  test('a gap in Container Insights\' minute reports is skipped, not counted as healthy; elsewhere no data is no failure', () => {
    const missing = Object.entries(alarms).filter(([, alarm]) => alarm.TreatMissingData === 'missing').map(([id]) => id).sort();
    expect(missing).toEqual(['ContainerRestarts', 'CrashLoopingContainers', 'NotReadyNodes', 'PendingPods']);
    for (const [id, alarm] of Object.entries(alarms)) {
      // No write of Velero's is no data point: that is the failure it pages for.
      const expected = id === 'VeleroBackupsMissing' ? 'breaching' : 'notBreaching';
      if (!missing.includes(id)) expect({ id, missing: alarm.TreatMissingData }).toEqual({ id, missing: expected });
    }
  });

  test('the load balancer alarms say they watch every ALB of the account and region', () => {
    for (const id of ['TargetGroup5xx', 'LoadBalancer5xx', 'UnhealthyTargets']) expect(alarms[id].AlarmDescription).toContain('every ALB of the account and region');
  });

  test.each([
    ['NotReadyNodes', 'cluster_failed_node_count', 'Maximum', 1, 5, 5],
    ['PendingPods', 'pod_status_pending', 'Sum', 1, 10, 10],
    ['CrashLoopingContainers', 'pod_container_status_waiting_reason_crash_loop_back_off', 'Sum', 1, 10, 10],
  ])('%s reads Container Insights %s (%s) of the cluster, at %d for %d of %d minutes', (id, metric, statistic, threshold, datapoints, periods) => {
    expect(alarms[id]).toMatchObject({
      Namespace: 'ContainerInsights',
      MetricName: metric,
      Dimensions: [{ Name: 'ClusterName', Value: 'shop' }],
      Statistic: statistic,
      Period: 60,
      Threshold: threshold,
      EvaluationPeriods: periods,
      DatapointsToAlarm: datapoints,
    });
  });

  test('container restarts are summed over a quarter of an hour', () => {
    expect(alarms.ContainerRestarts).toMatchObject({
      MetricName: 'pod_number_of_container_restarts', Statistic: 'Sum', Period: 900, Threshold: 5, EvaluationPeriods: 1,
    });
  });

  test('load balancer alarms cover every ALB and target group the controller creates, one contributor each', () => {
    const query = (id: string) => alarms[id].Metrics[0].Expression;
    expect(query('TargetGroup5xx')).toBe(
      'SELECT SUM(HTTPCode_Target_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, TargetGroup) GROUP BY LoadBalancer, TargetGroup');
    expect(query('LoadBalancer5xx')).toBe('SELECT SUM(HTTPCode_ELB_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) GROUP BY LoadBalancer');
    expect(query('UnhealthyTargets')).toMatch(/^SELECT MAX\(UnHealthyHostCount\) .+ GROUP BY LoadBalancer, TargetGroup$/);
    expect(alarms.TargetGroup5xx).toMatchObject({ Threshold: 10, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    expect(alarms.TargetGroup5xx.Metrics[0].Period).toBe(60);
  });

  test('Karpenter\'s interruption queue: age of the oldest event and depth', () => {
    expect(alarms.InterruptionQueueAge).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Statistic: 'Maximum',
      Threshold: 60,
      EvaluationPeriods: 3,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.stringMatching(/InterruptionQueue/), 'QueueName'] } }],
    });
    expect(alarms.InterruptionQueueDepth).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 50, EvaluationPeriods: 5 });
  });

  test('each NAT gateway: any port allocation error, and dropped packets as a share of its traffic', () => {
    expect(alarms.NatPortAllocationErrors1).toMatchObject({
      Namespace: 'AWS/NATGateway',
      MetricName: 'ErrorPortAllocation',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      Dimensions: [{ Name: 'NatGatewayId', Value: { Ref: expect.stringMatching(/publicSubnet2NATGateway/) } }],
    });
    const drops = alarms.NatPacketDrops0;
    expect(drops).toMatchObject({ Threshold: 0.01, EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    expect(drops.Metrics.find((m: any) => m.Expression).Expression).toBe('100 * drops / (fromSource + fromDestination)');
    expect(drops.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName).sort())
      .toEqual(['PacketsDropCount', 'PacketsInFromDestination', 'PacketsInFromSource']);
  });

  test('failed backup, copy and restore test jobs of the vault, over an hour', () => {
    const backups = alarms.BackupJobsFailed;
    expect(backups.Metrics.find((m: any) => m.Expression).Expression).toBe('FILL(backups, 0) + FILL(copies, 0) + FILL(restores, 0)');
    const stat = (m: any) => [m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions, m.MetricStat.Period];
    expect(backups.Metrics.filter((m: any) => m.MetricStat).map(stat))
      .toEqual([
        ['NumberOfBackupJobsFailed', [{ Name: 'BackupVaultName', Value: 'shop-backups' }], 3600],
        ['NumberOfCopyJobsFailed', [{ Name: 'BackupVaultName', Value: 'shop-backups' }], 3600],
        // Restore jobs belong to no vault; the restore tests restore EBS volumes.
        ['NumberOfRestoreJobsFailed', [{ Name: 'ResourceType', Value: 'EBS' }], 3600],
      ]);
    expect(backups.Threshold).toBe(1);
  });

  test('thresholds come from props; the windows stay the policy\'s', () => {
    const custom = alarmsById(synthPlatform({
      alerting: {
        thresholds: { notReadyNodes: 2, pendingPods: 5, loadBalancer5xxPerMinute: 100, interruptionQueueAgeSeconds: 120, natPacketDropPercent: 0.5 },
      },
    }).template);
    expect(custom.NotReadyNodes).toMatchObject({ Threshold: 2, EvaluationPeriods: 5 });
    expect(custom.PendingPods.Threshold).toBe(5);
    expect(custom.TargetGroup5xx.Threshold).toBe(100);
    expect(custom.LoadBalancer5xx.Threshold).toBe(100);
    expect(custom.InterruptionQueueAge.Threshold).toBe(120);
    expect(custom.NatPacketDrops0.Threshold).toBe(0.5);
  });

  test('no backup alarm without disaster recovery, no NAT alarm for a VPC that was given', () => {
    const app = new App({ context: { 'aws:cdk:disable-asset-staging': true } });
    const stack2 = new Stack(app, 'Given', { env: { region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack2, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
    Validations.of(vpc).acknowledge({ id: 'CloudFormation-Validate::W3010', reason: 'test VPC in named zones' });
    new ResilientEksPlatform(stack2, 'Platform', { clusterName: 'shop', vpc });
    const names = Object.keys(alarmsById(Template.fromStack(stack2)));
    expect(names.filter((name) => /Nat|Backup/.test(name))).toEqual([]);
    expect(names).toContain('NotReadyNodes');
  });

  test('alerting can be turned off', () => {
    const { template: off, platform: quiet } = synthPlatform({ alerting: { enabled: false } });
    off.resourceCountIs('AWS::SNS::Topic', 0);
    expect(Object.keys(alarmsById(off))).toEqual([]);
    expect(quiet.alarmTopic).toBeUndefined();
  });

  test.each([
    [{ emailAddresses: ['oncall'] }, 'alerting.emailAddresses[0] = "oncall" is invalid: must be an email address'],
    [{ thresholds: { notReadyNodes: 0 } }, 'alerting.thresholds.notReadyNodes = 0 is invalid: must be a whole number of nodes from 1 to 10000'],
    [{ thresholds: { pendingPods: 1.5 } }, 'alerting.thresholds.pendingPods = 1.5 is invalid'],
    [{ thresholds: { interruptionQueueAgeSeconds: 400 } }, 'must be a whole number of seconds from 10 to 300'],
    [{ thresholds: { natPacketDropPercent: 0 } }, 'alerting.thresholds.natPacketDropPercent = 0 is invalid: must be a number of percent of packets'],
  ])('bad input is refused at synth: %j', (alerting, message) => {
    expect(() => synthPlatform({ alerting })).toThrow(message);
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

describe('Velero alerts through Prometheus', () => {
  const DR = { rpo: Duration.hours(1), rto: Duration.hours(4), primaryRegion: 'eu-west-1', secondaryRegion: 'eu-central-1' };
  const { stack, template } = synthPlatform({ disasterRecovery: DR, observability: { managedPrometheus: true } });

  test('two rules in the workspace: a failed backup of the services schedule, and none successful for two intervals', () => {
    const rules = onlyResource(template, 'AWS::APS::RuleGroupsNamespace');
    expect(rules.Properties.Workspace).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Workspace/), 'Arn'] });
    const groups = JSON.parse(rules.Properties.Data).groups;
    expect(groups[0].rules.map((r: any) => [r.alert, r.expr, r.for])).toEqual([
      ['VeleroBackupFailed', 'increase(velero_backup_failure_total{schedule="services"}[1h]) > 0', undefined],
      ['VeleroBackupStale', 'time() - velero_backup_last_successful_timestamp{schedule="services"} > 1800', '15m'],
    ]);
  });

  test('the workspace\'s Alertmanager publishes to the alarm topic, which lets it (and its key) in for this workspace only', () => {
    const workspace = onlyResource(template, 'AWS::APS::Workspace');
    const definition = JSON.stringify(workspace.Properties.AlertManagerDefinition);
    expect(definition).toContain('sns_configs');
    expect(definition).toMatch(/AlertingTopic/);
    const topicPolicy = JSON.stringify(template.findResources('AWS::SNS::TopicPolicy'));
    expect(topicPolicy).toContain('aps.amazonaws.com');
    expect(topicPolicy).toContain('aws:SourceArn');
    const key = Object.entries(template.findResources('AWS::KMS::Key')).find(([id]) => /AlertingKey/.test(id))![1] as any;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'aps.amazonaws.com' } }));
  });

  test('no rules without disaster recovery (nothing to watch) or on a standby (its schedule is paused)', () => {
    synthPlatform({ observability: { managedPrometheus: true } }).template.resourceCountIs('AWS::APS::RuleGroupsNamespace', 0);
    synthPlatform({ disasterRecovery: DR, observability: { managedPrometheus: true } }, { env: { region: 'eu-central-1' } })
      .template.resourceCountIs('AWS::APS::RuleGroupsNamespace', 0);
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});
