import { changeTemplateObject, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { cronIntervalMinutes } from '../../src/report/private/rows/rpo';

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

describe('dr-rpo: the services\' data in the recovery region is never older than the RPO', () => {
  const example = synthesizeExample();
  type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];
  const primary = (copy: Copy) => copy.stacks.find((s) => s.name === 'ShopPlatform')!;
  const services = (change: (schedule: any) => void) => (copy: Copy) => changeTemplateObject(primary(copy), 'Schedule', 'services', change);
  const rpo = (mutate?: (copy: Copy) => void) => row(reportOf(example, mutate), 'dr-rpo', 'ShopPlatform');

  test('holds on the example by its arithmetic: two 15-minute intervals, the upload bound and replication within the hour', () => {
    expect(rpo().status).toBe(RowStatus.PASS);
    expect(rpo().arithmetic).toContain('Schedule/services every 15 min: 2 x 15 (one run may be missed) + 15 upload (itemOperationTimeout 15m) + 15 replication (S3 RTC) = 60 min vs RPO 60 min');
    expect(rpo().arithmetic).toMatch(/second line: AWS Backup rule snapshots every 60 min \+ start window 60/);
    expect(row(reportOf(example), 'dr-rpo', 'ShopPlatformStandby').status).toBe(RowStatus.NOT_APPLICABLE);
  });

  test('without Replication Time Control replication has no bound and the row fails', () => {
    const broken = rpo((copy) => {
      for (const bucket of Object.values<any>(primary(copy).template.Resources).filter((r) => r.Type === 'AWS::S3::Bucket' && r.Properties.ReplicationConfiguration)) {
        for (const rule of bucket.Properties.ReplicationConfiguration.Rules) {
          delete rule.Destination.ReplicationTime;
          delete rule.Destination.Metrics;
        }
      }
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.fix).toContain('enable S3 Replication Time Control');
  });

  test('an hourly schedule (the interval the RPO alone would suggest) fails: 2 x 60 + 30 > 60', () => {
    const broken = rpo(services((s) => { s.spec.schedule = '0 */1 * * *'; }));
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('= 150 min vs RPO 60 min');
  });

  test('without an upload bound Velero\'s 4 hours count', () => {
    const broken = rpo(services((s) => { delete s.spec.template.itemOperationTimeout; }));
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('240 upload (Velero\'s default 4h)');
  });

  test.each([
    ['*/15 * * * *', 15], ['0 */2 * * *', 120], ['0 * * * *', 60], ['0 3 * * *', 1440], ['5,35 * * * *', undefined], ['0 3 * * 1', undefined],
  ])('cron %s runs every %s minutes', (cron, minutes) => {
    expect(cronIntervalMinutes(cron as string)).toBe(minutes);
  });
});
