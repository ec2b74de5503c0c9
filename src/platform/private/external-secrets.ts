import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as cdk8s from 'cdk8s';
import { Construct, IDependable } from 'constructs';
import { acknowledgeNag, wildcardResourceFindings } from './nag';
import { associatePodIdentity, podIdentityRole } from './pod-identity';
import { SecretsManagerStore } from '../../k8s/external-secrets/secrets-manager-store';
import { EXTERNAL_SECRETS_CHART_REPOSITORY, EXTERNAL_SECRETS_CHART_VERSION } from '../../versions';

const NAMESPACE = 'external-secrets';
const SERVICE_ACCOUNT = 'external-secrets';

/** Inputs of the External Secrets installation. */
export interface ExternalSecretsProps {
  readonly cluster: eks.Cluster;
  readonly secretNamePrefix: string;
  readonly dependsOn: IDependable[];
}

/**
 * The External Secrets Operator: pinned chart, two replicas of the controller,
 * webhook and cert controller with PDBs, a Pod Identity role that can read
 * only secrets under one name prefix (and decrypt them with one KMS key, only
 * through Secrets Manager), and the ClusterSecretStore services read through.
 */
export class ExternalSecrets extends Construct {
  public readonly role: iam.Role;
  /** The key to encrypt the platform's Secrets Manager secrets with. */
  public readonly key: kms.Key;
  /** What must exist before an ExternalSecret is applied. */
  public readonly store: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    const { cluster } = props;
    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: `Encrypts the Secrets Manager secrets under ${props.secretNamePrefix}`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = podIdentityRole(this, 'Role');
    const secrets = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${props.secretNamePrefix}*`;
    this.role.addToPolicy(new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds'],
      resources: [secrets],
    }));
    this.role.addToPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
    }));
    const association = associatePodIdentity(this, 'PodIdentity', cluster, NAMESPACE, SERVICE_ACCOUNT, this.role);

    const spread = (name: string) => [{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
    }];
    const chart = cluster.addHelmChart('ExternalSecrets', {
      chart: 'external-secrets',
      repository: EXTERNAL_SECRETS_CHART_REPOSITORY,
      version: EXTERNAL_SECRETS_CHART_VERSION,
      namespace: NAMESPACE,
      release: 'external-secrets',
      wait: true,
      values: {
        installCRDs: true,
        replicaCount: 2,
        // Two replicas need leader election, or both would reconcile every secret.
        leaderElect: true,
        serviceAccount: { create: true, name: SERVICE_ACCOUNT },
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        topologySpreadConstraints: spread('external-secrets'),
        webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 }, topologySpreadConstraints: spread('external-secrets-webhook') },
        certController: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 }, topologySpreadConstraints: spread('external-secrets-cert-controller') },
      },
    });
    chart.node.addDependency(association, ...props.dependsOn);

    const storeChart = new cdk8s.Chart(new cdk8s.App(), 'SecretStore');
    new SecretsManagerStore(storeChart, 'Store', { region: Aws.REGION });
    this.store = cluster.addCdk8sChart('SecretStore', storeChart);
    this.store.node.addDependency(chart);

    acknowledgeNag(this.role, wildcardResourceFindings(
      [`arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${props.secretNamePrefix}*`],
      'Secrets Manager appends a random suffix to every secret ARN, so reading the secrets under the platform\'s name prefix needs a trailing wildcard.'));
  }
}
