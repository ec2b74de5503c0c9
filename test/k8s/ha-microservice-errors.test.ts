import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { HaMicroservice, HaMicroserviceProps, HealthProbe } from '../../src';
import { minimalProps } from '../helpers/synth';

function construct(overrides: Partial<HaMicroserviceProps>): () => HaMicroservice {
  return () => new HaMicroservice(new Chart(Testing.app(), 'test'), 'Api', minimalProps(overrides));
}

/**
 * Every rule from the issue, and the rest the construct enforces. Each error
 * names the construct path, the prop, the value, the rule and the fix.
 */
const cases: Array<[string, Partial<HaMicroserviceProps>, RegExp]> = [
  ['replicas below the zone count', { replicas: 2 }, /replicas = 2 is invalid: must be a whole number from 3 to 1000 \(at least 3: one replica per zone/],
  ['replicas below the zone count (4 zones)', { zoneCount: 4, replicas: 3 }, /replicas = 3 is invalid: must be a whole number from 4 to 1000/],
  ['min replicas below the zone count', { autoscaling: { minReplicas: 2 } }, /autoscaling\.minReplicas = 2 is invalid/],
  ['replicas and autoscaling together', { replicas: 3, autoscaling: {} }, /replicas = 3 is invalid: cannot be combined with autoscaling/],
  ['min above max', { autoscaling: { minReplicas: 5, maxReplicas: 4 } }, /autoscaling\.maxReplicas = 4 is invalid: must be a whole number no lower than autoscaling\.minReplicas \(5\)/],
  ['cpu limit below request', { cpu: Cpu.millis(500), cpuLimit: Cpu.millis(250) }, /cpuLimit = "250m" is invalid: must not be below the CPU request \(500m\)/],
  ['memory limit below request', { memory: Size.mebibytes(512), memoryLimit: Size.mebibytes(256) }, /memoryLimit = "262144Ki" is invalid: must not be below the memory request/],
  ['cpu target 0', { autoscaling: { cpuTargetUtilization: 0 } }, /autoscaling\.cpuTargetUtilization = 0 is invalid: must be a whole percentage in \(0, 100\]/],
  ['memory target above 100', { autoscaling: { memoryTargetUtilization: 120, acceptZoneLossOverload: true } }, /autoscaling\.memoryTargetUtilization = 120 is invalid: must be a whole percentage/],
  ['target breaking static stability', { autoscaling: { cpuTargetUtilization: 70 } },
    /autoscaling\.cpuTargetUtilization = 70 is invalid: breaks static stability: at 4 replicas over 3 zones.*Fix: lower autoscaling\.cpuTargetUtilization to 45 or less.*acceptZoneLossOverload/],
  ['name not DNS-1123', { name: 'My_Service' }, /name = "My_Service" is invalid: must be a DNS-1123 label.*Fix: rename it, e\.g\. "my-service"/],
  ['container port 0', { containerPort: 0 }, /containerPort = 0 is invalid: must be a whole number from 1 to 65535/],
  ['container port too high', { containerPort: 70000 }, /containerPort = 70000 is invalid/],
  ['service port out of range', { servicePort: -1 }, /servicePort = -1 is invalid/],
  ['probe path without /', { readinessProbe: HealthProbe.http('ready') }, /readinessProbe\.path = "ready" is invalid: an HTTP probe path must start with "\/".*Fix: use "\/ready"/],
  ['default probe path without /', { healthCheckPath: 'healthz' }, /healthCheckPath = "healthz" is invalid: an HTTP health-check path must start with "\/"/],
  ['probe timeout above period', { livenessProbe: HealthProbe.tcp({ period: Duration.seconds(2), timeout: Duration.seconds(5) }) }, /livenessProbe\.timeout = 5 is invalid: must be a whole number from 1 to 2/],
  ['empty probe command', { startupProbe: HealthProbe.command([]) }, /startupProbe\.command = \[\] is invalid: a command probe needs a command/],
  ['preStop equal to grace', { preStopSleep: Duration.seconds(30), terminationGracePeriod: Duration.seconds(30) }, /terminationGracePeriod = 30 is invalid: must be longer than preStopSleep \(30 s\)/],
  ['preStop longer than grace', { preStopSleep: Duration.seconds(60), terminationGracePeriod: Duration.seconds(30) }, /terminationGracePeriod = 30 is invalid/],
  ['fractional seconds', { preStopSleep: Duration.millis(1500) }, /preStopSleep = "1500 ms" is invalid: must be a whole number of seconds.*Duration\.seconds\(2\)/],
  ['deregistration delay above grace', { expose: { deregistrationDelay: Duration.seconds(300) } }, /expose\.deregistrationDelay = 300 is invalid: must lie between preStopSleep \(15 s\) and terminationGracePeriod \(45 s\)/],
  ['toleration too short', { nodeFailureToleration: Duration.seconds(1) }, /nodeFailureToleration = 1 is invalid: must be a whole number from 10 to 300/],
  ['zone count 1', { zoneCount: 1 }, /zoneCount = 1 is invalid: must be a whole number from 2 to 6/],
  ['unpinned image', { image: 'nginx' }, /image = "nginx" is invalid: must be pinned to a tag other than "latest" or to a digest/],
  ['latest image', { image: 'nginx:latest' }, /image = "nginx:latest" is invalid/],
  ['root user', { runAsUser: 0 }, /runAsUser = 0 is invalid: must be a whole number from 1 to 2147483647 \(the pods run as non-root/],
  ['no architecture', { architectures: [] }, /architectures = \[\] is invalid: must list at least one architecture/],
  ['relative writable path', { writablePaths: ['tmp'] }, /writablePaths\[0\] = "tmp" is invalid: must be an absolute, normalised directory/],
  ['bad env name', { env: { 'MY VAR': 'x' } }, /env\["MY VAR"\] = "MY VAR" is invalid: must be a valid environment variable name/],
  ['bad config map name', { envFromConfigMaps: ['Bad_Name'] }, /envFromConfigMaps\[0\] = "Bad_Name" is invalid: must be a DNS-1123 subdomain/],
  ['bad secret name', { envFromSecrets: ['x/y'] }, /envFromSecrets\[0\] = "x\/y" is invalid/],
  ['bad service account annotation key', { serviceAccount: { annotations: { 'a/b/c': 'x' } } }, /serviceAccount\.annotations\["a\/b\/c"\] = "a\/b\/c" is invalid: must be a qualified name/],
  ['annotations on an existing service account', { serviceAccount: { create: false, annotations: { a: 'b' } } }, /serviceAccount\.annotations = .* is invalid: cannot be applied to an existing service account/],
  ['bad caller', { allowedCallers: [{ app: 'Front End' }] }, /allowedCallers\[0\]\.app = "Front End" is invalid/],
  ['bad caller namespace', { allowedCallers: [{ app: 'web', namespaceName: 'Bad' }] }, /allowedCallers\[0\]\.namespaceName = "Bad" is invalid: must be a namespace name/],
  ['egress with app and cidr', { egress: [{ app: 'a', cidr: '10.0.0.0/8', port: 1 }] }, /egress\[0\] = .* is invalid: must set exactly one of app or cidr/],
  ['egress with neither', { egress: [{ port: 443 }] }, /egress\[0\] = .* is invalid: must set exactly one of app or cidr/],
  ['egress bad cidr', { egress: [{ cidr: '10.0.0.0', port: 443 }] }, /egress\[0\]\.cidr = "10\.0\.0\.0" is invalid: must be a CIDR block/],
  ['egress bad port', { egress: [{ cidr: '0.0.0.0/0', port: 0 }] }, /egress\[0\]\.port = 0 is invalid/],
  ['egress namespace with cidr', { egress: [{ cidr: '0.0.0.0/0', namespaceName: 'x', port: 443 }] }, /egress\[0\]\.namespaceName = "x" is invalid: only applies to an app destination/],
  ['ingress path without /', { expose: { path: 'api' } }, /expose\.path = "api" is invalid: an Ingress Prefix path must start with "\/"/],
  ['bad host', { expose: { host: 'Shop Example' } }, /expose\.host = "Shop Example" is invalid/],
  ['ALB interval too short', { expose: { healthCheckInterval: Duration.seconds(2) } }, /expose\.healthCheckInterval = 2 is invalid: must be a whole number from 5 to 300/],
  ['ALB timeout not below interval', { expose: { healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(5) } }, /expose\.healthCheckTimeout = 5 is invalid: must be a whole number from 2 to 4/],
  ['ALB threshold', { expose: { healthyThresholdCount: 11 } }, /expose\.healthyThresholdCount = 11 is invalid: must be a whole number from 2 to 10/],
  ['ALB success codes', { expose: { successCodes: '500' } }, /expose\.successCodes = "500" is invalid/],
  ['ALB group name', { expose: { groupName: 'Shop_Group' } }, /expose\.groupName = "Shop_Group" is invalid/],
  ['certificate ARN', { expose: { certificateArn: 'arn:aws:iam::111122223333:server-certificate/x' } }, /expose\.certificateArn = .* is invalid: must be an ACM certificate ARN/],
  ['no ALB source', { expose: { sourceCidrs: [] } }, /expose\.sourceCidrs = \[\] is invalid: must list at least one CIDR/],
  ['bad ALB source', { expose: { sourceCidrs: ['vpc'] } }, /expose\.sourceCidrs\[0\] = "vpc" is invalid/],
  ['duplicate writable path', { writablePaths: ['/tmp', '/tmp/'] }, /writablePaths\[1\] = "\/tmp\/" is invalid: mounts "\/tmp" twice/],
  ['double slash in ingress path', { expose: { path: '//api' } }, /expose\.path = "\/\/api" is invalid/],
  ['dot segment in ingress path', { expose: { path: '/api/../admin' } }, /expose\.path = "\/api\/\.\.\/admin" is invalid/],
  ['wildcard in ingress path', { expose: { path: '/api/*' } }, /expose\.path = "\/api\/\*" is invalid: .*no wildcard.*Fix: use a plain prefix such as "\/api"/],
  ['encoded slash in ingress path', { expose: { path: '/a%2Fb' } }, /expose\.path = "\/a%2Fb" is invalid/],
  ['ingress path too long', { expose: { path: '/' + 'a'.repeat(128) } }, /expose\.path = .* is invalid: .*at most 128 characters/],
  ['host label too long', { expose: { host: 'a'.repeat(64) + '.example.com' } }, /expose\.host = .* is invalid: must be a lower-case DNS name \(labels of at most 63/],
  ['bad zone name', { zones: ['eu-west-1a', 'Zone B', 'eu-west-1c'] }, /zones\[1\] = "Zone B" is invalid: must be an Availability Zone name/],
  ['duplicate zone', { zones: ['eu-west-1a', 'eu-west-1a', 'eu-west-1b'] }, /zones = .* is invalid: lists a zone twice/],
  ['one named zone', { zones: ['eu-west-1a'] }, /zones = 1 is invalid: must be a whole number from 2 to 6/],
  ['zone count disagreeing with zones', { zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], zoneCount: 4 }, /zoneCount = 4 is invalid: disagrees with zones, which names 3 zones/],
  ['bad label value', { partOf: 'my shop!' }, /partOf = "my shop!" is invalid: must be a valid label value/],
  ['bad priority class', { priorityClassName: 'High' }, /priorityClassName = "High" is invalid/],
];

describe('HaMicroservice rejects invalid props at synth time', () => {
  test.each(cases)('%s', (_, overrides, message) => {
    expect(construct(overrides)).toThrow(message);
  });

  test('every error starts with the construct path and ends with a fix', () => {
    for (const [, overrides] of cases) {
      expect(construct(overrides)).toThrow(/^HaMicroservice at 'test\/Api': .+ = .+ is invalid: .+\. Fix: .+\.$/s);
    }
  });
});
