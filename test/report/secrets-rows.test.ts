import { reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { rateMinutes } from '../../src/report/private/rows/secret-replication';

const example = synthesizeExample();
type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];
const resources = (copy: Copy) => copy.stacks.find((s) => s.name === 'ShopPlatform')!.template.Resources as Record<string, any>;
const ofType = (copy: Copy, type: string) => Object.entries(resources(copy)).filter(([, r]) => r.Type === type);
const replicator = (copy: Copy) => ofType(copy, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Environment?.Variables?.SECRET_NAME_PREFIX)!;
const replicatorStatements = (copy: Copy) => {
  const role = replicator(copy)[1].Properties.Role['Fn::GetAtt'][0];
  return ofType(copy, 'AWS::IAM::Policy').find(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === role))![1].Properties.PolicyDocument.Statement as any[];
};

describe('dr-secrets-replicated: the secrets the cluster reads are in the recovery region within the RPO', () => {
  const secrets = (mutate?: (copy: Copy) => void) => row(reportOf(example, mutate), 'dr-secrets-replicated', 'ShopPlatform');

  test('holds on the example: the prefix Argo CD and the services read, every 15 minutes, with the recovery region\'s key, paged', () => {
    const passing = secrets();
    expect(passing.status).toBe(RowStatus.PASS);
    expect(passing.arithmetic).toContain('replicates the secrets under "shop/" to eu-central-1; the cluster reads shop/*, shop/argocd/*, all under it');
    expect(passing.arithmetic).toContain('every 15 min: 5 (ListSecrets may miss the last 5 minutes) + 2 x 15 (one run may fail) = 35 min before a new secret has its replica vs RPO 60 min; CreateSecret events also start it');
    expect(passing.arithmetic).toMatch(/may list the secrets, describe and replicate those under shop\/ to eu-central-1, encrypting with the key aliased alias\/shop-secrets/);
    expect(passing.arithmetic).toMatch(/alarm \S+ notifies topic \S+ on any failed run/);
    expect(row(reportOf(example), 'dr-secrets-replicated', 'ShopPlatformStandby').status).toBe(RowStatus.NOT_APPLICABLE);
  });

  test('without the replicator it fails: the standby would find none of the secrets', () => {
    const broken = secrets((copy) => { delete resources(copy)[replicator(copy)[0]]; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.fix).toContain('replicate the secrets under the platform\'s prefix to the recovery region');
  });

  test('a replicated prefix that leaves out what External Secrets reads fails', () => {
    const broken = secrets((copy) => { replicator(copy)[1].Properties.Environment.Variables.SECRET_NAME_PREFIX = 'shop/services/'; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('shop/*, shop/argocd/* not under it');
  });

  test('an hourly schedule fails the RPO: 5 + 2 x 60 > 60', () => {
    const broken = secrets((copy) => {
      const [, schedule] = ofType(copy, 'AWS::Events::Rule').find(([, r]) => r.Properties.ScheduleExpression)!;
      schedule.Properties.ScheduleExpression = 'rate(1 hour)';
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('= 125 min before a new secret has its replica vs RPO 60 min');
    expect(broken.fix).toContain('at most 27 minutes');
  });

  test('a disabled schedule fails: the creation events alone are best effort', () => {
    const broken = secrets((copy) => { ofType(copy, 'AWS::Events::Rule').find(([, r]) => r.Properties.ScheduleExpression)![1].Properties.State = 'DISABLED'; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('no enabled rate schedule starts function');
  });

  test('a role that may not replicate, or only with another key, fails', () => {
    const noReplicate = secrets((copy) => {
      const statements = replicatorStatements(copy);
      statements.splice(statements.findIndex((s) => s.Action === 'secretsmanager:ReplicateSecretToRegions'), 1);
    });
    expect(noReplicate.status).toBe(RowStatus.FAIL);
    expect(noReplicate.fix).toContain('secretsmanager:ReplicateSecretToRegions on shop/* to eu-central-1');
    const otherKey = secrets((copy) => {
      replicatorStatements(copy).find((s) => JSON.stringify(s.Action).includes('kms:Encrypt'))!
        .Condition['ForAnyValue:StringEquals']['kms:ResourceAliases'] = 'alias/someone-else';
    });
    expect(otherKey.status).toBe(RowStatus.FAIL);
    expect(otherKey.fix).toContain('kms:GenerateDataKey with eu-central-1\'s key aliased alias/shop-secrets');
  });

  test('an alarm that notifies nobody fails: a failed replication would go unnoticed until a failover', () => {
    const broken = secrets((copy) => {
      const [, alarm] = ofType(copy, 'AWS::CloudWatch::Alarm').find(([, a]) => a.Properties.Namespace === 'AWS/Lambda')!;
      delete alarm.Properties.AlarmActions;
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('but notify no topic of the stack on every failure');
  });

  test.each([['rate(15 minutes)', 15], ['rate(1 minute)', 1], ['rate(2 hours)', 120], ['rate(1 day)', 1440], ['cron(0/15 * * * ? *)', undefined]])(
    '%s runs every %s minutes', (expression, minutes) => expect(rateMinutes(expression as string)).toBe(minutes));
});

describe('dr-resilience-hub: Resilience Hub assesses the same targets', () => {
  const hub = (mutate?: (copy: Copy) => void) => row(reportOf(example, mutate), 'dr-resilience-hub', 'ShopPlatform');
  const policy = (copy: Copy) => ofType(copy, 'AWS::ResilienceHubV2::Policy')[0][1].Properties;

  test('holds on the example: the policy\'s RPO and RTO are the recorded 60 and 60 minutes', () => {
    const passing = hub();
    expect(passing.status).toBe(RowStatus.PASS);
    expect(passing.arithmetic).toMatch(/Service \S+ assesses this stack in eu-west-1, eu-central-1/);
    expect(passing.arithmetic).toMatch(/multi-Region RPO 60 min vs the platform's 60 min.*multi-Region RTO 60 min vs the platform's 60 min/);
    expect(row(reportOf(example), 'dr-resilience-hub', 'ShopPlatformStandby').status).toBe(RowStatus.NOT_APPLICABLE);
  });

  test.each([['RPO', 'RpoInMinutes'], ['RTO', 'RtoInMinutes']])('another %s in the policy fails', (name, property) => {
    const broken = hub((copy) => { policy(copy).MultiRegion[property] = 240; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.fix).toContain(`set the policy's multi-Region ${name} to 60 minutes`);
  });

  test('no service over this stack fails, and a role Resilience Hub cannot assume too', () => {
    expect(hub((copy) => { delete resources(copy)[ofType(copy, 'AWS::ResilienceHubV2::Service')[0][0]]; }).status).toBe(RowStatus.FAIL);
    const unassumable = hub((copy) => {
      const [, service] = ofType(copy, 'AWS::ResilienceHubV2::Service')[0];
      resources(copy)[service.Properties.PermissionModel.InvokerRoleName.Ref].Properties.AssumeRolePolicyDocument.Statement[0].Principal = { Service: 'lambda.amazonaws.com' };
    });
    expect(unassumable.status).toBe(RowStatus.FAIL);
    expect(unassumable.fix).toContain('trusted by resiliencehub.amazonaws.com');
  });

  test('a primary in a region Resilience Hub is not offered in has no service, and says so', () => {
    const elsewhere = hub((copy) => {
      const stack = copy.stacks.find((s) => s.name === 'ShopPlatform')!;
      (stack as any).region = 'ap-south-2';
      delete resources(copy)[ofType(copy, 'AWS::ResilienceHubV2::Service')[0][0]];
    });
    expect(elsewhere.status).toBe(RowStatus.NOT_APPLICABLE);
    expect(elsewhere.arithmetic).toContain('not offered in ap-south-2');
  });
});
