import { Aws } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as cdk8s from 'cdk8s';
import { Construct, IDependable } from 'constructs';
import { acknowledgeNag, wildcardResourceFindings } from './nag';
import { associatePodIdentity, podIdentityRole } from './pod-identity';
import { retainedKey } from './retained-key';
import { SecretsManagerStore } from '../../k8s/external-secrets/secrets-manager-store';
import { softZoneSpread } from '../../policy/spread';
import { EXTERNAL_SECRETS_CHART_REPOSITORY, EXTERNAL_SECRETS_CHART_VERSION } from '../../versions';

export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';
const NAMESPACE = EXTERNAL_SECRETS_NAMESPACE;
const SERVICE_ACCOUNT = 'external-secrets';

/** Inputs of the External Secrets installation. */
export interface ExternalSecretsProps {
  readonly cluster: eks.Cluster;
  readonly region: string;
  readonly secretNamePrefix: string;
  /**
   * On a standby: the alias of the recovery region's key, which the replicas
   * of the primary's secrets are encrypted with (RecoveryRegion creates it).
   */
  readonly replicaKeyAlias?: string;
  readonly dependsOn: IDependable[];
}

/** The store ArgoCD's repository credentials are read through, and the name prefix only it may read. */
export const ARGOCD_SECRET_STORE_NAME = 'argocd-repository';
export const ARGOCD_SECRET_SUBPREFIX = 'argocd/';

/**
 * The External Secrets Operator: pinned chart, two replicas of the controller
 * (leader election), webhook and cert controller with PDBs. Its Pod Identity
 * role may only assume two reader roles, one per ClusterSecretStore:
 * services (namespaces labelled resilient-eks.dev/secrets=enabled) read
 * `<prefix>*` except `<prefix>argocd/*`, which only the argocd namespace reads.
 * Both decrypt with one KMS key, only through Secrets Manager; on a standby
 * also with the recovery region's key, which the replicas of the primary's
 * secrets (same names, this region) are encrypted with.
 */
export class ExternalSecrets extends Construct {
  public readonly role: iam.Role;
  /** The key to encrypt the platform's Secrets Manager secrets with. */
  public readonly key: kms.Key;
  /** What must exist before an ExternalSecret is applied. */
  public readonly stores: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    const { cluster } = props;
    this.key = retainedKey(this, 'Key', `Encrypts the Secrets Manager secrets under ${props.secretNamePrefix}`);
    const podIdentity = { cluster, namespace: NAMESPACE, serviceAccount: SERVICE_ACCOUNT };
    this.role = podIdentityRole(this, 'Role', podIdentity);
    const replicaKeys = `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`;
    const secretArn = (suffix: string) => `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${props.secretNamePrefix}${suffix}`;
    const reader = (readerId: string, allowed: string, denied?: string) => {
      const role = new iam.Role(this, readerId, { assumedBy: new iam.ArnPrincipal(this.role.roleArn) });
      // ESO passes session tags when it assumes a store's role.
      role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ actions: ['sts:TagSession'], principals: [new iam.ArnPrincipal(this.role.roleArn)] }));
      const actions = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds'];
      role.addToPolicy(new iam.PolicyStatement({ actions, resources: [secretArn(allowed)] }));
      if (denied) role.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions, resources: [secretArn(denied)] }));
      const viaSecretsManager = { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` };
      role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [this.key.keyArn], conditions: { StringEquals: viaSecretsManager } }));
      if (props.replicaKeyAlias) {
        // The key lives in the RecoveryRegion's stack: it is named by its alias (kms:ResourceAliases), not by a cross-stack ARN.
        role.addToPolicy(new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [replicaKeys],
          conditions: { 'StringEquals': viaSecretsManager, 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': props.replicaKeyAlias } },
        }));
      }
      this.role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [role.roleArn] }));
      return role;
    };
    const servicesReader = reader('ServicesReader', '*', `${ARGOCD_SECRET_SUBPREFIX}*`);
    const argoCdReader = reader('ArgoCdReader', `${ARGOCD_SECRET_SUBPREFIX}*`);
    const association = associatePodIdentity(this, 'PodIdentity', podIdentity, this.role);

    const spread = (name: string) => softZoneSpread({ 'app.kubernetes.io/name': name });
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

    const storeChart = new cdk8s.Chart(new cdk8s.App(), 'SecretStores');
    new SecretsManagerStore(storeChart, 'Services', { region: props.region, roleArn: servicesReader.roleArn });
    new SecretsManagerStore(storeChart, 'ArgoCd', {
      name: ARGOCD_SECRET_STORE_NAME, region: props.region, roleArn: argoCdReader.roleArn, namespaces: ['argocd'],
    });
    this.stores = cluster.addCdk8sChart('SecretStores', storeChart);
    this.stores.node.addDependency(chart);

    acknowledgeNag(this, wildcardResourceFindings(
      [`arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${props.secretNamePrefix}*`,
        `arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${props.secretNamePrefix}${ARGOCD_SECRET_SUBPREFIX}*`],
      'Secrets Manager appends a random suffix to every secret ARN, so reading the secrets under a name prefix needs a trailing wildcard.'));
    if (props.replicaKeyAlias) {
      acknowledgeNag(this, wildcardResourceFindings(['arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*'],
        `The replicas' key is created by the RecoveryRegion's stack and named by its alias: the kms:ResourceAliases condition limits this to the key aliased ${props.replicaKeyAlias}.`));
    }
  }
}
