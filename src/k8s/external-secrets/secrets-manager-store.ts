import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireNamespace, requireObjectName, requireQualifiedName, requireRegion } from '../../policy/names';

/** The name services refer to by default. */
export const DEFAULT_SECRET_STORE_NAME = 'aws-secrets-manager';
/** The namespace label that lets a namespace use the services' store. */
export const SERVICES_SECRET_STORE_LABEL = 'resilient-eks.dev/secrets';

/** Properties of a {@link SecretsManagerStore}. */
export interface SecretsManagerStoreProps {
  /**
   * The store's name.
   * @default "aws-secrets-manager"
   */
  readonly name?: string;
  /** The AWS region of the secrets. */
  readonly region: string;
  /**
   * IAM role the operator assumes to read through this store, so each store sees only its own
   * secret names (the operator's own role may only assume these roles).
   * @default - the operator's own credentials
   */
  readonly roleArn?: string;
  /**
   * Namespaces allowed to use the store, by name.
   * @default - see `namespaceLabel`
   */
  readonly namespaces?: string[];
  /**
   * Label a namespace must carry (with value "enabled") to use the store, when `namespaces` is not given.
   * @default "resilient-eks.dev/secrets"
   */
  readonly namespaceLabel?: string;
}

/**
 * An External Secrets `ClusterSecretStore` for AWS Secrets Manager, usable
 * only from the namespaces its conditions name (by default those labelled
 * `resilient-eks.dev/secrets=enabled`). It has no static credentials: the
 * operator gets its own from EKS Pod Identity and may assume the store's role.
 */
export class SecretsManagerStore extends Construct {
  /** The store's name. */
  public readonly name: string;
  /** The underlying API object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SecretsManagerStoreProps) {
    super(scope, id);
    this.name = requireObjectName('name', props.name ?? DEFAULT_SECRET_STORE_NAME);
    if (!props.region.includes('${Token[')) requireRegion('region', props.region, 'pass the region of the secrets');
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: this.name },
      spec: {
        provider: { aws: { service: 'SecretsManager', region: props.region, ...(props.roleArn ? { role: props.roleArn } : {}) } },
        // A cluster-wide store is readable from any namespace unless conditions say otherwise.
        conditions: [props.namespaces
          ? { namespaces: props.namespaces.map((ns, i) => requireNamespace(`namespaces[${i}]`, ns)) }
          : { namespaceSelector: { matchLabels: { [requireQualifiedName('namespaceLabel', props.namespaceLabel ?? SERVICES_SECRET_STORE_LABEL)]: 'enabled' } } }],
      },
    });
  }
}
