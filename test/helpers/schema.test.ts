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
    expect(() => validateManifests([{ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'c' } }])).toThrow(/no schema registered for v1\/LimitRange/);
  });
});

describe('vendored CRD schemas', () => {
  const schedule = (template: any) => ({
    apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 's', namespace: 'velero' }, spec: { schedule: '0 * * * *', template },
  });

  test('accept a valid Velero Schedule', () => {
    expect(() => validateManifests([schedule({ ttl: '720h0m0s', snapshotMoveData: true })])).not.toThrow();
  });

  test('reject a field the CRD does not declare, which the API server would silently prune', () => {
    expect(() => validateManifests([schedule({ ttl: '720h0m0s', snapshotMovedata: true })]))
      .toThrow(/velero\.io\/v1\/Schedule "s" does not match the Kubernetes schema: .*must NOT have additional properties/);
  });

  test('reject a wrong type', () => {
    expect(() => validateManifests([{ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'c' }, driver: 'x', deletionPolicy: 'Keep' }]))
      .toThrow(/must be equal to one of the allowed values/);
  });
});

describe('Istio and Gateway API schemas', () => {
  test('reject a retry count given as text and an unknown mTLS mode', () => {
    expect(() => validateManifests([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'v' },
      spec: { hosts: ['api'], http: [{ route: [{ destination: { host: 'api' } }], retries: { attempts: 'two' } }] },
    }])).toThrow(/networking\.istio\.io\/v1\/VirtualService "v" does not match the Kubernetes schema/);
    expect(() => validateManifests([{
      apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p' }, spec: { mtls: { mode: 'MUTUAL' } },
    }])).toThrow(/PeerAuthentication "p" does not match/);
  });

  test('reject a Gateway without a class', () => {
    expect(() => validateManifests([{
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    }])).toThrow(/Gateway "g" does not match/);
  });
});
