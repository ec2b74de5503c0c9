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
    const [checkId] = Object.keys(template.findResources('AWS::Route53::HealthCheck'));
    expect(record.HealthCheckId).toEqual({ Ref: checkId });
    expect(onlyResource(template, 'AWS::Route53::HealthCheck').Properties.HealthCheckConfig).toMatchObject({
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
    const checks = Object.values(template.findResources('AWS::Route53::HealthCheck')).map((c: any) => c.Properties.HealthCheckConfig);
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
