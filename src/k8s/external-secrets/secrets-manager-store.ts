import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid } from '../../policy/errors';
import { requireObjectName } from '../../policy/names';

/** The name services refer to by default. */
export const DEFAULT_SECRET_STORE_NAME = 'aws-secrets-manager';

/** Properties of a {@link SecretsManagerStore}. */
export interface SecretsManagerStoreProps {
  /**
   * The store's name.
   * @default "aws-secrets-manager"
   */
  readonly name?: string;
  /** The AWS region of the secrets. */
  readonly region: string;
}

/**
 * An External Secrets `ClusterSecretStore` for AWS Secrets Manager. It has no
 * auth block: the operator's own service account gets its credentials from
 * EKS Pod Identity, whose role limits it to one secret-name prefix.
 */
export class SecretsManagerStore extends Construct {
  /** The store's name. */
  public readonly name: string;
  /** The underlying API object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SecretsManagerStoreProps) {
    super(scope, id);
    this.name = requireObjectName('name', props.name ?? DEFAULT_SECRET_STORE_NAME);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region) && !props.region.includes('${Token[')) {
      invalid('region', props.region, 'must be an AWS region such as "eu-west-1"', 'pass the region of the secrets');
    }
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: this.name },
      spec: { provider: { aws: { service: 'SecretsManager', region: props.region } } },
    });
  }
}
