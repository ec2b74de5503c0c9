import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RecoveryRegion, RecoveryStrategy } from '../../src';
import { onlyResource, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';

const DR = {
  rpo: Duration.hours(1),
  rto: Duration.hours(1),
  primaryRegion: 'eu-west-1',
  secondaryRegion: 'eu-central-1',
  strategy: RecoveryStrategy.PILOT_LIGHT,
  dnsFailover: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'shop.example.com', records: [{ name: 'www.shop.example.com', healthCheckPath: '/healthz' }] },
};

describe('AWS FIS drills', () => {
  const { stack, template } = synthPlatform();
  const templates = template.findResources('AWS::FIS::ExperimentTemplate');
  const byName = (name: string) => Object.values(templates).find((t: any) => t.Properties.Tags.Name === `shop-${name}`) as any;

  test('a zone outage per zone, node loss, spot interruption and system node loss', () => {
    expect(Object.values(templates).map((t: any) => t.Properties.Tags.Name).sort()).toEqual([
      'shop-node-loss', 'shop-spot-interruption', 'shop-system-node-loss',
      'shop-zone-outage-eu-west-1a', 'shop-zone-outage-eu-west-1b', 'shop-zone-outage-eu-west-1c',
    ]);
  });

  test('the zone outage cuts the private subnets of one zone for ten minutes', () => {
    expect(byName('zone-outage-eu-west-1b').Properties).toMatchObject({
      Actions: { cutZone: { ActionId: 'aws:network:disrupt-connectivity', Parameters: { duration: 'PT10M', scope: 'all' }, Targets: { Subnets: 'zoneSubnets' } } },
      Targets: {
        zoneSubnets: {
          ResourceType: 'aws:ec2:subnet',
          ResourceTags: { 'karpenter.sh/discovery': 'shop' },
          Parameters: { availabilityZoneIdentifier: 'eu-west-1b' },
          SelectionMode: 'ALL',
        },
      },
    });
  });

  test('node and spot drills take one running node of the default NodePool; the spot drill is skipped without spot nodes', () => {
    const target = { ResourceTags: { 'eks:eks-cluster-name': 'shop', 'karpenter.sh/nodepool': 'default' }, Filters: [{ Path: 'State.Name', Values: ['running'] }], SelectionMode: 'COUNT(1)' };
    expect(byName('node-loss').Properties.Targets.node).toMatchObject({ ResourceType: 'aws:ec2:instance', ...target });
    expect(byName('spot-interruption').Properties).toMatchObject({
      Actions: { interrupt: { ActionId: 'aws:ec2:send-spot-instance-interruptions', Parameters: { durationBeforeInterruption: 'PT2M' } } },
      Targets: { spotNode: { ResourceType: 'aws:ec2:spot-instance', ...target } },
      ExperimentOptions: { EmptyTargetResolutionMode: 'skip' },
    });
    expect(byName('system-node-loss').Properties.Actions.terminate).toMatchObject({
      ActionId: 'aws:eks:terminate-nodegroup-instances', Parameters: { instanceTerminationPercentage: '34' },
    });
  });

  test('every drill stops when the ALBs answer 5xx, and logs to CloudWatch', () => {
    const alarm = onlyResource(template, 'AWS::CloudWatch::Alarm', { Threshold: 50, AlarmDescription: Match.stringLikeRegexp('^Stops the shop drills') });
    expect(alarm.Properties).toMatchObject({
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      Metrics: [{ Expression: 'SELECT SUM(HTTPCode_ELB_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)', Period: 60 }],
    });
    for (const drill of Object.values(templates) as any[]) {
      expect(drill.Properties.StopConditions).toEqual([{ Source: 'aws:cloudwatch:alarm', Value: { 'Fn::GetAtt': [expect.stringMatching(/StopAlarm/), 'Arn'] } }]);
      expect(drill.Properties.LogConfiguration).toMatchObject({
        LogSchemaVersion: 2, CloudWatchLogsConfiguration: { LogGroupArn: expect.anything() },
      });
    }
  });

  test('the role may terminate only this cluster\'s nodes', () => {
    const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.includes('DrillsRole'))![1] as any;
    const terminate = policy.Properties.PolicyDocument.Statement.filter((s: any) => [s.Action].flat().includes('ec2:TerminateInstances'));
    expect(terminate.map((s: any) => s.Condition)).toEqual([
      { StringEquals: { 'aws:ResourceTag/eks:eks-cluster-name': 'shop' } },
      { StringEquals: { 'aws:ResourceTag/eks:cluster-name': 'shop', 'aws:ResourceTag/eks:nodegroup-name': expect.anything() } },
    ]);
  });

  test('the role can neither tag its way to other instances nor touch network ACLs FIS did not create, outside the cluster\'s VPC', () => {
    const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.includes('DrillsRole'))![1] as any;
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    const granting = (action: string) => statements.filter((s) => [s.Action].flat().includes(action));
    // Tags only on a network ACL while it is being created, with FIS's tag: never on an instance (whose tag gates termination).
    expect(granting('ec2:CreateTags')).toEqual([expect.objectContaining({
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':network-acl/*']] },
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl', 'aws:RequestTag/managedByFIS': 'true' } },
    })]);
    for (const action of ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl']) {
      expect(granting(action).map((s) => s.Condition)).toEqual([{
        StringEquals: { 'ec2:ResourceTag/managedByFIS': 'true' }, ArnEquals: { 'ec2:Vpc': expect.objectContaining({ 'Fn::Join': expect.anything() }) },
      }]);
    }
    // Every EC2 change is either conditioned or on this VPC by its ID: none on a whole account's resources.
    const vpcId = Object.keys(template.findResources('AWS::EC2::VPC'))[0];
    for (const statement of statements) {
      const writes = [statement.Action].flat().filter((a: string) => a.startsWith('ec2:') && !/^ec2:(Describe|Get)/.test(a));
      if (writes.length === 0) continue;
      const scopedToVpc = JSON.stringify(statement.Resource).includes(`{"Ref":"${vpcId}"}`);
      expect({ writes, guarded: statement.Condition !== undefined || scopedToVpc }).toEqual({ writes, guarded: true });
      expect(JSON.stringify(statement.Resource)).not.toMatch(/:"\]\]\}$|AccountId"\},":\*"/);
    }
    const role = Object.values<any>(template.findResources('AWS::IAM::Role')).find((r) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'fis.amazonaws.com');
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':fis:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':experiment/*']] } },
    });
  });

  test('cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });

  test('extra stop alarms, a threshold, or no drills at all', () => {
    const arn = 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:checkout-errors';
    const { template: custom } = synthPlatform({ faultInjection: { maxLoadBalancer5xxPerMinute: 10, stopConditionAlarmArns: [arn] } });
    onlyResource(custom, 'AWS::CloudWatch::Alarm', { Threshold: 10, AlarmDescription: Match.stringLikeRegexp('^Stops the shop drills') });
    for (const drill of Object.values(custom.findResources('AWS::FIS::ExperimentTemplate')) as any[]) {
      expect(drill.Properties.StopConditions[1]).toEqual({ Source: 'aws:cloudwatch:alarm', Value: arn });
    }
    synthPlatform({ faultInjection: { enabled: false } }).template.resourceCountIs('AWS::FIS::ExperimentTemplate', 0);
    expect(() => synthPlatform({ faultInjection: { stopConditionAlarmArns: ['checkout-errors'] } }))
      .toThrow(/faultInjection\.stopConditionAlarmArns\[0\] = "checkout-errors" is invalid: must be a CloudWatch alarm ARN/);
  });
});

describe('runbooks', () => {
  const { platform } = synthPlatform({ disasterRecovery: DR });
  const runbooks = platform.runbooks();

  test('AZ evacuation, failover, failback, the region drill and both restores', () => {
    expect(runbooks.map((r) => r.fileName)).toEqual(['az-evacuation.md', 'failover.md', 'failback.md', 'region-drill.md', 'restore-aws-backup.md', 'restore-velero.md']);
  });

  test('backup and restore has no standby to drill before the disaster', () => {
    const restore = { ...DR, strategy: RecoveryStrategy.BACKUP_AND_RESTORE, rto: Duration.hours(2) };
    const { platform: restored } = synthPlatform({ disasterRecovery: restore });
    expect(restored.runbooks().map((r) => r.fileName)).not.toContain('region-drill.md');
  });

  test.each(['az-evacuation.md', 'failover.md', 'failback.md', 'region-drill.md', 'restore-aws-backup.md', 'restore-velero.md'])('%s has no unresolved placeholder', (file) => {
    const { markdown } = runbooks.find((r) => r.fileName === file)!;
    expect(markdown).not.toMatch(/\$\{Token\[|undefined|TODO|TBD|<[a-z][a-z -]*>|\[object Object\]/i);
    // Every shell variable a runbook uses, it defines first (or reads from the command it runs in).
    const code = markdown.split('```').filter((_, i) => i % 2 === 1).join('\n');
    const defined = new Set([...code.matchAll(/(?:^|\s|;|for )([A-Z_]+)=|for ([A-Z_]+) in/gm)].map((m) => m[1] ?? m[2]));
    const used = [...code.matchAll(/\$([A-Z_]+)|\$\{([A-Z_]+)\}/g)].map((m) => m[1] ?? m[2]);
    expect(used.filter((name) => !defined.has(name))).toEqual([]);
  });

  test('filled with the platform\'s real names', () => {
    const text = (file: string) => runbooks.find((r) => r.fileName === file)!.markdown;
    expect(text('az-evacuation.md')).toContain('--resource-identifier "arn:aws:eks:eu-west-1:$ACCOUNT_ID:cluster/shop"');
    expect(text('az-evacuation.md')).toContain("tags.Name=='shop-zone-outage-eu-west-1a'");
    expect(text('failover.md')).toContain('shop-velero-eu-central-1-$ACCOUNT_ID');
    expect(text('failover.md')).toContain('velero.io/schedule-name"]=="services"');
    expect(text('failback.md')).toContain('--from-schedule services');
    expect(text('failover.md')).toContain('kubectl -n argocd patch application root');
    expect(text('failover.md')).toContain('--hosted-zone-id Z0123456789ABCDEFGHIJ');
    expect(text('failover.md')).toContain("plans[?name=='shop-dr']");
    expect(text('failover.md')).toContain('--step-name approve-failover');
    expect(text('failback.md')).toContain('--step-name approve-failback');
    expect(text('region-drill.md')).toContain("plans[?name=='shop-drill']");
    expect(text('restore-aws-backup.md')).toContain('VAULT=shop-backups');
    expect(text('restore-aws-backup.md')).toContain('shop-backup-copies');
  });

  test('without disaster recovery, only the AZ evacuation', () => {
    expect(synthPlatform().platform.runbooks().map((r) => r.fileName)).toEqual(['az-evacuation.md']);
  });
});

describe('RecoveryRegion', () => {
  const stack = new Stack(new App(), 'Recovery', { env: { region: 'eu-central-1' } });
  new RecoveryRegion(stack, 'Recovery', { clusterName: 'shop', primaryRegion: 'eu-west-1', retention: Duration.days(60) });
  const template = Template.fromStack(stack);

  test('the copy vault, own key, retained', () => {
    expect(onlyResource(template, 'AWS::Backup::BackupVault')).toMatchObject({ DeletionPolicy: 'Retain', Properties: { BackupVaultName: 'shop-backup-copies' } });
  });

  test('the Velero replica bucket, with the key alias the primary names', () => {
    const bucket = onlyResource(template, 'AWS::S3::Bucket');
    expect(bucket).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { BucketName: { 'Fn::Join': ['', ['shop-velero-eu-central-1-', { Ref: 'AWS::AccountId' }]] }, VersioningConfiguration: { Status: 'Enabled' } },
    });
    expect(bucket.Properties.LifecycleConfiguration.Rules.map((r: any) => [r.Prefix, r.ExpirationInDays])).toEqual([
      ['eu-west-1/backups/', 67], ['eu-central-1/backups/', 67], [undefined, undefined],
    ]);
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/shop-velero' });
  });

  test('replicated images get the primary\'s settings', () => {
    expect(onlyResource(template, 'AWS::ECR::RepositoryCreationTemplate').Properties).toMatchObject({
      Prefix: 'shop', AppliedFor: ['REPLICATION'], ImageTagMutability: 'IMMUTABLE', EncryptionConfiguration: { EncryptionType: 'AES256' },
    });
  });

  test('cdk-nag clean, and bad input named', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
    expect(() => new RecoveryRegion(stack, 'Bad', { clusterName: 'my shop', primaryRegion: 'eu-west-1' }))
      .toThrow(/RecoveryRegion at 'Recovery\/Bad': clusterName = "my shop" is invalid/);
    expect(() => new RecoveryRegion(stack, 'Bad2', { clusterName: 'shop', primaryRegion: 'Ireland' })).toThrow(/primaryRegion = "Ireland" is invalid/);
  });
});

test('a RecoveryRegion in the primary region is refused', () => {
  const stack = new Stack(new App(), 'Same', { env: { region: 'eu-west-1' } });
  expect(() => new RecoveryRegion(stack, 'Recovery', { clusterName: 'shop', primaryRegion: 'eu-west-1' }))
    .toThrow(/primaryRegion = "eu-west-1" is invalid: must differ from the region of the RecoveryRegion's stack/);
});
