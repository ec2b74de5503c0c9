import { object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { SourcedObject } from '../../src/report/private/inputs';
import { tolerationSeconds } from '../../src/report/private/pod-facts';

const CHECKOUT = 'shop/Deployment/checkout';

const example = synthesizeExample();
const podSpecOf = (manifests: SourcedObject[], name: string) => object(manifests, 'Deployment', name).spec.template.spec;

describe('rollout capacity with a percentage maxUnavailable', () => {
  const rollout = (name: string, rollingUpdate: any) => row(reportOf(example, (copy) => {
    object(copy.manifests, 'Deployment', name).spec.strategy.rollingUpdate = rollingUpdate;
  }), 'rollout-no-drop', `shop/Deployment/${name}`);

  test('10% rounds down to 0 at every count of 3-9 replicas: no pod goes before its replacement is ready', () => {
    const frontend = rollout('frontend', { maxUnavailable: '10%', maxSurge: '25%' });
    expect(frontend.status).toBe(RowStatus.PASS);
    expect(frontend.arithmetic).toContain('maxUnavailable 10%, maxSurge 25% at 3-9 replicas: 0 unavailable at every count (floor(10% x 9) = 0)');
  });

  test('10% lets one pod go from 10 replicas, which the HPA of 6-24 reaches', () => {
    const checkout = rollout('checkout', { maxUnavailable: '10%', maxSurge: '25%' });
    expect(checkout.status).toBe(RowStatus.FAIL);
    expect(checkout.arithmetic).toContain('at 10 floor(10% x 10) = 1 pod(s) may be unavailable');
    expect(checkout.fix).toContain('maxUnavailable: 0');
  });

  test('when both round to 0, Kubernetes lets one pod be unavailable', () => {
    const frontend = rollout('frontend', { maxUnavailable: '10%', maxSurge: '0%' });
    expect(frontend.status).toBe(RowStatus.FAIL);
    expect(frontend.arithmetic).toContain('at 3 both round to 0, so Kubernetes lets 1 pod be unavailable');
  });
});

describe('tolerations of the unreachable taint', () => {
  const nodeLoss = (tolerations: (current: any[]) => any[]) => row(reportOf(example, (copy) => {
    const spec = podSpecOf(copy.manifests, 'checkout');
    spec.tolerations = tolerations(spec.tolerations);
  }), 'node-loss', CHECKOUT);
  const EVERYTHING = { operator: 'Exists' };

  test('a tolerate-everything toleration listed first does not hide the 30 s one: the shortest finite one applies', () => {
    const judged = nodeLoss((current) => [EVERYTHING, ...current]);
    expect(judged.status).toBe(RowStatus.PASS);
    expect(judged.arithmetic).toContain('unreachable toleration 30 s');
  });

  test('of two finite ones, the shorter applies', () => {
    const judged = nodeLoss((current) => [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, ...current]);
    expect(judged.status).toBe(RowStatus.PASS);
    expect(judged.arithmetic).toContain('30 unreachable tolerationSeconds');
  });

  test('only tolerations without seconds: never evicted', () => {
    const judged = nodeLoss(() => [EVERYTHING]);
    expect(judged.status).toBe(RowStatus.FAIL);
    expect(judged.arithmetic).toContain('tolerate node.kubernetes.io/unreachable for ever');
  });

  test('the rules of the taint eviction controller and the admission default', () => {
    const taint = 'node.kubernetes.io/unreachable';
    expect(tolerationSeconds({ tolerations: [] }, taint)).toBeUndefined();
    expect(tolerationSeconds({ tolerations: [{ key: 'other', operator: 'Exists' }] }, taint)).toBeUndefined();
    expect(tolerationSeconds({ tolerations: [{ key: taint, operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }, taint)).toBeUndefined();
    expect(tolerationSeconds({ tolerations: [{ key: taint, operator: 'Exists', tolerationSeconds: 60 }, { operator: 'Exists', tolerationSeconds: 20 }] }, taint)).toBe(20);
    expect(tolerationSeconds({ tolerations: [{ key: taint, operator: 'Exists', tolerationSeconds: -5 }, { operator: 'Exists' }] }, taint)).toBe(0);
    // Named but not matching (a value the taint does not have): the admission plugin adds no default and nothing tolerates it.
    expect(tolerationSeconds({ tolerations: [{ key: taint, operator: 'Equal', value: 'yes', tolerationSeconds: 60 }] }, taint)).toBe(0);
    expect(tolerationSeconds({ tolerations: [{ key: taint, operator: 'Equal', tolerationSeconds: 45 }] }, taint)).toBe(45);
  });
});
