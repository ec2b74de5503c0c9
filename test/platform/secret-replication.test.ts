import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SHOP_DISASTER_RECOVERY as DR } from '../../examples/platform/platform-stack';
import { RecoveryRegion } from '../../src';
import { SECRET_REPLICATOR_CODE } from '../../src/platform/private/secret-replication';
import { secretReplicationInterval, recoveryPlan, worstSecretReplicaDelayMinutes } from '../../src/policy/disaster-recovery';
import { onlyResource, parseJoined, synthPlatform } from '../helpers/platform';

const gitOps = { repoUrl: 'https://github.com/example/gitops.git', repositoryCredentialsSecret: 'shop/argocd/repository' };
const join = (...parts: any[]) => ({ 'Fn::Join': ['', parts] });
const secretsUnder = (prefix: string) =>
  join('arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:secret:${prefix}`);

/** The statements of the IAM policy attached to a role whose logical ID contains `roleId`. */
function statementsOf(template: Template, roleId: string): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy: any) => policy.Properties.Roles.some((role: any) => role.Ref.includes(roleId)));
  return policies.flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
}

function manifestObjects(template: Template): any[] {
  return Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).flatMap((r: any) => parseJoined(r.Properties.Manifest));
}

describe('primary: every secret under the prefix gets a replica in the recovery region', () => {
  const { template } = synthPlatform({ disasterRecovery: DR, gitOps });
  const fn = onlyResource(template, 'AWS::Lambda::Function', { Environment: { Variables: { SECRET_NAME_PREFIX: 'shop/' } } });
  const [fnId] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, r]) => r === fn) ?? [];

  test('a Node.js function with inline code, told the prefix, the recovery region and the replica key\'s alias', () => {
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Code: { ZipFile: SECRET_REPLICATOR_CODE },
      Environment: { Variables: { SECRET_NAME_PREFIX: 'shop/', REPLICA_REGION: 'eu-central-1', REPLICA_KEY_ALIAS: 'alias/shop-secrets' } },
    });
    // CloudFormation takes at most 4096 characters of inline code.
    expect(SECRET_REPLICATOR_CODE.length).toBeLessThan(4096);
  });

  test('runs every backup interval and on CloudTrail\'s CreateSecret event for names under the prefix', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((rule: any) => rule.Properties.Targets?.some(
      (t: any) => t.Arn?.['Fn::GetAtt']?.[0] === fnId));
    expect(rules.map((rule: any) => rule.Properties.ScheduleExpression).filter(Boolean)).toEqual(['rate(15 minutes)']);
    expect(rules.map((rule: any) => rule.Properties.EventPattern).filter(Boolean)).toEqual([{
      'source': ['aws.secretsmanager'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['secretsmanager.amazonaws.com'],
        eventName: ['CreateSecret'],
        requestParameters: { name: [{ prefix: 'shop/' }] },
        errorCode: [{ exists: false }],
      },
    }]);
  });

  test('its role may replicate the prefix\'s secrets to the recovery region only, decrypting with the platform\'s key and encrypting with the replica key', () => {
    const role = fn.Properties.Role['Fn::GetAtt'][0];
    expect(statementsOf(template, role)).toEqual([
      { Action: 'secretsmanager:ListSecrets', Effect: 'Allow', Resource: '*' },
      { Action: 'secretsmanager:DescribeSecret', Effect: 'Allow', Resource: secretsUnder('shop/*') },
      {
        Action: 'secretsmanager:ReplicateSecretToRegions',
        Effect: 'Allow',
        Resource: secretsUnder('shop/*'),
        Condition: { 'ForAllValues:StringEquals': { 'secretsmanager:AddReplicaRegions': ['eu-central-1'] } },
      },
      {
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PlatformExternalSecretsKey/), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': join('secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com') } },
      },
      {
        Action: ['kms:GenerateDataKey', 'kms:Encrypt'],
        Effect: 'Allow',
        Resource: join('arn:', { Ref: 'AWS::Partition' }, ':kms:eu-central-1:', { Ref: 'AWS::AccountId' }, ':key/*'),
        Condition: {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/shop-secrets' },
          'StringEquals': { 'kms:ViaService': ['secretsmanager.eu-west-1.amazonaws.com', 'secretsmanager.eu-central-1.amazonaws.com'] },
        },
      },
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] } },
    ]);
    expect(template.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: expect.anything() } })).not.toHaveProperty(role);
  });

  test('a failed run pages through the alarm topic, and its recovery too', () => {
    const alarm = onlyResource(template, 'AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda' });
    const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    expect(alarm.Properties).toMatchObject({
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    });
  });
});

describe('standby: External Secrets reads the replicas, in its own region, under the same names', () => {
  const { template: primary } = synthPlatform({ disasterRecovery: DR, gitOps });
  const { template: standby } = synthPlatform({ disasterRecovery: DR, gitOps, availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'] },
    { env: { region: 'eu-central-1' } });

  test('no replicator in the standby: the primary\'s replicas are read-only there', () => {
    expect(Object.values(standby.findResources('AWS::Lambda::Function')).filter((f: any) => f.Properties.Environment?.Variables?.SECRET_NAME_PREFIX))
      .toEqual([]);
  });

  test('each region\'s stores read their own region; both regions\' readers and ExternalSecrets name the same secrets', () => {
    const stores = (template: Template) => manifestObjects(template).filter((o) => o.kind === 'ClusterSecretStore')
      .map((store) => [store.metadata.name, store.spec.provider.aws.region]);
    expect(stores(primary)).toEqual([['aws-secrets-manager', 'eu-west-1'], ['argocd-repository', 'eu-west-1']]);
    expect(stores(standby)).toEqual([['aws-secrets-manager', 'eu-central-1'], ['argocd-repository', 'eu-central-1']]);
    const remoteKeys = (template: Template) => manifestObjects(template).filter((o) => o.kind === 'ExternalSecret')
      .flatMap((secret) => [...(secret.spec.data ?? []), ...(secret.spec.dataFrom ?? [])].map((ref: any) => ref.remoteRef?.key ?? ref.extract?.key));
    expect(remoteKeys(primary)).toEqual(['shop/argocd/repository']);
    expect(remoteKeys(standby)).toEqual(remoteKeys(primary));
    const readable = (template: Template) => ['ServicesReader', 'ArgoCdReader'].map((reader) =>
      statementsOf(template, reader).find((s) => s.Action.includes('secretsmanager:GetSecretValue') && s.Effect === 'Allow').Resource);
    expect(readable(primary)).toEqual([secretsUnder('shop/*'), secretsUnder('shop/argocd/*')]);
    expect(readable(standby)).toEqual(readable(primary));
  });

  test('the standby\'s readers decrypt with the recovery region\'s key, found by its alias, through Secrets Manager only', () => {
    for (const reader of ['ServicesReader', 'ArgoCdReader']) {
      expect(statementsOf(standby, reader)).toContainEqual({
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: join('arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':key/*'),
        Condition: {
          'StringEquals': { 'kms:ViaService': join('secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com') },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/shop-secrets' },
        },
      });
      expect(statementsOf(primary, reader).filter((s) => JSON.stringify(s).includes('kms:ResourceAliases'))).toEqual([]);
    }
  });
});

test('the recovery region holds the replicas\' key: customer-managed, rotated, retained, aliased alias/<cluster>-secrets', () => {
  const stack = new Stack(new App(), 'Recovery', { env: { region: 'eu-central-1' } });
  new RecoveryRegion(stack, 'RecoveryRegion', { clusterName: 'shop', primaryRegion: 'eu-west-1' });
  const template = Template.fromStack(stack);
  const alias = onlyResource(template, 'AWS::KMS::Alias', { AliasName: 'alias/shop-secrets' });
  const key = template.toJSON().Resources[alias.Properties.TargetKeyId['Fn::GetAtt'][0]];
  expect(key).toMatchObject({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  expect(alias.DeletionPolicy).toBe('Retain');
});

test('the schedule is the backup interval, and a new secret\'s replica waits at most the listing lag and two intervals', () => {
  const plan = (rpoMinutes: number) => recoveryPlan({ rpoMinutes, rtoMinutes: 120, strategy: 'backup-and-restore' },
    { rpo: 'rpo', rto: 'rto', strategy: 'strategy', retention: 'retention' });
  expect(secretReplicationInterval(plan(60))).toEqual({
    value: 15,
    reason: 'every 15 minutes, as the backups: a new secret has its replica within 5 (listing lag) + 2 x 15 (one run may fail) = 35 minutes',
  });
  for (const rpo of [60, 90, 150, 24 * 60, 3 * 24 * 60]) {
    expect(worstSecretReplicaDelayMinutes(secretReplicationInterval(plan(rpo)).value)).toBeLessThanOrEqual(rpo);
  }
});

/** Runs the function's inline code against a Secrets Manager that holds `secrets`, recording the replications it asks for. */
async function runReplicator(secrets: Array<{ Name: string; PrimaryRegion?: string; replica?: { Status: string; StatusMessage?: string } }>,
  event: any = { 'detail-type': 'Scheduled Event' }, refuse = false) {
  const requested: any[] = [];
  const described: string[] = [];
  const find = (id: string) => secrets.find((s) => s.Name === id || `arn:${s.Name}` === id)!;
  class Command { constructor(readonly input: any) {} }
  const sdk = {
    DescribeSecretCommand: class extends Command {},
    ReplicateSecretToRegionsCommand: class extends Command {},
    SecretsManagerClient: class {
      async send(command: any) {
        const secret = find(command.input.SecretId);
        if (command instanceof sdk.DescribeSecretCommand) {
          described.push(command.input.SecretId);
          return { ReplicationStatus: secret.replica ? [{ Region: 'eu-central-1', ...secret.replica }] : undefined };
        }
        requested.push(command.input);
        if (refuse) {
          secret.replica = { Status: 'InProgress' };
          throw new Error('already replicating');
        }
        return {};
      }
    },
    async *paginateListSecrets(_config: any, input: any) {
      expect(input).toEqual({ Filters: [{ Key: 'name', Values: ['shop/'] }] });
      yield { SecretList: secrets.slice(0, 2).map(({ Name, PrimaryRegion }) => ({ ARN: `arn:${Name}`, Name, PrimaryRegion })) };
      yield { SecretList: secrets.slice(2).map(({ Name, PrimaryRegion }) => ({ ARN: `arn:${Name}`, Name, PrimaryRegion })) };
    },
  };
  const module = { exports: {} as any };
  const env = { SECRET_NAME_PREFIX: 'shop/', REPLICA_REGION: 'eu-central-1', REPLICA_KEY_ALIAS: 'alias/shop-secrets', AWS_REGION: 'eu-west-1' };
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'exports', 'process', SECRET_REPLICATOR_CODE)(() => sdk, module.exports, { env });
  try {
    const outcome = await module.exports.handler(event).then(() => undefined, (error: Error) => error.message);
    return { requested, described, outcome };
  } finally {
    log.mockRestore();
  }
}

describe('the replicator\'s code', () => {
  test('asks for a replica, encrypted with the aliased key, of each primary secret under the prefix that has none', async () => {
    const run = await runReplicator([
      { Name: 'shop/cart/db' },
      { Name: 'shop/argocd/repository', replica: { Status: 'InSync' } },
      { Name: 'shop/payments/key', PrimaryRegion: 'eu-west-1' },
      { Name: 'shop/imported', PrimaryRegion: 'us-east-1' },
      { Name: 'Shop/other-team' },
      { Name: 'shop/new', replica: { Status: 'InProgress' } },
    ]);
    expect(run.outcome).toBeUndefined();
    expect(run.requested).toEqual([
      { SecretId: 'arn:shop/cart/db', AddReplicaRegions: [{ Region: 'eu-central-1', KmsKeyId: 'alias/shop-secrets' }] },
      { SecretId: 'arn:shop/payments/key', AddReplicaRegions: [{ Region: 'eu-central-1', KmsKeyId: 'alias/shop-secrets' }] },
    ]);
  });

  test('a replica whose replication failed fails the run (which pages) with its reason, after handling the others', async () => {
    const run = await runReplicator([
      { Name: 'shop/cart/db', replica: { Status: 'Failed', StatusMessage: 'A secret with this name already exists in this region' } },
      { Name: 'shop/orders/db' },
    ]);
    expect(run.outcome).toBe('replication to eu-central-1 failed: arn:shop/cart/db: A secret with this name already exists in this region');
    expect(run.requested.map((r) => r.SecretId)).toEqual(['arn:shop/orders/db']);
  });

  test('a CreateSecret event replicates the secret it names, without waiting for the listing', async () => {
    const run = await runReplicator([{ Name: 'shop/cart/db' }, { Name: 'shop/orders/db' }],
      { 'detail-type': 'AWS API Call via CloudTrail', 'detail': { eventName: 'CreateSecret', requestParameters: { name: 'shop/orders/db' } } });
    expect(run.described).toEqual(['shop/orders/db']);
    expect(run.requested.map((r) => r.SecretId)).toEqual(['shop/orders/db']);
  });

  test('a request refused because another run already asked is no failure', async () => {
    const run = await runReplicator([{ Name: 'shop/cart/db' }], undefined, true);
    expect(run.requested).toHaveLength(1);
    expect(run.outcome).toBeUndefined();
  });
});
