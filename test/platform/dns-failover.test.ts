import { SHOP_DISASTER_RECOVERY } from '../../examples/platform/platform-stack';
import { onlyResource, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';

const DR = SHOP_DISASTER_RECOVERY;
const DNS = DR.dnsFailover!;

describe('Route 53 failover per public name', () => {
  const primary = synthPlatform({ disasterRecovery: DR });
  const standby = synthPlatform({ disasterRecovery: DR }, { env: { region: 'eu-central-1' } });

  test.each([
    ['primary', primary, 'eu-west-1', 'PRIMARY'],
    ['standby', standby, 'eu-central-1', 'SECONDARY'],
  ])('the %s writes its half: a CNAME to its regional name, judged by an HTTPS health check of that name', (_, { template }, region, role) => {
    const record = onlyResource(template, 'AWS::Route53::RecordSet').Properties;
    expect(record).toMatchObject({
      Name: 'www.shop.example.com.',
      Type: 'CNAME',
      TTL: '60',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      SetIdentifier: region,
      Failover: role,
      ResourceRecords: [`${region}.www.shop.example.com`],
    });
    const checks = template.findResources('AWS::Route53::HealthCheck');
    const [httpsId] = Object.keys(checks).filter((id) => (checks[id] as any).Properties.HealthCheckConfig.Type === 'HTTPS');
    // The record is judged by the endpoint check and the Region switch plan's (see below).
    expect((checks[record.HealthCheckId.Ref] as any).Properties.HealthCheckConfig.ChildHealthChecks[0]).toEqual({ Ref: httpsId });
    expect((checks[httpsId] as any).Properties.HealthCheckConfig).toMatchObject({
      Type: 'HTTPS',
      FullyQualifiedDomainName: `${region}.www.shop.example.com`,
      Port: 443,
      ResourcePath: '/healthz',
      RequestInterval: 30,
      FailureThreshold: 3,
      EnableSNI: true,
    });
  });

  test('one health check per name: each service fails over on its own health', () => {
    const { template } = synthPlatform({ disasterRecovery: { ...DR, dnsFailover: { ...DNS, records: [...DNS.records, { name: 'api.shop.example.com' }] } } });
    const checks = Object.values(template.findResources('AWS::Route53::HealthCheck')).map((c: any) => c.Properties.HealthCheckConfig)
      .filter((c) => c.Type === 'HTTPS');
    expect(checks.map((c) => `${c.FullyQualifiedDomainName}${c.ResourcePath}`).sort()).toEqual(['eu-west-1.api.shop.example.com/', 'eu-west-1.www.shop.example.com/healthz']);
  });

  test('cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(primary.stack)).toEqual([]);
  });
});

test.each([
  [{ records: [] }, /disasterRecovery\.dnsFailover\.records = \[\] is invalid: must name at least one public name/],
  [{ records: [{ name: 'shop.example.com' }] }, /records\[0\]\.name = "shop\.example\.com" is invalid: must be a name below the zone, not its apex.*Fix: use a name such as "www\.shop\.example\.com"/],
  [{ records: [{ name: 'www.example.org' }] }, /records\[0\]\.name = "www\.example\.org" is invalid: must be a lower-case DNS name below the hosted zone shop\.example\.com/],
  [{ records: [{ name: 'www.shop.example.com' }, { name: 'www.shop.example.com' }] }, /records\[1\]\.name = "www\.shop\.example\.com" is invalid: is listed twice/],
  [{ records: [{ name: 'www.shop.example.com', healthCheckPath: 'healthz' }] }, /records\[0\]\.healthCheckPath = "healthz" is invalid: must be an absolute URL path/],
])('rejects %o', (change, message) => {
  expect(() => synthPlatform({ disasterRecovery: { ...DR, dnsFailover: { ...DNS, ...change } } })).toThrow(message);
});

test('with the plan\'s health check, the record is judged by a calculated check that needs both healthy', () => {
  const { template } = synthPlatform({ disasterRecovery: DR });
  const checks = template.findResources('AWS::Route53::HealthCheck');
  const record = onlyResource(template, 'AWS::Route53::RecordSet').Properties;
  const calculated = (checks[record.HealthCheckId.Ref] as any).Properties.HealthCheckConfig;
  expect(calculated).toMatchObject({ Type: 'CALCULATED', HealthThreshold: 2 });
  expect(calculated.ChildHealthChecks).toEqual([{ Ref: expect.stringMatching(/HealthCheck0/) }, DNS.records[0].regionSwitchHealthCheckIds!['eu-west-1']]);
  expect(() => synthPlatform({ disasterRecovery: { ...DR, dnsFailover: { ...DNS, records: [{ name: 'www.shop.example.com', regionSwitchHealthCheckIds: { 'eu-west-1': 'hc-1' } }] } } }))
    .toThrow(/records\[0\]\.regionSwitchHealthCheckIds\.eu-west-1 = "hc-1" is invalid: must be a Route 53 health check ID/);
});
