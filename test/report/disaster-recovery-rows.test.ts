import { changeTemplateObject, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { cronIntervalMinutes, scheduleExpressionIntervalMinutes } from '../../src/report/private/data-age';

describe('dr-restore-scope: what failover restores cannot reach the objects each region owns', () => {
  const example = synthesizeExample();
  type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];
  const services = (change: (schedule: any) => void) => (copy: Copy) =>
    changeTemplateObject(copy.stacks.find((s) => s.name === 'ShopPlatform')!, 'Schedule', 'services', change);

  test('passes in both regions of the example', () => {
    const report = reportOf(example);
    for (const stack of ['ShopPlatform', 'ShopPlatformStandby']) {
      const scope = row(report, 'dr-restore-scope', stack);
      expect(scope.status).toBe(RowStatus.PASS);
      expect(scope.arithmetic).toMatch(/Schedule\/services leaves out all \d+ namespaces the platform installs into/);
    }
  });

  test('a services schedule that reaches argocd fails: Argo CD\'s cluster secret names this region', () => {
    const broken = row(reportOf(example, services((s) => {
      s.spec.template.excludedNamespaces = s.spec.template.excludedNamespaces.filter((ns: string) => ns !== 'argocd');
    })), 'dr-restore-scope', 'ShopPlatform');
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.fix).toContain('exclude argocd from Schedule/services');
  });

  test('a services schedule with every cluster-scoped object fails: the NodeClass would carry this region\'s node role', () => {
    const broken = row(reportOf(example, services((s) => { s.spec.template.includeClusterResources = true; })), 'dr-restore-scope', 'ShopPlatform');
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.fix).toContain('remove includeClusterResources: true');
  });

  test('no schedule marked as restored across regions fails: nothing says what failover restores', () => {
    const broken = row(reportOf(example, services((s) => { delete s.metadata.labels; })), 'dr-restore-scope', 'ShopPlatform');
    expect(broken.status).toBe(RowStatus.FAIL);
  });
});

describe('dr-rpo: no data store\'s copy in the recovery region is older than the RPO', () => {
  const example = synthesizeExample();
  type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];
  const primary = (copy: Copy) => copy.stacks.find((s) => s.name === 'ShopPlatform')!;
  const services = (change: (schedule: any) => void) => (copy: Copy) => changeTemplateObject(primary(copy), 'Schedule', 'services', change);
  const rpo = (mutate?: (copy: Copy) => void) => row(reportOf(example, mutate), 'dr-rpo', 'ShopPlatform');
  const store = (arithmetic: string, name: string) => arithmetic.split(/; (?=[✓✗] )/).find((check) => check.slice(2).startsWith(name))!;
  const velero = 'Velero Schedule/services every 15 min: 2 x 15 (one run may be missed) + 15 upload (itemOperationTimeout 15m) + 15 replication (S3 RTC) = 60 min';

  test('holds on the example for every store, each as fresh as its freshest copy: Velero within the hour, AWS Backup shown as the second line', () => {
    const passing = rpo();
    expect(passing.status).toBe(RowStatus.PASS);
    const objects = store(passing.arithmetic, 'cluster objects');
    expect(objects).toMatch(/^✓ /);
    expect(objects).toContain(velero);
    expect(objects).toContain('AWS Backup rule snapshots (the EKS cluster) 60 interval + 60 start window + 240 completion = 360 min in eu-west-1, ' +
      '+ a copy to eu-central-1 with no documented time bound = no bound');
    expect(objects).toMatch(/worst case \(the freshest copy\) 60 min vs RPO 60 min$/);
    const volumes = store(passing.arithmetic, 'persistent volumes');
    expect(volumes).toContain(velero);
    expect(volumes).toContain('AWS Backup rule snapshots (tagged EBS volumes) 60 interval');
    expect(volumes).toMatch(/worst case \(the freshest copy\) 60 min vs RPO 60 min$/);
    expect(store(passing.arithmetic, 'Velero bucket')).toBe('✓ Velero bucket: the Velero bucket\'s replica: 15 replication (S3 RTC) = 15 min; worst case (the freshest copy) 15 min vs RPO 60 min');
    expect(passing.evidence).toContain('Secrets Manager secrets: row dr-secrets-replicated');
    expect(row(reportOf(example), 'dr-rpo', 'ShopPlatformStandby').status).toBe(RowStatus.NOT_APPLICABLE);
  });

  test('without Replication Time Control nothing bounds the replica: every store fails', () => {
    const broken = rpo((copy) => {
      for (const bucket of Object.values<any>(primary(copy).template.Resources).filter((r) => r.Type === 'AWS::S3::Bucket' && r.Properties.ReplicationConfiguration)) {
        for (const rule of bucket.Properties.ReplicationConfiguration.Rules) {
          delete rule.Destination.ReplicationTime;
          delete rule.Destination.Metrics;
        }
      }
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    for (const name of ['cluster objects', 'persistent volumes', 'Velero bucket']) expect(store(broken.arithmetic, name)).toMatch(/^✗ .*unbounded replication \(no S3 RTC\)/);
    expect(broken.fix).toContain('enable S3 Replication Time Control');
  });

  test('an hourly schedule (the interval the RPO alone would suggest) fails the objects and volumes: 2 x 60 + 30 > 60', () => {
    const broken = rpo(services((s) => { s.spec.schedule = '0 */1 * * *'; }));
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(store(broken.arithmetic, 'cluster objects')).toMatch(/^✗ .*= 150 min; .*worst case \(the freshest copy\) 150 min vs RPO 60 min$/);
    expect(store(broken.arithmetic, 'Velero bucket')).toMatch(/^✓ /);
    expect(broken.fix).toContain('back up more often');
  });

  test('without an upload bound Velero\'s 4 hours count', () => {
    const broken = rpo(services((s) => { delete s.spec.template.itemOperationTimeout; }));
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('240 upload (Velero\'s default 4h)');
    expect(broken.fix).toContain('set itemOperationTimeout on Schedule/services\'s template');
  });

  test('volume snapshots left in the primary region fail the volumes only: AWS Backup\'s copies have no time bound, the objects still hold', () => {
    const broken = rpo(services((s) => { s.spec.template.snapshotMoveData = false; }));
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(store(broken.arithmetic, 'persistent volumes')).toMatch(
      /^✗ persistent volumes: Velero Schedule\/services leaves its volume snapshots in eu-west-1 \(snapshot data not moved into the bucket\) = no bound; .*worst case \(the freshest copy\) no bound vs RPO 60 min$/);
    expect(store(broken.arithmetic, 'cluster objects')).toMatch(/^✓ /);
    expect(broken.fix).toBe('move the volumes\' snapshot data into the bucket: snapshotMoveData: true on Schedule/services\'s template');
  });

  test('a paused primary schedule takes no backup: objects and volumes fail', () => {
    const broken = rpo(services((s) => { s.spec.paused = true; }));
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(store(broken.arithmetic, 'cluster objects')).toContain('Velero: Schedule/services is paused in the primary: no backup is taken = no bound');
    expect(broken.fix).toContain('unpause the primary\'s schedule');
  });

  test('the cluster\'s AWS Backup line comes from the selection that names it: without it Velero still holds, and the line is gone', () => {
    const without = rpo((copy) => {
      const resources = primary(copy).template.Resources;
      delete resources[Object.keys(resources).find((id) => resources[id].Type === 'AWS::Backup::BackupSelection' && resources[id].Properties.BackupSelection.Resources)!];
    });
    expect(without.status).toBe(RowStatus.PASS);
    expect(without.arithmetic).not.toContain('(the EKS cluster)');
    expect(without.arithmetic).toContain('(tagged EBS volumes)');
  });

  test.each([
    ['*/15 * * * *', 15], ['0 */2 * * *', 120], ['0 * * * *', 60], ['0 3 * * *', 1440], ['5,35 * * * *', undefined], ['0 3 * * 1', undefined],
  ])('cron %s runs every %s minutes', (cron, minutes) => {
    expect(cronIntervalMinutes(cron as string)).toBe(minutes);
  });

  test.each([
    ['cron(0 * * * ? *)', 60], ['cron(0 */4 * * ? *)', 240], ['cron(0 3 * * ? *)', 1440], ['cron(0 5 ? * SUN *)', undefined], ['rate(1 hour)', undefined], [undefined, undefined],
  ])('AWS Backup schedule %s runs every %s minutes', (expression, minutes) => {
    expect(scheduleExpressionIntervalMinutes(expression)).toBe(minutes);
  });
});
