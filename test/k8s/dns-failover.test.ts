import { FailoverRole, LoadBalancerScheme } from '../../src';
import { minimalProps, synthService } from '../helpers/synth';

const exposed = { scheme: LoadBalancerScheme.INTERNET_FACING, host: 'shop.example.com' };

describe('HaMicroservice Route 53 failover (ExternalDNS)', () => {
  test('the Ingress asks ExternalDNS for a failover alias record that follows the ALB\'s target health', () => {
    const primary = synthService(minimalProps({ expose: { ...exposed, dnsFailover: { role: FailoverRole.PRIMARY, setIdentifier: 'eu-west-1' } } }));
    expect(primary.of('Ingress').metadata.annotations).toMatchObject({
      'external-dns.alpha.kubernetes.io/set-identifier': 'eu-west-1',
      'external-dns.alpha.kubernetes.io/aws-failover': 'PRIMARY',
      'external-dns.alpha.kubernetes.io/aws-evaluate-target-health': 'true',
    });
    expect(primary.of('Ingress').spec.rules[0].host).toBe('shop.example.com');
    const secondary = synthService(minimalProps({ expose: { ...exposed, dnsFailover: { role: FailoverRole.SECONDARY, setIdentifier: 'eu-central-1' } } }));
    expect(secondary.of('Ingress').metadata.annotations['external-dns.alpha.kubernetes.io/aws-failover']).toBe('SECONDARY');
  });

  test('without dnsFailover, no ExternalDNS annotation', () => {
    const plain = synthService(minimalProps({ expose: exposed }));
    expect(Object.keys(plain.of('Ingress').metadata.annotations).filter((key) => key.startsWith('external-dns'))).toEqual([]);
  });

  test.each([
    [{ scheme: LoadBalancerScheme.INTERNET_FACING }, /expose\.host = undefined is invalid: must name one host with dnsFailover/],
    [{ ...exposed, host: '*.example.com' }, /expose\.host = "\*\.example\.com" is invalid: must name one host/],
    [{ host: 'shop.example.com' }, /expose\.scheme = "internal" is invalid: must be INTERNET_FACING with dnsFailover/],
    [{ ...exposed, setIdentifier: 'eu west' }, /expose\.dnsFailover\.setIdentifier = "eu west" is invalid/],
  ])('rejects %o', ({ setIdentifier, ...expose }: any, message) => {
    expect(() => synthService(minimalProps({ expose: { ...expose, dnsFailover: { role: FailoverRole.PRIMARY, setIdentifier: setIdentifier ?? 'eu-west-1' } } })))
      .toThrow(message);
  });
});
