import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULT_SECRET_STORE_NAME } from './secrets-manager-store';
import { wholeSeconds } from '../../policy/durations';
import { invalid } from '../../policy/errors';
import { requireObjectName, requireQualifiedName } from '../../policy/names';

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** Properties of a {@link SecretsManagerSecret}. */
export interface SecretsManagerSecretProps {
  /** Name of the Kubernetes Secret to create. */
  readonly targetName: string;
  /**
   * Names of AWS Secrets Manager secrets holding JSON key/value pairs; every key becomes a key of the Secret.
   */
  readonly secretNames: string[];
  /**
   * Labels on the created Secret (e.g. `argocd.argoproj.io/secret-type: repository`).
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * How often the Secret is refreshed from Secrets Manager. A rotation reaches the Secret within
   * this; pods that read it as environment variables see it after their next restart.
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
  /**
   * The ClusterSecretStore to read through.
   * @default "aws-secrets-manager"
   */
  readonly storeName?: string;
  /**
   * Literal keys added to the Secret next to the fetched ones (not secret values: e.g. the
   * repository `url` and `type` ArgoCD expects).
   * @default - none
   */
  readonly staticData?: { [key: string]: string };
}

/**
 * An External Secrets `ExternalSecret` that materialises AWS Secrets Manager
 * secrets as one Kubernetes Secret, owned by the operator (deleted with it).
 * Only secret names go into Git and templates, never values.
 */
export class SecretsManagerSecret extends Construct {
  /** The name of the Kubernetes Secret it creates. */
  public readonly targetName: string;
  /** The underlying API object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SecretsManagerSecretProps) {
    super(scope, id);
    this.targetName = requireObjectName('targetName', props.targetName);
    if (props.secretNames.length === 0) invalid('secretNames', props.secretNames, 'must name at least one secret', 'list the Secrets Manager secret names');
    props.secretNames.forEach((name, i) => {
      if (!SECRET_NAME.test(name) || name.startsWith('arn:')) {
        invalid(`secretNames[${i}]`, name, 'must be a Secrets Manager secret name (letters, digits and /_+=.@-)', 'use the name, e.g. "shop/payments/provider"');
      }
    });
    Object.keys(props.labels ?? {}).forEach((key) => requireQualifiedName(`labels["${key}"]`, key));
    const refresh = wholeSeconds('refreshInterval', props.refreshInterval ?? Duration.hours(1));
    if (refresh < 60) invalid('refreshInterval', `${refresh}s`, 'must be at least a minute: every refresh is a paid Secrets Manager call', 'use Duration.hours(1)');
    const hasLabels = props.labels !== undefined && Object.keys(props.labels).length > 0;
    const hasStatic = props.staticData !== undefined && Object.keys(props.staticData).length > 0;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: this.targetName },
      spec: {
        refreshInterval: `${refresh}s`,
        secretStoreRef: { kind: 'ClusterSecretStore', name: requireObjectName('storeName', props.storeName ?? DEFAULT_SECRET_STORE_NAME) },
        target: {
          name: this.targetName,
          creationPolicy: 'Owner',
          ...(hasLabels || hasStatic ? {
            template: {
              ...(hasStatic ? { mergePolicy: 'Merge', data: { ...props.staticData } } : {}),
              ...(hasLabels ? { metadata: { labels: { ...props.labels } } } : {}),
            },
          } : {}),
        },
        dataFrom: props.secretNames.map((key) => ({ extract: { key } })),
      },
    });
  }
}
