import { Chart, Duration, Testing } from 'cdk8s';
import {
  AppProject, Application, HaMicroservice, SecretsManagerSecret, SecretsManagerStore, ServiceApplicationSet,
} from '../../src';
import { Manifest, validateManifests } from '../helpers/schema';
import { minimalProps } from '../helpers/synth';

const REPO = 'https://github.com/example/shop-gitops.git';

function synth(build: (chart: Chart) => void, namespace?: string): Manifest[] {
  const chart = new Chart(Testing.app(), 'gitops', { namespace });
  build(chart);
  const manifests = Testing.synth(chart) as Manifest[];
  validateManifests(manifests);
  return manifests;
}

const automated = {
  automated: { prune: true, selfHeal: true, allowEmpty: false },
  retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
  syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true'],
};

describe('ArgoCD objects', () => {
  test('AppProject: only the listed repositories and namespaces; of cluster resources only Namespaces unless allowed', () => {
    const [project] = synth((chart) => new AppProject(chart, 'P', { name: 'services', sourceRepos: [REPO], destinationNamespaces: ['shop'] }));
    expect(project).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'services', namespace: 'argocd' },
      spec: {
        sourceRepos: [REPO],
        destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop' }],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      },
    });
  });

  test('AppProject: excluded namespaces and namespaced kinds', () => {
    const [project] = synth((chart) => new AppProject(chart, 'P', {
      name: 'bootstrap',
      sourceRepos: [REPO],
      destinationNamespaces: ['*', '!argocd'],
      allowClusterResources: true,
      namespacedKinds: [{ group: 'argoproj.io', kind: 'Application' }],
    }));
    expect(project.spec).toMatchObject({
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }, { server: 'https://kubernetes.default.svc', namespace: '!argocd' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'Application' }],
    });
  });

  test('an Application owned by CloudFormation can skip the cascading finalizer', () => {
    const [app] = synth((chart) => new Application(chart, 'A', { name: 'root', project: 'p', repoUrl: REPO, path: 'gitops', cascadeDelete: false }));
    expect(app.metadata.finalizers).toBeUndefined();
  });

  test('Application: automated sync with prune, self-heal, retries, a sync wave and the resources finalizer', () => {
    const [app] = synth((chart) => new Application(chart, 'A', { name: 'platform', project: 'platform', repoUrl: REPO, path: 'gitops/platform', syncWave: -10 }));
    expect(app).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'platform', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-10' }, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: 'platform',
        source: { repoURL: REPO, targetRevision: 'main', path: 'gitops/platform' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'default' },
        syncPolicy: automated,
      },
    });
  });

  test('ApplicationSet: one Application per service directory, in its own namespace, opted in to the services secret store and ALB pod readiness gates', () => {
    const [set] = synth((chart) => new ServiceApplicationSet(chart, 'S', { name: 'services', project: 'services', repoUrl: REPO, servicesPath: 'gitops/services' }));
    expect(set.spec).toEqual({
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ git: { repoURL: REPO, revision: 'main', directories: [{ path: 'gitops/services/*' }] } }],
      template: {
        metadata: { name: '{{.path.basename}}' },
        spec: {
          project: 'services',
          source: { repoURL: REPO, targetRevision: 'main', path: '{{.path.path}}' },
          destination: { server: 'https://kubernetes.default.svc', namespace: '{{.path.basename}}' },
          syncPolicy: {
            ...automated,
            managedNamespaceMetadata: { labels: { 'resilient-eks.dev/secrets': 'enabled', 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } },
          },
        },
      },
    });
  });

  test.each([
    [{ repoUrl: 'https://user:token@github.com/example/repo.git' }, /repoUrl = "https:\/\/\*\*\*@github\.com\/example\/repo\.git" is invalid: must not carry credentials/],
    [{ repoUrl: 'ssh://git:TOKEN@host/r.git' }, /repoUrl = "ssh:\/\/\*\*\*@host\/r\.git" is invalid: must not carry credentials/],
    [{ repoUrl: 'https://host/r.git?access_token=abc' }, /repoUrl = "https:\/\/host\/r\.git\?\*\*\*" is invalid/],
    [{ revision: '-main' }, /revision = "-main" is invalid/],
    [{ revision: '{{.x}}' }, /revision = "\{\{\.x\}\}" is invalid/],
    [{ path: 'gitops/[ab]' }, /path = "gitops\/\[ab\]" is invalid/],
    [{ repoUrl: 'github.com/example/repo' }, /repoUrl = "github\.com\/example\/repo" is invalid: must be an HTTPS .* or SSH/],
    [{ revision: 'feature/../x' }, /revision = "feature\/\.\.\/x" is invalid: must be a branch, tag or commit/],
    [{ revision: 'main/' }, /revision = "main\/" is invalid/],
    [{ path: '/gitops' }, /path = "\/gitops" is invalid: must be a relative directory/],
    [{ path: 'gitops/../secrets' }, /path = "gitops\/\.\.\/secrets" is invalid/],
  ])('Application rejects %o', (overrides, message) => {
    expect(() => synth((chart) => new Application(chart, 'A', { name: 'a', project: 'p', repoUrl: REPO, path: 'gitops', ...overrides }))).toThrow(message);
  });

  test('SSH repository URLs are accepted', () => {
    expect(() => synth((chart) => new Application(chart, 'A', { name: 'a', project: 'p', repoUrl: 'git@github.com:example/repo.git', path: 'gitops' }))).not.toThrow();
  });
});

describe('External Secrets objects', () => {
  test('a ClusterSecretStore for Secrets Manager with no static credentials, usable only from labelled namespaces', () => {
    const [store] = synth((chart) => new SecretsManagerStore(chart, 'S', { region: 'eu-west-1' }));
    expect(store).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'aws-secrets-manager' },
      spec: {
        provider: { aws: { service: 'SecretsManager', region: 'eu-west-1' } },
        conditions: [{ namespaceSelector: { matchLabels: { 'resilient-eks.dev/secrets': 'enabled' } } }],
      },
    });
  });

  test('a store with its own role, for named namespaces only', () => {
    const [store] = synth((chart) => new SecretsManagerStore(chart, 'S', {
      name: 'argocd-repository', region: 'eu-west-1', roleArn: 'arn:aws:iam::111122223333:role/reader', namespaces: ['argocd'],
    }));
    expect(store.spec).toEqual({
      provider: { aws: { service: 'SecretsManager', region: 'eu-west-1', role: 'arn:aws:iam::111122223333:role/reader' } },
      conditions: [{ namespaces: ['argocd'] }],
    });
  });

  test('static keys are merged next to the fetched ones', () => {
    const [secret] = synth((chart) => new SecretsManagerSecret(chart, 'E', { targetName: 'repo', secretNames: ['a/b'], staticData: { type: 'git' } }));
    expect(secret.spec.target).toEqual({ name: 'repo', creationPolicy: 'Owner', template: { mergePolicy: 'Merge', data: { type: 'git' } } });
  });

  test('an ExternalSecret that extracts named secrets into one owned Secret', () => {
    const [secret] = synth((chart) => new SecretsManagerSecret(chart, 'E', {
      targetName: 'repo', secretNames: ['shop/argocd/repository'], labels: { 'argocd.argoproj.io/secret-type': 'repository' }, refreshInterval: Duration.minutes(15),
    }), 'argocd');
    expect(secret).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'repo', namespace: 'argocd' },
      spec: {
        refreshInterval: '900s',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
        target: { name: 'repo', creationPolicy: 'Owner', template: { metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repository' } } } },
        dataFrom: [{ extract: { key: 'shop/argocd/repository' } }],
      },
    });
  });

  test.each([
    [{ secretNames: [] }, /secretNames = \[\] is invalid: must name at least one secret/],
    [{ secretNames: ['arn:aws:secretsmanager:eu-west-1:1:secret:x'] }, /secretNames\[0\] = .* is invalid: must be a Secrets Manager secret name/],
    [{ refreshInterval: Duration.seconds(10) }, /refreshInterval = "10s" is invalid: must be at least a minute/],
  ])('ExternalSecret rejects %o', (overrides, message) => {
    expect(() => synth((chart) => new SecretsManagerSecret(chart, 'E', { targetName: 't', secretNames: ['a/b'], ...overrides }))).toThrow(message);
  });

  test('HaMicroservice declares the Secrets Manager secrets it needs by name and reads them as env', () => {
    const manifests = synth((chart) => new HaMicroservice(chart, 'Payments', minimalProps({
      name: 'payments', secretsManagerSecrets: ['shop/payments/provider', 'shop/payments/db'],
    })), 'shop');
    const external = manifests.find((m) => m.kind === 'ExternalSecret')!;
    expect(external.metadata).toMatchObject({ name: 'payments-aws-secrets', namespace: 'shop' });
    expect(external.spec.dataFrom).toEqual([{ extract: { key: 'shop/payments/provider' } }, { extract: { key: 'shop/payments/db' } }]);
    const deployment = manifests.find((m) => m.kind === 'Deployment')!;
    expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'payments-aws-secrets' } }]);
  });
});
