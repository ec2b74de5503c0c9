import { LoadBalancerScheme } from '../../src';
import { minimalProps, synthService } from '../helpers/synth';

const exposed = { scheme: LoadBalancerScheme.INTERNET_FACING, host: 'www.shop.example.com', path: '/' };

describe('HaMicroservice Route 53 failover (ExternalDNS publishes the regional name)', () => {
  test.each(['eu-west-1', 'eu-central-1'])('in %s the Ingress answers the regional name too, and ExternalDNS publishes only that', (region) => {
    const ingress = synthService(minimalProps({ expose: { ...exposed, dnsFailover: { region } } })).of('Ingress');
    expect(ingress.metadata.annotations).toMatchObject({
      'external-dns.alpha.kubernetes.io/hostname': `${region}.www.shop.example.com`,
      'external-dns.alpha.kubernetes.io/ingress-hostname-source': 'annotation-only',
    });
    expect(ingress.spec.rules.map((rule: any) => rule.host)).toEqual(['www.shop.example.com', `${region}.www.shop.example.com`]);
    // Both names route the same paths to the same Service: Route 53's health check of the regional name reaches the pods.
    expect(ingress.spec.rules[1].http).toEqual(ingress.spec.rules[0].http);
  });

  test('without dnsFailover, no ExternalDNS annotation and one rule', () => {
    const plain = synthService(minimalProps({ expose: exposed })).of('Ingress');
    expect(Object.keys(plain.metadata.annotations).filter((key) => key.startsWith('external-dns'))).toEqual([]);
    expect(plain.spec.rules).toHaveLength(1);
  });

  test.each([
    [{ scheme: LoadBalancerScheme.INTERNET_FACING }, 'eu-west-1', /expose\.host = undefined is invalid: must name one host with dnsFailover/],
    [{ ...exposed, host: '*.example.com' }, 'eu-west-1', /expose\.host = "\*\.example\.com" is invalid: must name one host/],
    [{ host: 'www.shop.example.com' }, 'eu-west-1', /expose\.scheme = "internal" is invalid: must be INTERNET_FACING with dnsFailover/],
    [exposed, 'eu west', /expose\.dnsFailover\.region = "eu west" is invalid: must be an AWS region/],
  ])('rejects %o in %s', (expose: any, region, message) => {
    expect(() => synthService(minimalProps({ expose: { ...expose, dnsFailover: { region } } }))).toThrow(message);
  });
});
