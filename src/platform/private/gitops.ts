import { Aws, Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as cdk8s from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct, IDependable } from 'constructs';
import { ARGOCD_SECRET_STORE_NAME, ARGOCD_SECRET_SUBPREFIX } from './external-secrets';
import { AppProject } from '../../k8s/argocd/app-project';
import { Application } from '../../k8s/argocd/application';
import { ARGOCD_NAMESPACE } from '../../k8s/argocd/sync';
import { SecretsManagerSecret } from '../../k8s/external-secrets/external-secret';
import { invalid } from '../../policy/errors';
import { requireRepoPath, requireRepoUrl, requireRevision } from '../../policy/git-source';
import { requireLabelValue } from '../../policy/names';
import { softZoneSpread } from '../../policy/spread';
import { ARGOCD_CHART_REPOSITORY, ARGOCD_CHART_VERSION, GATEWAY_API_REPOSITORY, GATEWAY_API_VERSION } from '../../versions';
import { GitOpsOptions } from '../gitops-options';

/** Inputs of the GitOps bootstrap. */
export interface GitOpsBootstrapProps {
  readonly cluster: eks.Cluster;
  readonly options: GitOpsOptions;
  readonly secretNamePrefix: string;
  /** What Git manifests need from AWS, published on the cluster secret (GitOps Bridge). */
  readonly metadata: { [key: string]: string };
  /** The External Secrets stores, for the repository credentials. */
  readonly secretStores: IDependable;
  /** Whether the root Application syncs on its own (off on a pilot-light standby). */
  readonly autoSync: boolean;
  /** Install the Gateway API CRDs (the service mesh's waypoints are Gateways). */
  readonly gatewayApiCrds: boolean;
  readonly dependsOn: IDependable[];
}

/** ArgoCD's documented health check for Applications (removed from ArgoCD's defaults in 1.8). */
const APPLICATION_HEALTH_CHECK = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil and obj.status.health ~= nil then',
  '  hs.status = obj.status.health.status',
  '  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end',
  'end',
  'return hs',
].join('\n');

const ARGOCD_COMPONENTS: Array<[string, string]> = [
  ['server', 'argocd-server'], ['repoServer', 'argocd-repo-server'], ['applicationSet', 'argocd-applicationset-controller'],
];

/**
 * ArgoCD installed once, in HA, then everything in the cluster comes from Git:
 * the argo-cd chart (redis-ha, two replicas of the server, repo server and
 * ApplicationSet controller, PDBs, zone spread, pods Karpenter will not
 * consolidate away), the in-cluster cluster secret carrying the AWS metadata
 * Git manifests need, repository credentials from Secrets Manager, a
 * `platform` AppProject limited to the GitOps repository, and the root
 * Application (app-of-apps) with automated sync.
 */
export class GitOpsBootstrap extends Construct {
  public readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: GitOpsBootstrapProps) {
    super(scope, id);
    const { options, cluster } = props;
    const repoUrl = requireRepoUrl('gitOps.repoUrl', options.repoUrl);
    const revision = requireRevision('gitOps.revision', options.revision ?? 'main');
    const path = requireRepoPath('gitOps.path', options.path ?? 'gitops/apps');
    const environment = requireLabelValue('gitOps.environment', options.environment ?? 'production');
    const chartVersion = options.chartVersion ?? ARGOCD_CHART_VERSION;
    if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(chartVersion)) {
      invalid('gitOps.chartVersion', chartVersion, 'must be an exact chart version (no ranges or "latest": synth and deploys must be repeatable)',
        `use "${ARGOCD_CHART_VERSION}"`);
    }
    const argoCdPrefix = `${props.secretNamePrefix}${ARGOCD_SECRET_SUBPREFIX}`;
    if (options.repositoryCredentialsSecret !== undefined && !options.repositoryCredentialsSecret.startsWith(argoCdPrefix)) {
      invalid('gitOps.repositoryCredentialsSecret', options.repositoryCredentialsSecret,
        `must be under "${argoCdPrefix}": only the argocd namespace's store may read there, and it may read nothing else`,
        `name it "${argoCdPrefix}repository"`);
    }

    // Consolidation must not evict the delivery system while it delivers: Karpenter leaves these pods' nodes alone.
    const doNotDisrupt = { 'karpenter.sh/do-not-disrupt': 'true' };
    // redis-ha's PodDisruptionBudgets: the chart renders the map as the PDB's spec, so the eviction policy fits too.
    const redisBudget = { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' };
    const component = (name: string) => ({
      replicas: 2,
      pdb: { enabled: true, maxUnavailable: 1 },
      topologySpreadConstraints: softZoneSpread({ 'app.kubernetes.io/name': name }),
    });
    this.chart = cluster.addHelmChart('ArgoCd', {
      chart: 'argo-cd',
      repository: ARGOCD_CHART_REPOSITORY,
      version: chartVersion,
      namespace: ARGOCD_NAMESPACE,
      release: 'argocd',
      wait: true,
      // redis-ha's three servers and proxies need nodes from Karpenter first.
      timeout: Duration.minutes(15),
      values: {
        'crds': { install: true, keep: true },
        'global': { podAnnotations: doNotDisrupt },
        // The redis-ha subchart reads neither argo-cd's global.podAnnotations nor its pdb values, and renders no
        // PodDisruptionBudget by default: its own podDisruptionBudget (the redis StatefulSet), haproxy.podDisruptionBudget,
        // redis.podAnnotations and haproxy.podAnnotations (DandyDeveloper/charts charts/redis-ha values.yaml and
        // templates/redis-ha-pdb.yaml, redis-haproxy-pdb.yaml; the pod annotations exist since redis-ha 4.34.9, argo-cd
        // 10.1.1 depends on 4.38.0; checked 2026-12-02).
        'redis-ha': {
          enabled: true,
          podDisruptionBudget: redisBudget,
          redis: { podAnnotations: doNotDisrupt },
          haproxy: { podAnnotations: doNotDisrupt, podDisruptionBudget: redisBudget },
        },
        'controller': { replicas: 1 },
        ...Object.fromEntries(ARGOCD_COMPONENTS.map(([key, name]) => [key, component(name)])),
        'configs': {
          cm: {
            'application.resourceTrackingMethod': 'annotation',
            // Applications have no health of their own since ArgoCD 1.8, so an app-of-apps would not wait for a
            // lower sync wave to be healthy: this restores it, making "platform before services" real.
            'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_CHECK,
          },
        },
      },
    });
    this.chart.node.addDependency(...props.dependsOn);

    const bootstrap = new cdk8s.Chart(new cdk8s.App(), 'GitOpsBootstrap', { namespace: ARGOCD_NAMESPACE });
    // The GitOps Bridge: what manifests in Git need from AWS travels on the cluster secret, never in Git.
    new k8s.KubeSecret(bootstrap, 'InClusterSecret', {
      metadata: {
        name: 'in-cluster',
        labels: { 'argocd.argoproj.io/secret-type': 'cluster', 'environment': environment },
        annotations: {
          ...props.metadata, aws_account_id: Aws.ACCOUNT_ID, gitops_repo_url: repoUrl, gitops_repo_revision: revision, gitops_repo_path: path,
        },
      },
      stringData: { name: 'in-cluster', server: 'https://kubernetes.default.svc', config: JSON.stringify({ tlsClientConfig: { insecure: false } }) },
    });
    if (options.repositoryCredentialsSecret) {
      new SecretsManagerSecret(bootstrap, 'RepositoryCredentials', {
        targetName: 'gitops-repository',
        secretNames: [options.repositoryCredentialsSecret],
        storeName: ARGOCD_SECRET_STORE_NAME,
        labels: { 'argocd.argoproj.io/secret-type': 'repository' },
        // Tie the credentials to the watched repository; only username/password or sshPrivateKey come from AWS.
        staticData: { url: repoUrl, type: 'git' },
      });
    }
    // The root Application may only create ArgoCD's own objects in argocd: what runs in the cluster comes
    // through the platform project, which cannot touch the argocd namespace. Write access to the Git branch
    // remains the security boundary: protect it.
    const bootstrapProject = new AppProject(bootstrap, 'BootstrapProject', {
      name: 'bootstrap',
      description: 'The root Application: ArgoCD Applications, ApplicationSets and AppProjects only',
      sourceRepos: [repoUrl],
      destinationNamespaces: [ARGOCD_NAMESPACE],
      namespacedKinds: ['Application', 'ApplicationSet', 'AppProject'].map((kind) => ({ group: 'argoproj.io', kind })),
    });
    new AppProject(bootstrap, 'PlatformProject', {
      name: 'platform',
      description: 'Everything the platform runs, from the GitOps repository only, never inside argocd',
      sourceRepos: [repoUrl],
      destinationNamespaces: ['*', `!${ARGOCD_NAMESPACE}`],
      allowClusterResources: true,
    });
    new Application(bootstrap, 'Root', {
      name: 'root',
      project: bootstrapProject.name,
      repoUrl,
      revision,
      path,
      destinationNamespace: ARGOCD_NAMESPACE,
      syncWave: -100,
      // Owned by CloudFormation: deleting the stack must not wait for a cascade through every child.
      cascadeDelete: false,
      autoSync: props.autoSync,
    });
    if (props.gatewayApiCrds) {
      // Pulled by ArgoCD at the pinned tag from the upstream repository: the CRDs are far too large for a
      // CloudFormation template, and ArgoCD applies them server-side, as their size requires.
      const project = new AppProject(bootstrap, 'GatewayApiProject', {
        name: 'gateway-api',
        description: 'The Gateway API CRDs, from their upstream repository only',
        sourceRepos: [GATEWAY_API_REPOSITORY],
        destinationNamespaces: ['default'],
        allowClusterResources: true,
      });
      new Application(bootstrap, 'GatewayApiCrds', {
        name: 'gateway-api-crds',
        project: project.name,
        repoUrl: GATEWAY_API_REPOSITORY,
        revision: GATEWAY_API_VERSION,
        // The standard channel's kustomization, as Istio 1.30's upgrade notes apply it. A MeshWaypoint synced from Git
        // before the CRDs exist fails and is retried by ArgoCD until they do.
        path: 'config/crd',
        // Deleting the Application must never delete the CRDs, and with them every Gateway in the cluster.
        cascadeDelete: false,
      });
    }
    cluster.addCdk8sChart('GitOpsBootstrap', bootstrap).node.addDependency(this.chart, props.secretStores);
  }
}
