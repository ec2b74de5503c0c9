import { object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';

const FRONTEND = 'shop/Deployment/frontend';

type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];

const hpa = (copy: Copy) => object(copy.manifests, 'HorizontalPodAutoscaler', 'frontend');
const zoneLoss = (mutate: (copy: Copy) => void) => row(reportOf(example, mutate), 'zone-loss', FRONTEND);
const example = synthesizeExample();

describe('what keeps the HPA scaling the Deployment', () => {
  test('HaMicroservice leaves spec.replicas unset, so the unchanged example passes', () => {
    const copy = JSON.parse(JSON.stringify(example));
    expect(object(copy.manifests, 'Deployment', 'frontend').spec.replicas).toBeUndefined();
    const unchanged = reportOf(example);
    expect(unchanged.passed).toBe(true);
    expect(unchanged.rows.every((r) => r.status === RowStatus.PASS || r.status === RowStatus.NOT_APPLICABLE)).toBe(true);
  });

  test('spec.replicas 0 beside the HPA disables it: the service runs no pods', () => {
    const failed = zoneLoss((copy) => { object(copy.manifests, 'Deployment', 'frontend').spec.replicas = 0; });
    expect(failed.status).toBe(RowStatus.FAIL);
    expect(failed.arithmetic).toContain('the HPA is disabled (ScalingActive False, ScalingDisabled) and the service runs no pods');
    expect(failed.fix).toContain('remove spec.replicas from Deployment/frontend (HaMicroservice omits it)');
  });

  test('spec.replicas 3 beside the HPA is written back on every apply or sync', () => {
    const failed = zoneLoss((copy) => { object(copy.manifests, 'Deployment', 'frontend').spec.replicas = 3; });
    expect(failed.status).toBe(RowStatus.FAIL);
    expect(failed.arithmetic).toContain('every kubectl apply or Argo CD sync resets the HPA\'s count to 3');
    expect(failed.fix).toContain('remove spec.replicas from Deployment/frontend');
  });

  test('a scale-up policy Disabled never scales up', () => {
    const failed = zoneLoss((copy) => { hpa(copy).spec.behavior.scaleUp = { selectPolicy: 'Disabled' }; });
    expect(failed.status).toBe(RowStatus.FAIL);
    expect(failed.fix).toContain('remove selectPolicy: Disabled from behavior.scaleUp of HorizontalPodAutoscaler/frontend');
  });

  test('a second HPA on the Deployment: neither scales (AmbiguousSelector)', () => {
    const failed = zoneLoss((copy) => {
      const second = JSON.parse(JSON.stringify(hpa(copy)));
      second.metadata.name = 'frontend-rps';
      second.spec.metrics = [{ type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '50' } } }];
      copy.manifests.push({ object: second, source: 'extra.yaml' });
    });
    expect(failed.status).toBe(RowStatus.FAIL);
    expect(failed.arithmetic).toContain('HorizontalPodAutoscaler/frontend and HorizontalPodAutoscaler/frontend-rps all scale Deployment/frontend');
    expect(failed.arithmetic).toContain('AmbiguousSelector');
    expect(failed.fix).toContain('keep one autoscaler on Deployment/frontend');
  });

  test('a KEDA ScaledObject on the Deployment makes a second HPA', () => {
    const failed = zoneLoss((copy) => {
      copy.manifests.push({
        object: {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          metadata: { name: 'frontend', namespace: 'shop' },
          spec: { scaleTargetRef: { name: 'frontend' }, triggers: [{ type: 'prometheus', metadata: { threshold: '100' } }] },
        },
        source: 'keda.yaml',
      });
    });
    expect(failed.status).toBe(RowStatus.FAIL);
    expect(failed.arithmetic).toContain('HorizontalPodAutoscaler/frontend and ScaledObject/frontend all scale Deployment/frontend (KEDA makes an HPA of each ScaledObject)');
  });

  test('a ScaledObject of another Deployment, or an HPA of a StatefulSet of the same name, does not count', () => {
    const report = reportOf(example, (copy) => {
      const scaledObject = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'c', namespace: 'shop' }, spec: { scaleTargetRef: { name: 'worker' } } };
      copy.manifests.push({ object: scaledObject, source: 'k.yaml' });
      const other = JSON.parse(JSON.stringify(hpa(copy)));
      other.metadata.name = 'frontend-sts';
      other.spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'frontend' };
      copy.manifests.push({ object: other, source: 'k.yaml' });
    });
    expect(row(report, 'zone-loss', FRONTEND).status).toBe(RowStatus.PASS);
  });
});

describe('the HPA\'s scale-up tolerance', () => {
  test('a tolerance of 0.5 lets usage sit at 1.5 x the target: 45% x 1.5 / 0.5 = 135%', () => {
    const failed = zoneLoss((copy) => { hpa(copy).spec.behavior.scaleUp.tolerance = '0.5'; });
    expect(failed.status).toBe(RowStatus.FAIL);
    expect(failed.arithmetic).toContain('HorizontalPodAutoscaler/frontend behavior.scaleUp.tolerance 0.5 replaces the controller\'s 0.1');
    expect(failed.arithmetic).toContain('45% x 1.5 / 0.500 = 135% of requests');
    expect(failed.fix).toContain('lower the CPU target to 33%');
  });

  test('a smaller tolerance counts on Kubernetes 1.35+, where HPAConfigurableTolerance is beta and on; before, the controller\'s 0.1', () => {
    const tight = zoneLoss((copy) => { hpa(copy).spec.behavior.scaleUp.tolerance = '50m'; });
    expect(tight.status).toBe(RowStatus.PASS);
    expect(tight.arithmetic).toContain('45% x 1.05 / 0.500 = 95% of requests');
    const old = zoneLoss((copy) => {
      hpa(copy).spec.behavior.scaleUp.tolerance = 0.05;
      copy.stacks.forEach((s) => { if (s.template.Resources.PlatformCluster6842C9C4) s.template.Resources.PlatformCluster6842C9C4.Properties.Version = '1.34'; });
    });
    expect(old.arithmetic).toContain('0.1 counts, since not every cluster that runs the pods is known to run Kubernetes 1.35+');
    expect(old.arithmetic).toContain('45% x 1.1 / 0.500 = 99% of requests');
  });
});
