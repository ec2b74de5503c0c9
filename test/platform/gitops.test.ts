import { ARGOCD_CHART_VERSION, EXTERNAL_SECRETS_CHART_VERSION } from '../../src/versions';
import { helmChart, onlyResource, parseJoined, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';
import { validateManifests } from '../helpers/schema';

const REPO = 'https://github.com/example/shop-gitops.git';

function manifestsOf(template: any, kind: string): any[] {
  return Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
    .map((r: any) => parseJoined(r.Properties.Manifest)).find((m: any[]) => m.some((o) => o.kind === kind))!;
}

describe('GitOps and secrets', () => {
  const { stack, template } = synthPlatform({ gitOps: { repoUrl: REPO, repositoryCredentialsSecret: 'shop/argocd/repository' } });

  test('ArgoCD in HA: redis-ha, two replicas of server, repo server and ApplicationSet controller, PDBs, zone spread, not consolidated', () => {
    const chart = helmChart(template, 'argo-cd');
    expect(chart.properties).toMatchObject({ Version: ARGOCD_CHART_VERSION, Namespace: 'argocd', Wait: true });
    expect(chart.values['redis-ha']).toEqual({ enabled: true });
    for (const [key, name] of [['server', 'argocd-server'], ['repoServer', 'argocd-repo-server'], ['applicationSet', 'argocd-applicationset-controller']]) {
      expect(chart.values[key]).toEqual({
        replicas: 2,
        pdb: { enabled: true, maxUnavailable: 1 },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } } }],
      });
    }
    expect(chart.values.global.podAnnotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    expect(chart.values.crds).toEqual({ install: true, keep: true });
  });

  test('the cluster secret carries the AWS metadata Git manifests need (GitOps Bridge)', () => {
    const [secret] = manifestsOf(template, 'Secret').filter((o) => o.kind === 'Secret');
    expect(secret.metadata.labels).toMatchObject({ 'argocd.argoproj.io/secret-type': 'cluster', 'environment': 'production' });
    expect(Object.keys(secret.metadata.annotations).sort()).toEqual([
      'aws_account_id', 'aws_cluster_name', 'aws_region', 'aws_vpc_id', 'external_secrets_role_arn', 'external_secrets_secret_prefix',
      'gitops_repo_path', 'gitops_repo_revision', 'gitops_repo_url', 'karpenter_controller_role_arn', 'karpenter_interruption_queue',
      'karpenter_node_role_name', 'load_balancer_controller_role_arn', 'secrets_manager_kms_key_arn',
    ]);
    expect(secret.metadata.annotations).toMatchObject({ aws_cluster_name: 'shop', aws_region: 'eu-west-1', gitops_repo_url: REPO, external_secrets_secret_prefix: 'shop/' });
    expect(secret.stringData).toEqual({ name: 'in-cluster', server: 'https://kubernetes.default.svc', config: '{"tlsClientConfig":{"insecure":false}}' });
  });

  test('project, root Application and repository credentials are schema-valid and wired as expected', () => {
    const bootstrap = manifestsOf(template, 'AppProject');
    // Tokens are placeholders here; the objects are otherwise exactly what is applied.
    validateManifests(bootstrap.map((o) => ({ ...o, metadata: { ...o.metadata, labels: undefined } })));
    const project = bootstrap.find((o) => o.kind === 'AppProject');
    expect(project.spec).toMatchObject({ sourceRepos: [REPO], clusterResourceWhitelist: [{ group: '*', kind: '*' }] });
    const root = bootstrap.find((o) => o.kind === 'Application');
    expect(root).toMatchObject({
      metadata: { name: 'root', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-100' } },
      spec: { project: 'platform', source: { repoURL: REPO, targetRevision: 'main', path: 'gitops/apps' }, syncPolicy: { automated: { prune: true, selfHeal: true } } },
    });
    const credentials = bootstrap.find((o) => o.kind === 'ExternalSecret');
    expect(credentials.spec).toMatchObject({
      dataFrom: [{ extract: { key: 'shop/argocd/repository' } }],
      target: { name: 'gitops-repository', template: { metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repository' } } } },
    });
  });

  test('the bootstrap objects wait for ArgoCD and the secret store', () => {
    const bootstrap = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
      .find((r: any) => JSON.stringify(r.Properties.Manifest).includes('AppProject')) as any;
    const logicalId = (chart: string) => Object.keys(template.findResources('Custom::AWSCDK-EKS-HelmChart', { Properties: { Chart: chart } }))[0];
    const store = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
      .find(([, r]: [string, any]) => JSON.stringify(r.Properties.Manifest).includes('ClusterSecretStore'))![0];
    expect(bootstrap.DependsOn).toEqual(expect.arrayContaining([logicalId('argo-cd'), store]));
  });

  test('External Secrets: two replicas with leader election and PDBs, a Pod Identity role limited to the prefix and one key', () => {
    const chart = helmChart(template, 'external-secrets');
    expect(chart.properties).toMatchObject({ Version: EXTERNAL_SECRETS_CHART_VERSION, Namespace: 'external-secrets' });
    expect(chart.values).toMatchObject({
      replicaCount: 2,
      leaderElect: true,
      installCRDs: true,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      webhook: { replicaCount: 2 },
      certController: { replicaCount: 2 },
      serviceAccount: { name: 'external-secrets' },
    });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'external-secrets', ServiceAccount: 'external-secrets' });
    const policy = JSON.stringify(Object.values(template.findResources('AWS::IAM::Policy')).map((r: any) => r.Properties.PolicyDocument));
    expect(policy).toContain(':secret:shop/*');
    expect(policy).toContain('"kms:ViaService":');
    expect(policy).not.toContain('"secretsmanager:*"');
    const [store] = manifestsOf(template, 'ClusterSecretStore');
    expect(store.spec).toEqual({ provider: { aws: { service: 'SecretsManager', region: '<token>' } } });
  });

  test('cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });

  test('without gitOps there is no ArgoCD, but External Secrets still runs', () => {
    const plain = synthPlatform().template;
    expect(Object.keys(plain.findResources('Custom::AWSCDK-EKS-HelmChart', { Properties: { Chart: 'argo-cd' } }))).toEqual([]);
    expect(onlyResource(plain, 'Custom::AWSCDK-EKS-HelmChart', { Chart: 'external-secrets' })).toBeDefined();
  });

  test.each([
    [{ gitOps: { repoUrl: 'https://ci:token@github.com/example/repo.git' } }, /gitOps\.repoUrl = "https:\/\/\*\*\*@github\.com\/example\/repo\.git" is invalid: must not embed credentials/],
    [{ gitOps: { repoUrl: REPO, revision: '../main' } }, /gitOps\.revision = "\.\.\/main" is invalid/],
    [{ gitOps: { repoUrl: REPO, path: '/apps' } }, /gitOps\.path = "\/apps" is invalid/],
    [{ gitOps: { repoUrl: REPO, repositoryCredentialsSecret: 'other/argocd' } }, /gitOps\.repositoryCredentialsSecret = "other\/argocd" is invalid: must be under the platform's secret prefix "shop\/"/],
    [{ secretNamePrefix: 'shop' }, /secretNamePrefix = "shop" is invalid: must be a Secrets Manager name prefix ending with "\/"/],
  ])('rejects %o', (props, message) => {
    expect(() => synthPlatform(props as any)).toThrow(message);
  });
});
