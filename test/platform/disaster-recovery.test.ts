import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RecoveryRegion, RecoveryStrategy, VaultLockMode } from '../../src';
import { VELERO_BACKUP_FAILURE_LINES, VELERO_BACKUP_FAILURE_REGEX, VELERO_ORDINARY_LINES } from '../../src/policy/velero-failure-log';
import { DEPLOY_TIME_VALUE } from '../../src/report/private/inputs';
import { helmChart, onlyResource, parseJoined, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';
import { validateManifests } from '../helpers/schema';

const DR = {
  rpo: Duration.minutes(60),
  rto: Duration.minutes(30),
  primaryRegion: 'eu-west-1',
  secondaryRegion: 'eu-central-1',
  strategy: RecoveryStrategy.PILOT_LIGHT,
  dnsFailover: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'shop.example.com', records: [{ name: 'www.shop.example.com', healthCheckPath: '/healthz' }] },
};
const standbyStack = { env: { region: 'eu-central-1' } };

function manifestsWith(template: any, kind: string): any[] {
  return Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
    .map((r: any) => parseJoined(r.Properties.Manifest)).find((m: any[]) => m.some((o) => o.kind === kind))!;
}

const join = (...parts: any[]) => ({ 'Fn::Join': ['', parts] });

describe('primary region', () => {
  const { stack, template, platform } = synthPlatform({ disasterRecovery: DR, gitOps: { repoUrl: 'https://github.com/example/gitops.git' } });

  test('the Velero bucket: customer key, versioned, private, TLS only, retained', () => {
    const bucket = onlyResource(template, 'AWS::S3::Bucket', { BucketName: join('shop-velero-eu-west-1-', { Ref: 'AWS::AccountId' }) });
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const policy = onlyResource(template, 'AWS::S3::BucketPolicy').Properties.PolicyDocument.Statement;
    expect(policy).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    ]));
  });

  test('lifecycle: backup metadata expires a week after retention, the data mover repository never by age', () => {
    const bucket = onlyResource(template, 'AWS::S3::Bucket', { BucketName: join('shop-velero-eu-west-1-', { Ref: 'AWS::AccountId' }) });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'expire-eu-west-1-backups', Prefix: 'eu-west-1/backups/', ExpirationInDays: 42, Status: 'Enabled' },
      { Id: 'noncurrent', NoncurrentVersionExpiration: { NoncurrentDays: 7 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
    ]);
  });

  test('replication to the recovery region\'s bucket, encrypted with its key, within 15 minutes (S3 Replication Time Control), whatever the RPO; deletes stay here', () => {
    const bucket = onlyResource(template, 'AWS::S3::Bucket', { BucketName: join('shop-velero-eu-west-1-', { Ref: 'AWS::AccountId' }) });
    expect(bucket.Properties.ReplicationConfiguration.Rules).toEqual([expect.objectContaining({
      Id: 'to-recovery-region',
      Status: 'Enabled',
      // A V2 rule (with a filter), whose delete markers replicate only when enabled: a delete here leaves the copy.
      Filter: { Prefix: '' },
      DeleteMarkerReplication: { Status: 'Disabled' },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      Destination: expect.objectContaining({
        Bucket: join('arn:', { Ref: 'AWS::Partition' }, ':s3:::shop-velero-eu-central-1-', { Ref: 'AWS::AccountId' }),
        EncryptionConfiguration: { ReplicaKmsKeyID: join('arn:', { Ref: 'AWS::Partition' }, ':kms:eu-central-1:', { Ref: 'AWS::AccountId' }, ':alias/shop-velero') },
        ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
        Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
      }),
    })]);
    // Whatever the RPO: its arithmetic counts on the 15-minute bound.
    const { template: daily } = synthPlatform({ disasterRecovery: { ...DR, rpo: Duration.days(2), strategy: RecoveryStrategy.PILOT_LIGHT } });
    const slow = onlyResource(daily, 'AWS::S3::Bucket', { BucketName: join('shop-velero-eu-west-1-', { Ref: 'AWS::AccountId' }) });
    expect(slow.Properties.ReplicationConfiguration.Rules[0].Destination.ReplicationTime).toEqual({ Status: 'Enabled', Time: { Minutes: 15 } });
  });

  test('Velero\'s writes of the services backups page when they stop for longer than the RPO arithmetic allows, without Prometheus', () => {
    const bucket = Object.entries<any>(template.findResources('AWS::S3::Bucket')).find(([, b]) => b.Properties.ReplicationConfiguration)!;
    expect(bucket[1].Properties.MetricsConfigurations).toEqual([{ Id: 'velero-services-backups', Prefix: 'eu-west-1/backups/services-' }]);
    const alarm = onlyResource(template, 'AWS::CloudWatch::Alarm', { MetricName: 'PutRequests' }).Properties;
    // Every 15 minutes, one run may be missed, 15 minutes of upload: 45 minutes without a write are allowed, ten 5-minute periods are not.
    expect(alarm).toMatchObject({
      Namespace: 'AWS/S3',
      Dimensions: expect.arrayContaining([{ Name: 'BucketName', Value: { Ref: bucket[0] } }, { Name: 'FilterId', Value: 'velero-services-backups' }]),
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 10,
      DatapointsToAlarm: 10,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: expect.stringMatching(/AlertingTopic/) }],
    });
    expect(alarm.AlarmDescription).toContain('shop: Velero writes to the backups of schedule services below 1 in 10 of 10 periods of 5 min');
    expect(alarm.AlarmDescription).toContain('2 x 15 + 15 upload = 45 minutes without a write is still within the RPO arithmetic; 50 minutes is not');
    expect(platform.alarms.VeleroBackupsMissing).toBeDefined();
  });

  test('a Velero backup that fails or partially fails pages from the Velero server\'s log lines, without Prometheus', () => {
    const [filterId, filter] = Object.entries<any>(template.findResources('AWS::Logs::MetricFilter'))[0];
    expect(filter.Properties).toEqual({
      LogGroupName: '/aws/containerinsights/shop/application',
      FilterPattern: `{ ($.kubernetes.namespace_name = "velero") && ($.kubernetes.container_name = "velero") && ($.log = %${VELERO_BACKUP_FAILURE_REGEX}%) }`,
      MetricTransformations: [{ MetricNamespace: 'ResilientEks/shop', MetricName: 'VeleroBackupFailureLines', MetricValue: '1' }],
    });
    // The group exists (with its retention) before the filter is put on it.
    expect(filter.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/ContainerInsightsapplication/)]));
    const alarm = onlyResource(template, 'AWS::CloudWatch::Alarm', { MetricName: 'VeleroBackupFailureLines' }).Properties;
    expect(alarm).toMatchObject({
      Namespace: 'ResilientEks/shop',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: expect.stringMatching(/AlertingTopic/) }],
    });
    expect(filterId).toMatch(/VeleroFailureLines/);
    // Each failure line Velero writes matches, and no line of a backup that completes: the same regex CloudWatch evaluates.
    const regex = new RegExp(VELERO_BACKUP_FAILURE_REGEX);
    for (const line of VELERO_BACKUP_FAILURE_LINES) expect({ line, matches: regex.test(line) }).toEqual({ line, matches: true });
    for (const line of VELERO_ORDINARY_LINES) expect({ line, matches: regex.test(line) }).toEqual({ line, matches: false });
    // Only what CloudWatch's regex subset accepts: letters, digits, :_#=@/;,- and ^$?[]{}|\*+. (no spaces, no parentheses).
    expect(VELERO_BACKUP_FAILURE_REGEX).toMatch(/^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]+$/);
  });

  test('without Container Insights no log is shipped, so no log alarm is made', () => {
    const { template: bare } = synthPlatform({ disasterRecovery: DR, observability: { containerInsights: false } });
    expect(Object.keys(bare.findResources('AWS::Logs::MetricFilter'))).toEqual([]);
  });

  test('Velero\'s Pod Identity role reaches its bucket and key, and reads the recovery region\'s prefix for failback: no EC2, no other bucket', () => {
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'velero', ServiceAccount: 'velero' });
    const role = Object.entries(template.findResources('AWS::IAM::Policy'))
      .find(([id]) => id.includes('VeleroRole'))![1] as any;
    const statements: any[] = role.Properties.PolicyDocument.Statement;
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect([...new Set(actions)].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject',
      's3:ListBucket', 's3:ListMultipartUploadParts', 's3:PutObject']);
    // On the replica bucket: list it and read the recovery region's prefix, never write.
    const onReplica = statements.filter((s) => JSON.stringify(s.Resource).includes('shop-velero-eu-central-1-'));
    expect(onReplica.flatMap((s) => [s.Action].flat()).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(JSON.stringify(onReplica.find((s) => s.Action === 's3:GetObject').Resource)).toContain('/eu-central-1/*');
    const replicaKey = statements.find((s) => s.Condition?.['ForAnyValue:StringEquals']?.['kms:ResourceAliases'] === 'alias/shop-velero');
    expect(replicaKey.Action).toBe('kms:Decrypt');
    expect(platform.veleroRole).toBeDefined();
  });

  test('the pinned chart: AWS plugin, Pod Identity, CSI snapshots whose data the node agents move', () => {
    const { properties, values } = helmChart(template, 'velero');
    expect(properties).toMatchObject({ Version: '12.2.1', Repository: 'https://vmware-tanzu.github.io/helm-charts', Namespace: 'velero' });
    expect(values).toMatchObject({
      initContainers: [{ name: 'velero-plugin-for-aws', image: 'velero/velero-plugin-for-aws:v1.14.3' }],
      credentials: { useSecret: false },
      snapshotsEnabled: false,
      deployNodeAgent: true,
      configuration: {
        features: 'EnableCSI',
        defaultSnapshotMoveData: true,
        backupStorageLocation: [{
          name: 'default',
          provider: 'aws',
          bucket: DEPLOY_TIME_VALUE,
          prefix: 'eu-west-1',
          default: true,
          accessMode: 'ReadWrite',
          config: { region: 'eu-west-1', kmsKeyId: DEPLOY_TIME_VALUE },
        }, {
          // Failback restores what the recovery region wrote while it served.
          name: 'recovery',
          provider: 'aws',
          bucket: `shop-velero-eu-central-1-${DEPLOY_TIME_VALUE}`,
          prefix: 'eu-central-1',
          default: false,
          accessMode: 'ReadOnly',
          config: { region: 'eu-central-1' },
        }],
      },
    });
  });

  test('two schedules at the RPO: the services\' namespaces (what failover restores) and the platform\'s own objects; every object schema-valid', () => {
    const objects = manifestsWith(template, 'Schedule');
    validateManifests(objects);
    const schedule = (name: string) => objects.find((o) => o.kind === 'Schedule' && o.metadata.name === name);
    const common = { schedule: '*/15 * * * *', paused: false, useOwnerReferencesInBackup: false };
    const data = { snapshotVolumes: true, snapshotMoveData: true, storageLocation: 'default', itemOperationTimeout: '15m', ttl: '840h0m0s' };
    expect(schedule('services').spec).toEqual({
      ...common,
      template: {
        includedNamespaces: ['*'],
        excludedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease', 'velero', 'argocd', 'istio-system', 'external-secrets', 'external-dns', 'amazon-cloudwatch'],
        // No includeClusterResources: Velero then takes only the cluster objects the services' objects need (their volumes).
        ...data,
      },
    });
    expect(schedule('platform').spec).toEqual({
      ...common,
      template: { includedNamespaces: ['argocd', 'istio-system', 'external-secrets', 'external-dns', 'amazon-cloudwatch'], includeClusterResources: true, ...data },
    });
    expect(objects.find((o) => o.kind === 'VolumeSnapshotClass')).toMatchObject({
      driver: 'ebs.csi.aws.com', deletionPolicy: 'Delete', metadata: { labels: { 'velero.io/csi-volumesnapshot-class': 'true' } },
    });
  });

  test('service images replicate to the recovery region', () => {
    expect(onlyResource(template, 'AWS::ECR::ReplicationConfiguration').Properties.ReplicationConfiguration).toEqual({
      Rules: [{ Destinations: [{ Region: 'eu-central-1', RegistryId: { Ref: 'AWS::AccountId' } }], RepositoryFilters: [{ Filter: 'shop', FilterType: 'PREFIX_MATCH' }] }],
    });
  });

  test('ExternalDNS may change the one hosted zone and owns its records per cluster and region', () => {
    const { properties, values } = helmChart(template, 'external-dns');
    expect(properties).toMatchObject({ Version: '1.22.0' });
    expect(values).toMatchObject({
      provider: { name: 'aws' },
      sources: ['ingress'],
      domainFilters: ['shop.example.com'],
      policy: 'sync',
      txtOwnerId: 'shop-eu-west-1',
      extraArgs: ['--zone-id-filter=Z0123456789ABCDEFGHIJ', '--aws-zone-type=public', '--ignore-ingress-rules-spec', '--ignore-ingress-tls-spec'],
    });
    expect(values.replicaCount).toBeUndefined();
    const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.includes('ExternalDnsRole'))![1] as any;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
        Resource: join('arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/Z0123456789ABCDEFGHIJ'),
      }),
      expect.objectContaining({ Action: 'route53:ListHostedZones', Resource: '*' }),
    ]);
  });

  test('the cluster secret tells Git manifests which side this is', () => {
    const secret = manifestsWith(template, 'Secret').find((o) => o.kind === 'Secret');
    expect(secret.metadata.annotations).toMatchObject({
      recovery_region_role: 'primary', recovery_strategy: 'pilot-light', recovery_standby_capacity: 'minimal',
    });
    const root = manifestsWith(template, 'Application').find((o) => o.kind === 'Application');
    expect(root.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
  });

  test('cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

describe('standby region: the same options, the stack in the secondary region', () => {
  const { stack, template } = synthPlatform({
    disasterRecovery: DR,
    services: ['cart'],
    gitOps: { repoUrl: 'https://github.com/example/gitops.git' },
    availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
  }, standbyStack);

  test('Velero reads the whole replica bucket but writes only its own prefix: the primary\'s replicated backups stay the only copy', () => {
    const role = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.includes('VeleroRole'))![1] as any;
    const writes = role.Properties.PolicyDocument.Statement.filter((s: any) => [s.Action].flat().includes('s3:PutObject'));
    expect(writes).toHaveLength(1);
    expect([writes[0].Action].flat()).toContain('s3:DeleteObject');
    expect(JSON.stringify(writes[0].Resource)).toContain('/eu-central-1/*');
  });

  test('no backup plan, no replication, no repositories of its own: it receives them; its paused schedules page nothing', () => {
    template.resourceCountIs('AWS::Backup::BackupPlan', 0);
    expect(Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.Namespace === 'AWS/S3')).toEqual([]);
    template.resourceCountIs('AWS::ECR::ReplicationConfiguration', 0);
    template.resourceCountIs('AWS::ECR::Repository', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
  });

  test('Velero reads the primary\'s replicated backups and writes its own beside them, schedule paused', () => {
    const { values } = helmChart(template, 'velero');
    expect(values.configuration.backupStorageLocation).toEqual([
      {
        name: 'default',
        provider: 'aws',
        bucket: `shop-velero-eu-central-1-${DEPLOY_TIME_VALUE}`,
        prefix: 'eu-central-1',
        default: true,
        accessMode: 'ReadWrite',
        config: { region: 'eu-central-1', kmsKeyId: 'alias/shop-velero' },
      },
      { name: 'primary', provider: 'aws', bucket: `shop-velero-eu-central-1-${DEPLOY_TIME_VALUE}`, prefix: 'eu-west-1', default: false, accessMode: 'ReadOnly', config: { region: 'eu-central-1' } },
    ]);
    const schedule = manifestsWith(template, 'Schedule').find((o) => o.kind === 'Schedule');
    expect(schedule.spec.paused).toBe(true);
  });

  test('a pilot-light standby waits for an operator\'s sync before its services start', () => {
    const root = manifestsWith(template, 'Application').find((o) => o.kind === 'Application');
    expect(root.spec.syncPolicy.automated).toBeUndefined();
    expect(root.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
    const secret = manifestsWith(template, 'Secret').find((o) => o.kind === 'Secret');
    expect(secret.metadata.annotations).toMatchObject({ recovery_region_role: 'standby' });
    expect(helmChart(template, 'external-dns').values.txtOwnerId).toBe('shop-eu-central-1');
  });

  test('a warm standby serves at once', () => {
    const { template: warm } = synthPlatform({
      disasterRecovery: { ...DR, rto: Duration.minutes(15), strategy: RecoveryStrategy.WARM_STANDBY },
      gitOps: { repoUrl: 'https://github.com/example/gitops.git' },
      availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
    }, standbyStack);
    expect(manifestsWith(warm, 'Application').find((o) => o.kind === 'Application').spec.syncPolicy.automated).toBeDefined();
  });

  test('cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

test.each([
  [{ dnsFailover: { ...DR.dnsFailover, hostedZoneId: 'shop.example.com' } }, /disasterRecovery\.dnsFailover\.hostedZoneId = "shop\.example\.com" is invalid: must be a Route 53 hosted zone ID/],
  [{ dnsFailover: { ...DR.dnsFailover, zoneName: 'Shop.example.com.' } }, /disasterRecovery\.dnsFailover\.zoneName = "Shop\.example\.com\." is invalid/],
  [{ dnsFailover: undefined, strategy: RecoveryStrategy.WARM_STANDBY, rto: Duration.minutes(15) },
    /disasterRecovery\.dnsFailover = undefined is invalid: must be set for warm-standby: its RTO \(10 minutes at best\) counts on Route 53.*Fix: set dnsFailover: \{ hostedZoneId, zoneName, records/],
  [{ dnsFailover: { ...DR.dnsFailover, records: [] } }, /disasterRecovery\.dnsFailover\.records = \[\] is invalid: must name at least one public name/],
])('rejects %o', (change, message) => {
  expect(() => synthPlatform({ disasterRecovery: { ...DR, ...change } })).toThrow(message);
});

test('an environment-agnostic stack cannot tell primary from standby', () => {
  expect(() => synthPlatform({ disasterRecovery: DR, availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] }, {}))
    .toThrow(/disasterRecovery = "stack region \(not set\)" is invalid: .*Fix: set env: \{ region: 'eu-west-1' \}/);
});

describe('RecoveryRegion: the copies are locked like the backups, restored every week where a recovery would restore them, and a failure pages', () => {
  const recoveryRegion = (props: Partial<ConstructorParameters<typeof RecoveryRegion>[2]> = {}) => {
    const stack = new Stack(new App(), 'Recovery', { env: { region: 'eu-central-1' } });
    new RecoveryRegion(stack, 'Recovery', { clusterName: 'shop', primaryRegion: 'eu-west-1', ...props });
    return { stack, template: Template.fromStack(stack) };
  };
  const { stack, template } = recoveryRegion({ alarmEmailAddresses: ['oncall@shop.example.com'] });

  test('the copy vault is locked in governance mode by default, in compliance mode when asked, not at all with NONE', () => {
    expect(onlyResource(template, 'AWS::Backup::BackupVault').Properties.LockConfiguration).toEqual({ MinRetentionDays: 7 });
    const compliance = recoveryRegion({ vaultLock: VaultLockMode.COMPLIANCE }).template;
    expect(onlyResource(compliance, 'AWS::Backup::BackupVault').Properties.LockConfiguration).toEqual({ MinRetentionDays: 7, ChangeableForDays: 3 });
    const none = recoveryRegion({ vaultLock: VaultLockMode.NONE, retention: Duration.days(3) }).template;
    expect(onlyResource(none, 'AWS::Backup::BackupVault').Properties.LockConfiguration).toBeUndefined();
  });

  test('a lock that would fail every copy is rejected', () => {
    expect(() => recoveryRegion({ retention: Duration.days(5) })).toThrow(
      /RecoveryRegion at 'Recovery\/Recovery': vaultLock = "governance" is invalid: locks vault shop-backup-copies with a minimum retention of 7 days, and its copy job keeps recovery points 5 days.*Fix: keep backups 7 days or more \(retention\), or set vaultLock to VaultLockMode\.NONE/);
  });

  test('a weekly restore test of the copy vault\'s latest EBS copies, with its own role', () => {
    expect(onlyResource(template, 'AWS::Backup::RestoreTestingPlan').Properties).toMatchObject({
      RestoreTestingPlanName: 'restore_test_shop_copies',
      ScheduleExpression: 'cron(0 5 ? * SUN *)',
      RecoveryPointSelection: { Algorithm: 'LATEST_WITHIN_WINDOW', IncludeVaults: [{ 'Fn::GetAtt': [expect.stringMatching(/RecoveryVault/), 'BackupVaultArn'] }] },
    });
    const selection = onlyResource(template, 'AWS::Backup::RestoreTestingSelection').Properties;
    // The vault holds only this platform's copies; the tag is on volumes of the other region.
    expect(selection).toMatchObject({ RestoreTestingPlanName: 'restore_test_shop_copies', ProtectedResourceType: 'EBS', ProtectedResourceArns: ['*'] });
    expect(selection.ProtectedResourceConditions).toBeUndefined();
    expect(selection.IamRoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/RestoreTestingRole/), 'Arn'] });
  });

  test('a failed restore test pages through this region\'s encrypted topic', () => {
    const alarm = onlyResource(template, 'AWS::CloudWatch::Alarm').Properties;
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Backup',
      MetricName: 'NumberOfRestoreJobsFailed',
      Dimensions: [{ Name: 'ResourceType', Value: 'EBS' }],
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: expect.stringMatching(/AlarmsTopic/) }],
      OKActions: [{ Ref: expect.stringMatching(/AlarmsTopic/) }],
    });
    expect(onlyResource(template, 'AWS::SNS::Topic').Properties).toMatchObject({
      DisplayName: 'shop recovery region alarms', KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/AlarmsKey/), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@shop.example.com' });
    expect(() => recoveryRegion({ alarmEmailAddresses: ['oncall'] })).toThrow(/alarmEmailAddresses\[0\] = "oncall" is invalid/);
  });

  test('cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});
