import { Testing } from 'cdk8s';
import { ShopChart } from '../../examples/shop/shop-chart';
import { Manifest, validateManifests } from '../helpers/schema';

function synthShop(): { chart: ShopChart; manifests: Manifest[] } {
  const chart = new ShopChart(Testing.app(), 'shop', { namespace: 'shop' });
  return { chart, manifests: Testing.synth(chart) as Manifest[] };
}

describe('the built-in shop example', () => {
  const { chart, manifests } = synthShop();

  test('has at least five services, every object schema-valid', () => {
    expect(chart.services.map((s) => s.name)).toEqual(['frontend', 'catalog', 'cart', 'checkout', 'payments']);
    expect(() => validateManifests(manifests)).not.toThrow();
    expect(manifests.filter((m) => m.kind === 'Deployment')).toHaveLength(5);
    expect(manifests.filter((m) => m.kind === 'Ingress').map((m) => m.metadata.name)).toEqual(['frontend']);
  });

  test('connectTo wires the call graph into both NetworkPolicies', () => {
    const ingressFrom = (name: string) => manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === name)!.spec.ingress
      .flatMap((rule: any) => rule.from.map((peer: any) => peer.podSelector?.matchLabels['app.kubernetes.io/name'] ?? peer.ipBlock.cidr));
    expect(ingressFrom('frontend')).toEqual(['10.0.0.0/16']);
    expect(ingressFrom('cart')).toEqual(['frontend', 'checkout']);
    expect(ingressFrom('payments')).toEqual(['checkout']);
  });

  test('synthesizes the same bytes twice', () => {
    expect(JSON.stringify(synthShop().manifests)).toEqual(JSON.stringify(manifests));
  });
});
