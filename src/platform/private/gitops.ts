import { Aws } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as cdk8s from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct, IDependable } from 'constructs';
import { AppProject } from '../../k8s/argocd/app-project';
import { Application } from '../../k8s/argocd/application';
import { ARGOCD_NAMESPACE } from '../../k8s/argocd/sync';
import { SecretsManagerSecret } from '../../k8s/external-secrets/external-secret';
import { invalid } from '../../policy/errors';
import { requireRepoPath, requireRepoUrl, requireRevision } from '../../policy/git-source';
import { requireLabelValue } from '../../policy/names';
import { ARGOCD_CHART_REPOSITORY, ARGOCD_CHART_VERSION } from '../../versions';
import { GitOpsOptions } from '../gitops-options';

/** Inputs of the GitOps bootstrap. */
export interface GitOpsBootstrapProps {
  readonly cluster: eks.Cluster;
  readonly options: GitOpsOptions;
  readonly secretNamePrefix: string;
  /** What Git manifests need from AWS, published on the cluster secret (GitOps Bridge). */
  readonly metadata: { [key: string]: string };
  /** The External Secrets store, for the repository credentials. */
  readonly secretStore: IDependable;
  readonly dependsOn: IDependable[];
}

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
    if (options.repositoryCredentialsSecret !== undefined && !options.repositoryCredentialsSecret.startsWith(props.secretNamePrefix)) {
      invalid('gitOps.repositoryCredentialsSecret', options.repositoryCredentialsSecret,
        `must be under the platform's secret prefix "${props.secretNamePrefix}": External Secrets may read nothing else`,
        `name it "${props.secretNamePrefix}argocd/repository"`);
    }

    const component = (name: string) => ({
      replicas: 2,
      pdb: { enabled: true, maxUnavailable: 1 },
      topologySpreadConstraints: [{
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
      }],
    });
    this.chart = cluster.addHelmChart('ArgoCd', {
      chart: 'argo-cd',
      repository: ARGOCD_CHART_REPOSITORY,
      version: ARGOCD_CHART_VERSION,
      namespace: ARGOCD_NAMESPACE,
      release: 'argocd',
      wait: true,
      values: {
        'crds': { install: true, keep: true },
        // Consolidation must not evict the delivery system while it delivers: Karpenter leaves these pods' nodes alone.
        'global': { podAnnotations: { 'karpenter.sh/do-not-disrupt': 'true' } },
        'redis-ha': { enabled: true },
        'controller': { replicas: 1 },
        ...Object.fromEntries(ARGOCD_COMPONENTS.map(([key, name]) => [key, component(name)])),
        'configs': { cm: { 'application.resourceTrackingMethod': 'annotation' } },
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
        labels: { 'argocd.argoproj.io/secret-type': 'repository' },
      });
    }
    const project = new AppProject(bootstrap, 'Project', {
      name: 'platform',
      description: 'Everything the platform runs, from the GitOps repository only',
      sourceRepos: [repoUrl],
      destinationNamespaces: ['*'],
      allowClusterResources: true,
    });
    new Application(bootstrap, 'Root', { name: 'root', project: project.name, repoUrl, revision, path, destinationNamespace: ARGOCD_NAMESPACE, syncWave: -100 });
    cluster.addCdk8sChart('GitOpsBootstrap', bootstrap).node.addDependency(this.chart, props.secretStore);
  }
}
