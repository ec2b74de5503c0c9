import { changeTemplateObject, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';

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
