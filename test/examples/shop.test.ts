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

  test('the standby\'s copy runs in its own region: its zones, its image replicas, its certificate and its half of the DNS failover', () => {
    const standby = Testing.synth(new ShopChart(Testing.app(), 'shop', { namespace: 'shop', region: 'eu-central-1' })) as Manifest[];
    expect(() => validateManifests(standby)).not.toThrow();
    const frontend = standby.find((m) => m.kind === 'Deployment' && m.metadata.name === 'frontend')!;
    expect(frontend.spec.template.spec.containers[0].image).toBe('111122223333.dkr.ecr.eu-central-1.amazonaws.com/shop/frontend:1.4.2');
    expect(JSON.stringify(frontend.spec.template.spec.affinity)).toContain('eu-central-1a');
    const ingress = standby.find((m) => m.kind === 'Ingress')!;
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toMatch(/^arn:aws:acm:eu-central-1:/);
    expect(ingress.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('eu-central-1.www.shop.example.com');
  });

  test('its namespace is created with the label that makes the Load Balancer Controller inject pod readiness gates', () => {
    expect(manifests.filter((m) => m.kind === 'Namespace')).toEqual([{
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } },
    }]);
  });

  test('connectTo wires the call graph into both NetworkPolicies, directly and over the mesh\'s HBONE tunnels', () => {
    const peerName = (peer: any) => peer.podSelector?.matchLabels['app.kubernetes.io/name']
      ?? peer.podSelector?.matchLabels['gateway.networking.k8s.io/gateway-name'] ?? peer.ipBlock.cidr;
    const ingressFrom = (name: string) => manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === name)!.spec.ingress
      .flatMap((rule: any) => rule.from.map((peer: any) => `${peerName(peer)}@${rule.ports.map((p: any) => p.port).join(',')}`));
    const meshed = ['waypoint@15008'];
    expect(ingressFrom('frontend')).toEqual(['10.0.0.0/16@8080', ...meshed, '169.254.7.127/32@8080']);
    expect(ingressFrom('cart')).toEqual([...meshed, '169.254.7.127/32@8080', 'frontend@8080', 'frontend@15008', 'checkout@8080', 'checkout@15008']);
    expect(ingressFrom('payments')).toEqual([...meshed, '169.254.7.127/32@8443', 'checkout@8443', 'checkout@15008']);
  });

  test('every service is in the mesh behind the namespace\'s waypoint; payments are never retried', () => {
    expect(manifests.filter((m) => m.kind === 'Gateway').map((m) => m.metadata.name)).toEqual(['waypoint']);
    expect(manifests.filter((m) => m.kind === 'VirtualService')).toHaveLength(5);
    const payments = manifests.find((m) => m.kind === 'VirtualService' && m.metadata.name === 'payments')!;
    expect(payments.spec.http[0]).toMatchObject({ timeout: '30s', retries: { attempts: 0 } });
    // Only the exposed frontend lets the ALB's plain HTTP in.
    expect(manifests.filter((m) => m.kind === 'PeerAuthentication').map((m) => m.metadata.name)).toEqual(['frontend']);
  });

  test('synthesizes the same bytes twice', () => {
    expect(JSON.stringify(synthShop().manifests)).toEqual(JSON.stringify(manifests));
  });
});
