import { MutualTlsMode } from '../../src';
import { ISTIO_VERSION, GATEWAY_API_VERSION } from '../../src/versions';
import { helmChart, parseJoined, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';
import { Manifest, validateManifests } from '../helpers/schema';

const GIT_OPS = { repoUrl: 'https://github.com/example/shop-gitops.git', path: 'gitops/eu-west-1' };

/** Every manifest the platform applies through the kubectl provider. */
function platformManifests(template: any): Manifest[] {
  return Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).flatMap((r: any) => parseJoined(r.Properties.Manifest));
}

describe('service mesh: Istio ambient', () => {
  const { stack, template } = synthPlatform({ gitOps: GIT_OPS, serviceMesh: {} });
  const charts = Object.values(template.findResources('Custom::AWSCDK-EKS-HelmChart')) as any[];
  const byChart = (name: string) => charts.find((c) => c.Properties.Chart === name && c.Properties.Repository === 'https://istio-release.storage.googleapis.com/charts');

  test('base, istiod, cni and ztunnel from the official charts, pinned, in istio-system, in the documented order', () => {
    for (const [chart, release] of [['base', 'istio-base'], ['istiod', 'istiod'], ['cni', 'istio-cni'], ['ztunnel', 'ztunnel']]) {
      expect(byChart(chart).Properties).toMatchObject({ Version: ISTIO_VERSION, Namespace: 'istio-system', Release: release, Wait: true });
    }
    const ids = Object.fromEntries(Object.entries(template.findResources('Custom::AWSCDK-EKS-HelmChart'))
      .filter(([, c]: any) => c.Properties.Repository?.includes('istio')).map(([id, c]: any) => [c.Properties.Chart, id]));
    const resources = template.toJSON().Resources;
    expect(resources[ids.istiod].DependsOn).toContain(ids.base);
    expect(resources[ids.cni].DependsOn).toContain(ids.istiod);
    expect(resources[ids.ztunnel].DependsOn).toContain(ids.cni);
  });

  test('istiod and the CNI agent in ambient mode; istiod keeps two replicas spread over zones', () => {
    expect(helmChart(template, 'istiod').values).toEqual({
      profile: 'ambient',
      autoscaleMin: 2,
      topologySpreadConstraints: [expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'istiod' } } })],
    });
    expect(helmChart(template, 'cni').values).toEqual({ profile: 'ambient' });
  });

  test('strict mutual TLS mesh-wide, validated against the Istio schema', () => {
    const peer = platformManifests(template).filter((m) => m.kind === 'PeerAuthentication');
    validateManifests(peer);
    expect(peer).toHaveLength(1);
    expect(peer[0]).toMatchObject({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' } });
    expect(peer[0].spec).toEqual({ mtls: { mode: 'STRICT' } });
    const permissive = platformManifests(synthPlatform({ gitOps: GIT_OPS, serviceMesh: { mutualTls: MutualTlsMode.PERMISSIVE } }).template)
      .find((m) => m.kind === 'PeerAuthentication')!;
    expect(permissive.spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
  });

  test('ArgoCD installs the Gateway API CRDs waypoints need, pinned, from their project only', () => {
    const objects = platformManifests(template);
    validateManifests(objects.filter((m) => m.apiVersion.startsWith('argoproj.io')));
    const application = objects.find((m) => m.kind === 'Application' && m.metadata.name === 'gateway-api-crds')!;
    expect(application.spec).toMatchObject({
      project: 'gateway-api',
      source: { repoURL: 'https://github.com/kubernetes-sigs/gateway-api.git', targetRevision: GATEWAY_API_VERSION, path: 'config/crd' },
    });
    expect(application.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    const project = objects.find((m) => m.kind === 'AppProject' && m.metadata.name === 'gateway-api')!;
    expect(project.spec.sourceRepos).toEqual(['https://github.com/kubernetes-sigs/gateway-api.git']);
  });

  test('no mesh unless asked for', () => {
    const { template: plain } = synthPlatform({ gitOps: GIT_OPS });
    expect(JSON.stringify(plain.findResources('Custom::AWSCDK-EKS-HelmChart'))).not.toContain('istio');
    expect(platformManifests(plain).map((m) => m.metadata.name)).not.toContain('gateway-api-crds');
  });

  test('the mesh needs GitOps for its Gateway API CRDs', () => {
    expect(() => synthPlatform({ serviceMesh: {} })).toThrow(
      /serviceMesh = \{\} is invalid: needs gitOps: ArgoCD installs the Gateway API CRDs that waypoints are made of\. Fix: set gitOps/);
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});
