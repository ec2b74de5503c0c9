import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledgeNag, wildcardResourceFindings } from './nag';
import { Decision } from '../../policy/decision';
import { SECRET_REPLICATION_ALARM, SECRET_REPLICATOR_ENVIRONMENT } from '../../policy/disaster-recovery';

/**
 * The replicator: the secrets under the prefix (or the one a CreateSecret
 * event names) that have no replica in the recovery region get one, encrypted
 * with the key the alias names there. A replica whose replication failed, or
 * a request Secrets Manager refuses, fails the run, which pages. Secrets held
 * here as replicas of another region's are left alone. ListSecrets matches
 * name prefixes case-insensitively, so the prefix is checked again.
 */
export const SECRET_REPLICATOR_CODE = [
  'const sm = require(\'@aws-sdk/client-secrets-manager\');',
  'const client = new sm.SecretsManagerClient({});',
  `const { ${SECRET_REPLICATOR_ENVIRONMENT.prefix}: prefix, ${SECRET_REPLICATOR_ENVIRONMENT.region}: region, ` +
    `${SECRET_REPLICATOR_ENVIRONMENT.keyAlias}: keyAlias, AWS_REGION: home } = process.env;`,
  'const replicaOf = async (id) => (await client.send(new sm.DescribeSecretCommand({ SecretId: id })))',
  '  .ReplicationStatus?.find((replica) => replica.Region === region);',
  '',
  'async function replicate(id) {',
  '  let replica = await replicaOf(id);',
  '  if (!replica) {',
  '    try {',
  '      await client.send(new sm.ReplicateSecretToRegionsCommand({ SecretId: id, AddReplicaRegions: [{ Region: region, KmsKeyId: keyAlias }] }));',
  '      return;',
  '    } catch (error) {',
  '      // A run started by the schedule and one started by the event may both ask.',
  '      replica = await replicaOf(id);',
  '      if (!replica) throw error;',
  '    }',
  '  }',
  '  if (replica.Status === \'Failed\') throw new Error(replica.StatusMessage ?? \'replication failed\');',
  '}',
  '',
  'async function primariesUnderPrefix() {',
  '  const ids = [];',
  '  for await (const page of sm.paginateListSecrets({ client }, { Filters: [{ Key: \'name\', Values: [prefix] }] })) {',
  '    for (const secret of page.SecretList ?? []) {',
  '      if (secret.Name.startsWith(prefix) && (!secret.PrimaryRegion || secret.PrimaryRegion === home)) ids.push(secret.ARN);',
  '    }',
  '  }',
  '  return ids;',
  '}',
  '',
  'exports.handler = async (event) => {',
  '  const created = event?.detail?.requestParameters?.name;',
  '  const ids = created ? [created] : await primariesUnderPrefix();',
  '  const failures = [];',
  '  for (const id of ids) await replicate(id).catch((error) => failures.push(`${id}: ${error.message}`));',
  '  console.log(JSON.stringify({ checked: ids.length, region, failures }));',
  '  if (failures.length > 0) throw new Error(`replication to ${region} failed: ${failures.join(\'; \')}`);',
  '};',
].join('\n');

/** Inputs of the secret replication. */
export interface SecretReplicationProps {
  readonly clusterName: string;
  readonly secretNamePrefix: string;
  /** The key the platform's secrets are encrypted with here (External Secrets' key); secrets under aws/secretsmanager need no grant. */
  readonly sourceKey: kms.IKey;
  readonly replicaRegion: string;
  /** The replica key's alias in the recovery region (RecoveryRegion creates it). */
  readonly replicaKeyAlias: string;
  /** How often the prefix is scanned, from the recovery plan. */
  readonly interval: Decision<number>;
  /** Where the replicator's failures page, unless alerting is off. */
  readonly alarmTopic?: sns.ITopic;
  readonly logRetention: logs.RetentionDays;
}

/**
 * Replicates every Secrets Manager secret under the platform's prefix to the
 * recovery region, where the standby's External Secrets reads it under the
 * same name. The users create these secrets outside the stack, so a small
 * function does it: on a schedule from the recovery plan (the bound the RPO
 * arithmetic uses) and at once on CloudTrail's CreateSecret event, which
 * EventBridge receives only when the account has a trail. Its role may only
 * replicate the prefix's secrets to the recovery region, decrypting with the
 * platform's key and encrypting with the recovery region's; its failures page.
 * Secrets Manager refuses to delete a primary secret that has replicas: its
 * replica is removed first, and the next run would bring it back unless the
 * secret is deleted (scheduled for deletion, which ListSecrets leaves out)
 * right after.
 */
export class SecretReplication extends Construct {
  public readonly function: lambda.Function;
  public readonly alarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SecretReplicationProps) {
    super(scope, id);
    const { secretNamePrefix: prefix, replicaRegion } = props;
    const home = Stack.of(this).region;
    const secrets = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${prefix}*`;
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:DescribeSecret'], resources: [secrets] }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['secretsmanager:ReplicateSecretToRegions'],
      resources: [secrets],
      conditions: { 'ForAllValues:StringEquals': { 'secretsmanager:AddReplicaRegions': [replicaRegion] } },
    }));
    // ReplicateSecretToRegions needs kms:Decrypt of the secret's key and kms:GenerateDataKey and kms:Encrypt of the replica's
    // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ReplicateSecretToRegions.html).
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [props.sourceKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
    }));
    const replicaKeys = `arn:${Aws.PARTITION}:kms:${replicaRegion}:${Aws.ACCOUNT_ID}:key/*`;
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Encrypt'],
      resources: [replicaKeys],
      conditions: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': props.replicaKeyAlias },
        // Secrets Manager encrypts the replica, from whichever of the two regions' endpoints calls KMS.
        'StringEquals': { 'kms:ViaService': [home, replicaRegion].map((region) => `secretsmanager.${region}.amazonaws.com`) },
      },
    }));

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    // The log group's ARN attribute ends in ":*": its log streams.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    this.function = new lambda.Function(this, 'Function', {
      description: `Replicates the Secrets Manager secrets under ${prefix} to ${replicaRegion}`,
      // The newest Node.js runtime aws-cdk-lib knows (cdk-nag AwsSolutions-L1); it ships the AWS SDK v3 the code requires.
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SECRET_REPLICATOR_CODE),
      timeout: Duration.minutes(5),
      role,
      logGroup,
      environment: {
        [SECRET_REPLICATOR_ENVIRONMENT.prefix]: prefix,
        [SECRET_REPLICATOR_ENVIRONMENT.region]: replicaRegion,
        [SECRET_REPLICATOR_ENVIRONMENT.keyAlias]: props.replicaKeyAlias,
      },
    });
    const target = new targets.LambdaFunction(this.function);
    new events.Rule(this, 'Schedule', {
      description: `${props.clusterName}: secrets under ${prefix} without a replica in ${replicaRegion}. Why this often: ${props.interval.reason}`,
      schedule: events.Schedule.rate(Duration.minutes(props.interval.value)),
      targets: [target],
    });
    new events.Rule(this, 'Created', {
      description: `${props.clusterName}: a secret created under ${prefix} is replicated at once (with a CloudTrail trail)`,
      eventPattern: {
        source: ['aws.secretsmanager'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['secretsmanager.amazonaws.com'],
          eventName: ['CreateSecret'],
          requestParameters: { name: [{ prefix }] },
          // A refused CreateSecret created nothing to replicate.
          errorCode: [{ exists: false }],
        },
      },
      targets: [target],
    });

    if (props.alarmTopic) {
      const rule = SECRET_REPLICATION_ALARM;
      this.alarm = new cloudwatch.Alarm(this, 'Failures', {
        alarmDescription: `${props.clusterName}: replicating the secrets under ${prefix} to ${replicaRegion} failed (its log says which and why). ` +
          `Why it pages: ${rule.reason}. See the platform runbooks.`,
        metric: this.function.metricErrors({ period: Duration.minutes(rule.periodMinutes), statistic: 'Sum' }),
        threshold: rule.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: rule.evaluationPeriods,
        datapointsToAlarm: rule.datapointsToAlarm,
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      });
      this.alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      this.alarm.addOkAction(new actions.SnsAction(props.alarmTopic));
    }

    acknowledgeNag(role, [
      ...wildcardResourceFindings(['*'], 'secretsmanager:ListSecrets has no resource-level permissions; the function lists only names under the prefix.'),
      ...wildcardResourceFindings([`arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${prefix}*`],
        'Secrets Manager appends a random suffix to every secret ARN, and the users create the secrets under the prefix: only a trailing wildcard names them.'),
      ...wildcardResourceFindings([`arn:<AWS::Partition>:kms:${replicaRegion}:<AWS::AccountId>:key/*`],
        `The replicas' key is created by the RecoveryRegion's stack in ${replicaRegion} and named by its alias: kms:ResourceAliases limits this to the key aliased ${props.replicaKeyAlias}.`),
    ]);
  }
}
