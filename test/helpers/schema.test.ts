import { validateManifests } from './schema';

describe('validateManifests', () => {
  const deployment = (containers: any[]) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers } } },
  });

  test('accepts a valid object', () => {
    expect(() => validateManifests([deployment([{ name: 'a', image: 'b:1' }])])).not.toThrow();
  });

  test('rejects an object that breaks its schema, naming it', () => {
    expect(() => validateManifests([deployment([{ name: 'a', image: 'b:1', lifecycle: { preStop: { sleep: { seconds: '15' } } } }])]))
      .toThrow(/apps\/v1\/Deployment "x" does not match the Kubernetes schema: .*sleep\/seconds must be integer/);
  });

  test('refuses a kind it has no schema for, so nothing goes unchecked', () => {
    expect(() => validateManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }])).toThrow(/no schema registered for v1\/ConfigMap/);
  });
});
