import { changeHelmValues, object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';

describe('dr-dns-failover: the exposed service fails over between the regions by its own health', () => {
  const example = synthesizeExample();
  type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];
  const stack = (copy: Copy, name: string) => copy.stacks.find((s) => s.name === name)!;
  const resource = (copy: Copy, name: string, type: string) =>
    Object.entries<any>(stack(copy, name).template.Resources).find(([, r]) => r.Type === type)!;
  const failover = (mutate?: (copy: Copy) => void) => row(reportOf(example, mutate), 'dr-dns-failover', 'shop/Ingress/frontend');

  test('passes on the example with the detection arithmetic of both halves', () => {
    const passing = failover();
    expect(passing.status).toBe(RowStatus.PASS);
    expect(passing.arithmetic).toContain('ShopPlatform (eu-west-1) PRIMARY www.shop.example.com -> eu-west-1.www.shop.example.com');
    expect(passing.arithmetic).toContain('ShopPlatformStandby (eu-central-1) SECONDARY www.shop.example.com -> eu-central-1.www.shop.example.com');
    expect(passing.arithmetic).toContain('HTTPS eu-west-1.www.shop.example.com/healthz: 30 s x 3 failures + TTL 60 s = 150 s before clients move');
  });

  test('an Ingress that publishes no regional name fails: its clients have no other region', () => {
    const broken = failover((copy) => { delete object(copy.manifests, 'Ingress', 'frontend').metadata.annotations['external-dns.alpha.kubernetes.io/hostname']; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.fix).toContain('set HaMicroservice expose.dnsFailover');
  });

  test('a standby without its SECONDARY record fails: the pair has one half', () => {
    const broken = failover((copy) => {
      const [id] = resource(copy, 'ShopPlatformStandby', 'AWS::Route53::RecordSet');
      delete stack(copy, 'ShopPlatformStandby').template.Resources[id];
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('ShopPlatformStandby (eu-central-1) has no SECONDARY failover record of www.shop.example.com');
  });

  test('a record without health check fails: Route 53 would never leave the region', () => {
    const broken = failover((copy) => { delete resource(copy, 'ShopPlatform', 'AWS::Route53::RecordSet')[1].Properties.HealthCheckId; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.fix).toContain('give the PRIMARY record of www.shop.example.com a health check');
  });

  test('a health check of a path the Ingress does not route fails: it would get the ALB\'s 404 and fail over a healthy region', () => {
    const broken = failover((copy) => {
      object(copy.manifests, 'Ingress', 'frontend').spec.rules.find((r: any) => r.host.startsWith('eu-west-1.')).http.paths[0].path = '/api';
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('not covering /healthz');
  });

  test('a record pointing at the other region\'s name fails', () => {
    const broken = failover((copy) => {
      resource(copy, 'ShopPlatform', 'AWS::Route53::RecordSet')[1].Properties.ResourceRecords = ['eu-central-1.www.shop.example.com'];
    });
    expect(broken.status).toBe(RowStatus.FAIL);
  });

  test('ExternalDNS that would also publish the public name from the rules fails: it collides with the failover records', () => {
    const broken = failover((copy) => {
      delete object(copy.manifests, 'Ingress', 'frontend').metadata.annotations['external-dns.alpha.kubernetes.io/ingress-hostname-source'];
      changeHelmValues(stack(copy, 'ShopPlatform'), 'external-dns', (values) => {
        values.extraArgs = values.extraArgs.filter((a: string) => a !== '--ignore-ingress-rules-spec');
      });
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('colliding with the failover records');
  });
});

describe('dr-dns-failover with the Region switch plan: the plan\'s health checks gate the records', () => {
  const example = synthesizeExample();
  type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];
  const failover = (mutate?: (copy: Copy) => void) => row(reportOf(example, mutate), 'dr-dns-failover', 'shop/Ingress/frontend');

  test('the example\'s records are judged by their endpoint check and the plan\'s, both required', () => {
    expect(failover().arithmetic).toContain('and by Region switch plan shop-dr\'s health check (a calculated check of both)');
  });

  test('a record judged by its endpoint check alone fails: the plan could not move traffic, and a primary back from an outage takes it at once', () => {
    const broken = failover((copy) => {
      const resources = copy.stacks.find((s) => s.name === 'ShopPlatform')!.template.Resources;
      const record: any = Object.values<any>(resources).find((r) => r.Type === 'AWS::Route53::RecordSet');
      const calculated = resources[record.Properties.HealthCheckId.Ref];
      record.Properties.HealthCheckId = calculated.Properties.HealthCheckConfig.ChildHealthChecks.find((c: any) => typeof c !== 'string');
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('a eu-west-1 that comes back takes the traffic back at once');
    expect(broken.fix).toContain('regionSwitchHealthCheckIds');
  });
});
