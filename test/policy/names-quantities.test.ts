import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { requireCidr, requireEnvVarName, requirePinnedImage, requireQualifiedName, requireServiceName } from '../../src/policy/names';
import { cpuMillicores, cpuQuantity, memoryKibibytes, memoryQuantity } from '../../src/policy/quantities';

describe('names', () => {
  test.each(['api', 'a', 'cart-v2', 'a'.repeat(63)])('service name %s is accepted', (name) => {
    expect(requireServiceName('name', name)).toBe(name);
  });
  test.each(['Api', '1api', 'api-', 'api_v2', 'a'.repeat(64), '', 'shop.cart'])('service name %j is rejected with a suggestion', (name) => {
    expect(() => requireServiceName('name', name)).toThrow(/name = ".*" is invalid: must be a DNS-1123 label that starts with a letter.*Fix: rename it, e\.g\. "/);
  });

  test.each([
    'nginx:1.27', 'public.ecr.aws/eks/app:v1.2.3', 'localhost:5000/app:1',
    '111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/cart@sha256:' + 'a'.repeat(64),
  ])('image %s is pinned', (image) => expect(requirePinnedImage('image', image)).toBe(image));
  test.each(['nginx', 'nginx:latest', 'localhost:5000/app', 'app@sha256:xyz', 'my app:1'])('image %s is rejected', (image) => {
    expect(() => requirePinnedImage('image', image)).toThrow(/image = ".*" is invalid/);
  });

  test.each(['eks.amazonaws.com/role-arn', 'simple', 'example.com/a_b.c'])('qualified name %s', (key) => {
    expect(requireQualifiedName('k', key)).toBe(key);
  });
  test.each(['a/b/c', 'Bad_Prefix/x', '/x', 'x/'])('qualified name %s is rejected', (key) => {
    expect(() => requireQualifiedName('k', key)).toThrow(/must be a qualified name/);
  });

  test.each(['LOG_LEVEL', 'a.b-c', '_x'])('env var %s', (name) => expect(requireEnvVarName('env', name)).toBe(name));
  test.each(['1X', 'A B', 'X=Y'])('env var %s is rejected', (name) => {
    expect(() => requireEnvVarName('env', name)).toThrow(/must be a valid environment variable name/);
  });

  test.each(['10.0.0.0/16', '0.0.0.0/0', '::/0', 'fd00:ec2::23/128'])('CIDR %s', (cidr) => expect(requireCidr('c', cidr)).toBe(cidr));
  test.each(['10.0.0.0', '10.0.0.0/33', 'abc/8', '10.0.0.0/8/1', '::/129'])('CIDR %s is rejected', (cidr) => {
    expect(() => requireCidr('c', cidr)).toThrow(/must be a CIDR block/);
  });
});

describe('quantities', () => {
  test.each([[Cpu.millis(250), 250], [Cpu.units(1), 1000], [Cpu.units(0.5), 500], [Cpu.units(2), 2000]])('cpu %o', (cpu, millis) => {
    expect(cpuMillicores('cpu', cpu)).toBe(millis);
  });
  test.each([Cpu.millis(0), Cpu.millis(0.5), Cpu.units(0.0001)])('cpu %o is rejected', (cpu) => {
    expect(() => cpuMillicores('cpu', cpu)).toThrow(/cpu = ".*" is invalid: must be a positive whole number of millicores/);
  });
  test('cpu quantity is written in millicores', () => expect(cpuQuantity(1500)).toBe('1500m'));

  test.each([[Size.mebibytes(256), '256Mi'], [Size.gibibytes(2), '2Gi'], [Size.kibibytes(1536), '1536Ki'], [Size.mebibytes(1536), '1536Mi']])('memory %o', (size, quantity) => {
    expect(memoryQuantity(memoryKibibytes('memory', size))).toBe(quantity);
  });
  test('memory must be positive', () => {
    expect(() => memoryKibibytes('memory', Size.mebibytes(0))).toThrow(/memory = "0 KiB" is invalid/);
  });
});
