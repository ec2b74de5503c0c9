import { changeHelmValues, changeTemplateObject, object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';

const CHECKOUT = 'shop/Deployment/checkout';

describe('the zone-rebalance row reads what the descheduler will and will not move', () => {
  const example = synthesizeExample();
  type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];
  const primary = (copy: Copy) => copy.stacks.find((s) => s.name === 'ShopPlatform')!;
  const spreadArgs = (values: any) => values.deschedulerPolicy.profiles[0].pluginConfig.find((c: any) => c.name === 'RemovePodsViolatingTopologySpreadConstraint').args;
  const evictorArgs = (values: any) => values.deschedulerPolicy.profiles[0].pluginConfig.find((c: any) => c.name === 'DefaultEvictor').args;
  const rebalance = (mutate: (copy: Copy) => void) => row(reportOf(example, mutate), 'zone-rebalance', CHECKOUT);

  test('on the example: node fit holds because a pass comes before Karpenter consolidates the freed room', () => {
    const passing = row(reportOf(example), 'zone-rebalance', CHECKOUT);
    expect(passing.status).toBe(RowStatus.PASS);
    expect(passing.arithmetic).toContain('topologyBalanceNodeFit: a pass every 300 s <= NodePool/default consolidateAfter 300 s');
  });

  test('only the cluster that runs the pods must rebalance them: the standby\'s descheduler is not judged for the primary\'s pods', () => {
    const report = rebalance((copy) => {
      const standby = copy.stacks.find((s) => s.name === 'ShopPlatformStandby')!;
      for (const [id, r] of Object.entries<any>(standby.template.Resources)) if (r.Properties?.Chart === 'descheduler') delete standby.template.Resources[id];
    });
    expect(report.status).toBe(RowStatus.PASS);
    expect(report.arithmetic).not.toContain('ShopPlatformStandby');
  });

  test('consolidation faster than the descheduler, with node fit on, fails: the room is gone before a pass', () => {
    const broken = rebalance((copy) => changeTemplateObject(primary(copy), 'NodePool', 'default', (pool) => { pool.spec.disruption.consolidateAfter = '1m'; }));
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.fix).toContain('make deschedulingInterval at most 60 s, or set topologyBalanceNodeFit: false');
  });

  test('node fit off passes whatever consolidation does: the evicted pod goes Pending and Karpenter adds a node in its zone', () => {
    const report = rebalance((copy) => {
      changeTemplateObject(primary(copy), 'NodePool', 'default', (pool) => { pool.spec.disruption.consolidateAfter = '1m'; });
      changeHelmValues(primary(copy), 'descheduler', (values) => { spreadArgs(values).topologyBalanceNodeFit = false; });
    });
    expect(report.status).toBe(RowStatus.PASS);
    expect(report.arithmetic).toContain('topologyBalanceNodeFit off');
  });

  test.each([
    ['a namespaces.exclude listing the namespace', (values: any) => { spreadArgs(values).namespaces = { exclude: ['shop'] }; }, 'namespaces.exclude lists shop'],
    ['a namespaces.include leaving it out', (values: any) => { spreadArgs(values).namespaces = { include: ['payments'] }; }, 'leaves out shop'],
    ['a labelSelector not selecting the pods', (values: any) => { spreadArgs(values).labelSelector = { matchLabels: { tier: 'batch' } }; }, 'labelSelector does not select'],
  ])('%s fails the row', (_, change, why) => {
    const broken = rebalance((copy) => changeHelmValues(primary(copy), 'descheduler', change));
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain(why);
  });

  test('pods above the DefaultEvictor\'s priority threshold are never moved', () => {
    const broken = rebalance((copy) => {
      changeHelmValues(primary(copy), 'descheduler', (values) => { evictorArgs(values).priorityThreshold = { value: 1000 }; });
      object(copy.manifests, 'Deployment', 'checkout').spec.template.spec.priorityClassName = 'business-critical';
      copy.manifests.push({ source: 'priority.yaml', object: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'business-critical' }, value: 5000 } as any });
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('priority 5000 (business-critical) is at or above the DefaultEvictor\'s priorityThreshold 1000');
  });

  test('system-critical pods are never moved unless the evictor allows it', () => {
    const mutate = (allow: boolean) => (copy: Copy) => {
      object(copy.manifests, 'Deployment', 'checkout').spec.template.spec.priorityClassName = 'system-cluster-critical';
      if (allow) changeHelmValues(primary(copy), 'descheduler', (values) => { evictorArgs(values).evictSystemCriticalPods = true; });
    };
    expect(rebalance(mutate(false)).status).toBe(RowStatus.FAIL);
    expect(rebalance(mutate(true)).status).toBe(RowStatus.PASS);
  });
});
