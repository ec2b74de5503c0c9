import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { KubernetesVersion } from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

/**
 * Every version this library pins, in one place, each with the date it was
 * checked and where. Synth never resolves "latest": bump these deliberately,
 * together, and run the tests.
 */

/**
 * Kubernetes 1.36: the newest EKS version in standard support (released on EKS
 * 2026-06-02, standard support until 2027-08-02) for which a kubectl Lambda
 * layer package exists (@aws-cdk/lambda-layer-kubectl-v36 2.0.1; there is no
 * v37 layer). Checked 2026-11-25 against the EKS version calendar and npm.
 */
export const DEFAULT_KUBERNETES_VERSION = KubernetesVersion.V1_36;

/** The kubectl/Helm layer matching {@link DEFAULT_KUBERNETES_VERSION} (kubectl 1.36, Helm 4.2). */
export function defaultKubectlLayer(scope: Construct, id: string): KubectlV36Layer {
  return new KubectlV36Layer(scope, id);
}

/**
 * Karpenter 1.14.1 (controller and CRD charts, oci://public.ecr.aws/karpenter):
 * the newest 1.14 patch; Karpenter's compatibility matrix lists Kubernetes 1.36
 * as supported from 1.13. Checked 2026-11-25 (aws/karpenter-provider-aws
 * website/content/en/v1.14 getting-started and upgrading/compatibility).
 */
export const KARPENTER_CHART_VERSION = '1.14.1';
export const KARPENTER_CHART_REPOSITORY = 'oci://public.ecr.aws/karpenter/karpenter';
export const KARPENTER_CRD_CHART_REPOSITORY = 'oci://public.ecr.aws/karpenter/karpenter-crd';

/**
 * Karpenter AL2023 AMI alias for nodes. Checked 2026-11-25: the newest dated
 * AL2023 EKS AMI release seen pinned in public Karpenter configurations
 * (al2023@v20260930). Verify a bump against the SSM parameter
 * /aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/standard/recommended/image_id.
 */
export const KARPENTER_AMI_ALIAS = 'al2023@v20260930';

/**
 * AWS Load Balancer Controller chart 3.6.0 (chart version = app version since
 * 3.0), https://aws.github.io/eks-charts. Checked 2026-11-25: newest release
 * seen installed in public projects (October 2026); its IAM policy is
 * reproduced in platform/private/load-balancer-controller-policy.ts.
 */
export const LOAD_BALANCER_CONTROLLER_CHART_VERSION = '3.6.0';
export const EKS_CHARTS_REPOSITORY = 'https://aws.github.io/eks-charts';

/**
 * EKS managed add-on versions for Kubernetes 1.36, as `aws eks
 * describe-addon-versions --kubernetes-version 1.36` reported them in public
 * infrastructure repositories in September-October 2026 (checked 2026-11-25).
 * snapshot-controller and eks-node-monitoring-agent were only seen listed for
 * 1.35; both are version-independent of the control plane. Confirm with the
 * command above when bumping.
 */
export const EKS_ADDON_VERSIONS = {
  'vpc-cni': 'v1.23.2-eksbuild.1',
  'coredns': 'v1.14.7-eksbuild.11',
  'kube-proxy': 'v1.36.0-eksbuild.45',
  'eks-pod-identity-agent': 'v1.4.0-eksbuild.3',
  'aws-ebs-csi-driver': 'v1.66.0-eksbuild.1',
  'metrics-server': 'v0.9.0-eksbuild.11',
  'snapshot-controller': 'v8.6.0-eksbuild.4',
  'eks-node-monitoring-agent': 'v1.7.0-eksbuild.1',
} as const;

/**
 * Add-ons installed at EKS's default version for the cluster's Kubernetes
 * version. amazon-cloudwatch-observability: its chart is at 6.3.0 (v6 add-on
 * series), but no add-on build listed for Kubernetes 1.36 could be confirmed
 * on 2026-11-25, and a pin EKS does not know fails CreateAddon at deploy time.
 * Pin it here once `aws eks describe-addon-versions --addon-name
 * amazon-cloudwatch-observability --kubernetes-version 1.36` confirms one.
 */
export const UNPINNED_EKS_ADDONS = ['amazon-cloudwatch-observability'] as const;

/** The name of an add-on this library installs. */
export type EksAddonName = keyof typeof EKS_ADDON_VERSIONS | typeof UNPINNED_EKS_ADDONS[number];

/**
 * Argo CD chart 10.10.0 (Argo CD v3.5.4), https://argoproj.github.io/argo-helm.
 * Checked 2026-11-25: the newest chart with a known app version seen deployed
 * in public repositories (October 2026). Its redis-ha subchart
 * (https://dandydeveloper.github.io/charts/): argo-cd 10.1.1's Chart.yaml
 * depends on redis-ha 4.38.0 (argoproj/argo-helm, July 2026; 10.10.0's own
 * Chart.yaml could not be read on 2026-12-02). The redis-ha values
 * platform/private/gitops.ts sets (podDisruptionBudget, redis.podAnnotations,
 * haproxy.podAnnotations, haproxy.podDisruptionBudget) exist from 4.34.9 to
 * 4.39.0, the newest release seen: confirm with `helm show chart` when bumping.
 */
export const ARGOCD_CHART_VERSION = '10.10.0';
export const ARGOCD_CHART_REPOSITORY = 'https://argoproj.github.io/argo-helm';

/**
 * External Secrets Operator chart 2.12.0, https://charts.external-secrets.io
 * (API external-secrets.io/v1, served since 0.17). Checked 2026-11-25: the
 * newest chart in the index.
 */
export const EXTERNAL_SECRETS_CHART_VERSION = '2.12.0';
export const EXTERNAL_SECRETS_CHART_REPOSITORY = 'https://charts.external-secrets.io';

/**
 * Velero chart 12.2.1 (Velero v1.18.2), https://vmware-tanzu.github.io/helm-charts.
 * Checked 2026-11-25: the newest chart seen released (October 2026; Velero
 * itself moved to the velero-io organisation in 2026, the chart repository
 * URL is unchanged in what we could read). Confirm with `helm search repo
 * vmware-tanzu/velero --versions` when bumping.
 */
export const VELERO_CHART_VERSION = '12.2.1';
export const VELERO_CHART_REPOSITORY = 'https://vmware-tanzu.github.io/helm-charts';

/**
 * velero-plugin-for-aws v1.14.3: the 1.14 line is built against Velero 1.18
 * (its go.mod requires velero v1.18.0). Checked 2026-11-25 against
 * velero-io/velero-plugin-for-aws (go.mod, changelogs).
 */
export const VELERO_AWS_PLUGIN_IMAGE = 'velero/velero-plugin-for-aws:v1.14.3';

/**
 * ExternalDNS chart 1.22.0 (ExternalDNS v0.22.0, AWS SDK v2: Pod Identity
 * works), https://kubernetes-sigs.github.io/external-dns/. Checked
 * 2026-11-25: the newest chart release confirmed (kubernetes-sigs/external-dns
 * PR #6650, September 2026); v0.23.0's chart was still pending.
 */
export const EXTERNAL_DNS_CHART_VERSION = '1.22.0';
export const EXTERNAL_DNS_CHART_REPOSITORY = 'https://kubernetes-sigs.github.io/external-dns/';

/**
 * Kubernetes descheduler chart 0.36.0 (descheduler v0.36.0, image
 * registry.k8s.io/descheduler/descheduler:v0.36.0),
 * https://kubernetes-sigs.github.io/descheduler/. Checked 2026-12-02 against
 * kubernetes-sigs/descheduler: the README's compatibility matrix lists v0.36
 * for Kubernetes 1.36 (a release is tested against its own minor and the two
 * before), and descheduler-helm-chart-0.36.0 (May 2026) is the newest chart
 * release of that line seen.
 */
export const DESCHEDULER_CHART_VERSION = '0.36.0';
export const DESCHEDULER_CHART_REPOSITORY = 'https://kubernetes-sigs.github.io/descheduler/';

/**
 * Istio 1.30.5 (charts base, istiod, cni and ztunnel share the version),
 * https://istio-release.storage.googleapis.com/charts. Checked 2026-11-25:
 * 1.30.0 was released on 2026-05-18 and patched up to 1.30.5; 1.31 exists but
 * its Gateway API and Kubernetes requirements could not be confirmed offline.
 * 1.30 is listed for Kubernetes 1.32 to 1.36 in a provider's support table
 * (not Istio's own, which could not be read); confirm on
 * istio.io/latest/docs/releases/supported-releases before a bump.
 */
export const ISTIO_VERSION = '1.30.5';
export const ISTIO_CHART_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';

/**
 * Gateway API v1.5.1 (standard channel CRDs, config/crd of the repository):
 * Istio 1.30's upgrade notes require v1.5.x, whose ReferenceGrant and
 * TLSRoute it reads from the standard channel. Checked 2026-11-25.
 */
export const GATEWAY_API_VERSION = 'v1.5.1';
export const GATEWAY_API_REPOSITORY = 'https://github.com/kubernetes-sigs/gateway-api.git';

/**
 * The regions where next-generation AWS Resilience Hub (AWS::ResilienceHubV2) is offered, checked 2026-12-03 on
 * https://docs.aws.amazon.com/resilience-hub/latest/userguide/next-gen-supported-regions.html. The platform
 * creates its Resilience Hub service only where it can be deployed; elsewhere the report says why it is absent.
 */
export const RESILIENCE_HUB_V2_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-central-1', 'eu-west-3', 'eu-north-1',
  'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-northeast-2', 'sa-east-1',
];
