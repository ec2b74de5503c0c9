import { DEPLOY_TIME_VALUE } from '../../src/report/private/inputs';
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
    expect(chart.properties).toMatchObject({ Version: ARGOCD_CHART_VERSION, Namespace: 'argocd', Wait: true, Timeout: '900s' });
    // The subchart gets neither argo-cd's global pod annotations nor a PDB unless told so in its own values.
    const budget = { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' };
    expect(chart.values['redis-ha']).toEqual({
      enabled: true,
      podDisruptionBudget: budget,
      redis: { podAnnotations: { 'karpenter.sh/do-not-disrupt': 'true' } },
      haproxy: { podAnnotations: { 'karpenter.sh/do-not-disrupt': 'true' }, podDisruptionBudget: budget },
    });
    for (const [key, name] of [['server', 'argocd-server'], ['repoServer', 'argocd-repo-server'], ['applicationSet', 'argocd-applicationset-controller']]) {
      expect(chart.values[key]).toEqual({
        replicas: 2,
        pdb: { enabled: true, maxUnavailable: 1 },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } } }],
      });
    }
    expect(chart.values.global.podAnnotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    expect(chart.values.crds).toEqual({ install: true, keep: true });
    // Application health, so an app-of-apps waits for lower sync waves to be healthy.
    expect(chart.values.configs.cm['resource.customizations.health.argoproj.io_Application']).toContain('hs.status = obj.status.health.status');
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

  test('projects, root Application and repository credentials are schema-valid and wired as expected', () => {
    const bootstrap = manifestsOf(template, 'AppProject');
    // Tokens are placeholders here; the objects are otherwise exactly what is applied.
    validateManifests(bootstrap.map((o) => ({ ...o, metadata: { ...o.metadata, labels: undefined } })));
    const project = (name: string) => bootstrap.find((o) => o.kind === 'AppProject' && o.metadata.name === name);
    // The root Application may only create ArgoCD objects in argocd; the platform project may not touch argocd.
    expect(project('bootstrap').spec).toEqual({
      description: expect.any(String),
      sourceRepos: [REPO],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      namespaceResourceWhitelist: ['Application', 'ApplicationSet', 'AppProject'].map((kind) => ({ group: 'argoproj.io', kind })),
    });
    expect(project('platform').spec).toMatchObject({
      sourceRepos: [REPO],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }, { server: 'https://kubernetes.default.svc', namespace: '!argocd' }],
    });
    const root = bootstrap.find((o) => o.kind === 'Application');
    expect(root.metadata).toEqual({ name: 'root', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-100' }, labels: expect.anything() });
    expect(root.spec).toEqual({
      project: 'bootstrap',
      source: { repoURL: REPO, targetRevision: 'main', path: 'gitops/apps' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true, allowEmpty: false },
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true'],
      },
    });
    const credentials = bootstrap.find((o) => o.kind === 'ExternalSecret');
    expect(credentials.spec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'argocd-repository' },
      dataFrom: [{ extract: { key: 'shop/argocd/repository' } }],
      target: {
        name: 'gitops-repository',
        template: { mergePolicy: 'Merge', data: { url: REPO, type: 'git' }, metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repository' } } },
      },
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

  test('External Secrets: two replicas with leader election and PDBs; stores reading through their own roles', () => {
    const chart = helmChart(template, 'external-secrets');
    expect(chart.properties).toMatchObject({ Version: EXTERNAL_SECRETS_CHART_VERSION, Namespace: 'external-secrets' });
    expect(chart.values).toMatchObject({
      replicaCount: 2,
      leaderElect: true,
      installCRDs: true,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
      certController: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
      serviceAccount: { name: 'external-secrets' },
    });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'external-secrets', ServiceAccount: 'external-secrets' });
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')).map(([id, r]: [string, any]) => [id, r.Properties.PolicyDocument.Statement]);
    const statementsOf = (idPart: string) => policies.find(([id]) => String(id).includes(idPart))![1] as any[];
    // The operator's own role may only assume the two readers.
    expect(statementsOf('ExternalSecretsRoleDefaultPolicy').map((s) => s.Action)).toEqual([['sts:AssumeRole', 'sts:TagSession'], ['sts:AssumeRole', 'sts:TagSession']]);
    const arn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:secret:${suffix}`]] });
    const read = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds'];
    expect(statementsOf('ServicesReaderDefaultPolicy')).toEqual([
      { Effect: 'Allow', Action: read, Resource: arn('shop/*') },
      { Effect: 'Deny', Action: read, Resource: arn('shop/argocd/*') },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: expect.anything(), Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } } },
    ]);
    expect(statementsOf('ArgoCdReaderDefaultPolicy')[0]).toEqual({ Effect: 'Allow', Action: read, Resource: arn('shop/argocd/*') });
    const stores = manifestsOf(template, 'ClusterSecretStore');
    expect(stores.map((s) => [s.metadata.name, s.spec.conditions])).toEqual([
      ['aws-secrets-manager', [{ namespaceSelector: { matchLabels: { 'resilient-eks.dev/secrets': 'enabled' } } }]],
      ['argocd-repository', [{ namespaces: ['argocd'] }]],
    ]);
    expect(stores.every((s) => s.spec.provider.aws.role === DEPLOY_TIME_VALUE && s.spec.provider.aws.region === 'eu-west-1')).toBe(true);
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
    [{ gitOps: { repoUrl: 'https://ci:token@github.com/example/repo.git' } }, /gitOps\.repoUrl = "https:\/\/\*\*\*@github\.com\/example\/repo\.git" is invalid: must not carry credentials/],
    [{ gitOps: { repoUrl: REPO, revision: '../main' } }, /gitOps\.revision = "\.\.\/main" is invalid/],
    [{ gitOps: { repoUrl: REPO, path: '/apps' } }, /gitOps\.path = "\/apps" is invalid/],
    [{ gitOps: { repoUrl: REPO, repositoryCredentialsSecret: 'shop/git' } }, /gitOps\.repositoryCredentialsSecret = "shop\/git" is invalid: must be under "shop\/argocd\/"/],
    [{ gitOps: { repoUrl: REPO, chartVersion: '^10.0.0' } }, /gitOps\.chartVersion = "\^10\.0\.0" is invalid: must be an exact chart version/],
    [{ secretNamePrefix: 'shop' }, /secretNamePrefix = "shop" is invalid: must be a Secrets Manager name prefix ending with "\/"/],
  ])('rejects %o', (props, message) => {
    expect(() => synthPlatform(props as any)).toThrow(message);
  });
});

test('the argo-cd chart version can be pinned by the user', () => {
  const { template } = synthPlatform({ gitOps: { repoUrl: REPO, chartVersion: '10.11.0' } });
  expect(helmChart(template, 'argo-cd').properties.Version).toBe('10.11.0');
});
