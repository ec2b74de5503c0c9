import { Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { invalid } from '../policy/errors';
import { requireLabelValue, requireNamespace, requireQualifiedName } from '../policy/names';

/**
 * The namespace label that makes the AWS Load Balancer Controller inject a
 * readiness gate into every new pod of the namespace that backs an ALB target
 * group: the pod turns Ready only once its target is healthy.
 */
export const POD_READINESS_GATE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

/** The labels every namespace that runs services carries, whoever creates it (this construct, or ArgoCD). */
export const SERVICE_NAMESPACE_LABELS: { readonly [key: string]: string } = { [POD_READINESS_GATE_LABEL]: 'enabled' };

/** Properties of a {@link ServiceNamespace}. */
export interface ServiceNamespaceProps {
  /**
   * The namespace's name.
   * @default - the chart's namespace
   */
  readonly name?: string;
  /**
   * More labels for the namespace (e.g. `resilient-eks.dev/secrets: enabled` to let its
   * services read the platform's Secrets Manager store).
   * @default - only the readiness-gate label
   */
  readonly labels?: { [key: string]: string };
}

/**
 * A namespace for HaMicroservices, labelled so the AWS Load Balancer
 * Controller injects pod readiness gates into its pods. Without them a pod is
 * Ready as soon as its own probe passes, before the ALB has registered it and
 * found it healthy: a rollout with `maxUnavailable: 0` or a node drain then
 * removes old pods while the ALB has no healthy new target to send their
 * traffic to.
 *
 * The Namespace is cluster-scoped: it carries no `metadata.namespace`, even in
 * a chart that has one. Only pods created after the label exists get the
 * gate, so create the namespace before (or with) its services.
 */
export class ServiceNamespace extends Construct {
  /** The namespace's name. */
  public readonly name: string;
  /** The Namespace. */
  public readonly apiObject: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: ServiceNamespaceProps = {}) {
    super(scope, id);
    const chartNamespace = Chart.of(this).namespace;
    const name = props.name ?? chartNamespace;
    if (name === undefined) {
      invalid('name', name, 'must be given when the chart has no namespace', 'pass name, e.g. "shop", or set the chart\'s namespace');
    }
    this.name = requireNamespace('name', name);
    const labels = props.labels ?? {};
    for (const [key, value] of Object.entries(labels)) {
      requireQualifiedName(`labels["${key}"]`, key);
      requireLabelValue(`labels["${key}"]`, value);
      if (key in SERVICE_NAMESPACE_LABELS && value !== SERVICE_NAMESPACE_LABELS[key]) {
        invalid(`labels["${key}"]`, value, `must be "${SERVICE_NAMESPACE_LABELS[key]}": without pod readiness gates a pod is Ready before its ALB target is ` +
          'healthy, and maxUnavailable: 0 no longer protects a rollout or a drain', `remove labels["${key}"]: the construct sets it`);
      }
    }
    this.apiObject = new k8s.KubeNamespace(this, 'Resource', {
      metadata: { name: this.name, labels: { ...labels, ...SERVICE_NAMESPACE_LABELS } },
    });
    // cdk8s gives every object of a chart the chart's namespace; a Namespace belongs to none.
    if (chartNamespace !== undefined) {
      this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
  }
}
