import { Chart, Testing } from 'cdk8s';
import { ServiceNamespace, ServiceNamespaceProps } from '../../src';
import { Manifest, validateManifests } from '../helpers/schema';

function synth(props?: ServiceNamespaceProps, chartNamespace?: string): Manifest[] {
  const chart = new Chart(Testing.app(), 'services', { namespace: chartNamespace });
  new ServiceNamespace(chart, 'Namespace', props);
  const manifests = Testing.synth(chart) as Manifest[];
  validateManifests(manifests);
  return manifests;
}

describe('ServiceNamespace', () => {
  test('the chart\'s namespace, cluster-scoped, labelled for ALB pod readiness gates', () => {
    expect(synth(undefined, 'shop')).toEqual([{
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', labels: { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } },
    }]);
  });

  test('a named namespace keeps the user\'s labels next to the readiness-gate label', () => {
    const chart = new Chart(Testing.app(), 'services');
    const namespace = new ServiceNamespace(chart, 'Namespace', { name: 'payments', labels: { 'resilient-eks.dev/secrets': 'enabled', 'team': 'pay' } });
    expect(namespace.name).toBe('payments');
    expect(namespace.apiObject.kind).toBe('Namespace');
    const [manifest] = Testing.synth(chart) as Manifest[];
    validateManifests([manifest]);
    expect(manifest.metadata).toEqual({
      name: 'payments',
      labels: { 'resilient-eks.dev/secrets': 'enabled', 'team': 'pay', 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' },
    });
  });

  test('the readiness-gate label given as "enabled" is accepted', () => {
    expect(synth({ labels: { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } }, 'shop')[0].metadata.labels)
      .toEqual({ 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' });
  });

  test.each<[ServiceNamespaceProps, string | undefined, RegExp]>([
    [{}, undefined, /^name = undefined is invalid: must be given when the chart has no namespace\. Fix: pass name, e\.g\. "shop", or set the chart's namespace\.$/],
    [{ name: 'Shop_1' }, 'shop', /^name = "Shop_1" is invalid: must be a namespace name: a DNS-1123 label .* Fix: use the namespace's exact name, e\.g\. "shop-1"\.$/],
    [{ labels: { 'bad key!': 'x' } }, 'shop', /^labels\["bad key!"\] = "bad key!" is invalid: must be a qualified name.* Fix: /],
    [{ labels: { team: 'not valid!' } }, 'shop', /^labels\["team"\] = "not valid!" is invalid: must be a valid label value.* Fix: /],
    [{ labels: { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'disabled' } }, 'shop',
      /^labels\["elbv2\.k8s\.aws\/pod-readiness-gate-inject"\] = "disabled" is invalid: must be "enabled": without pod readiness gates a pod is Ready before its ALB target is healthy.* Fix: remove labels\["elbv2\.k8s\.aws\/pod-readiness-gate-inject"\]: the construct sets it\.$/],
  ])('rejects %j (chart namespace %s) naming prop, value, rule and fix', (props, chartNamespace, message) => {
    expect(() => synth(props, chartNamespace)).toThrow(message);
  });
});
