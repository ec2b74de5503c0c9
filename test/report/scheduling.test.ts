import { object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';

const FRONTEND = 'shop/Deployment/frontend';

type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];

/** The pod spec of a Deployment in the copied manifests. */
const podSpec = (copy: Copy, name = 'frontend') => object(copy.manifests, 'Deployment', name).spec.template.spec;
/** The pod's required node affinity. */
const required = (copy: Copy, name = 'frontend') => podSpec(copy, name).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;

describe('where the pods can be scheduled', () => {
  const example = synthesizeExample();

  test('null lists in the affinity, spread and tolerations read as absent instead of crashing', () => {
    const report = reportOf(example, (copy) => {
      required(copy).nodeSelectorTerms = null;
      podSpec(copy, 'catalog').tolerations = null;
      podSpec(copy, 'cart').topologySpreadConstraints = [null, ...podSpec(copy, 'cart').topologySpreadConstraints];
      required(copy, 'checkout').nodeSelectorTerms[0].matchExpressions[0].values = null;
    });
    expect(row(report, 'zone-loss', FRONTEND).status).toBe(RowStatus.PASS);
    expect(row(report, 'zone-loss', 'shop/Deployment/cart').status).toBe(RowStatus.PASS);
  });
});
