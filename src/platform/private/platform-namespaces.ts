import { EXTERNAL_DNS_NAMESPACE } from './external-dns';
import { EXTERNAL_SECRETS_NAMESPACE } from './external-secrets';
import { ISTIO_NAMESPACE } from './istio';
import { OBSERVABILITY_NAMESPACE } from './observability';
import { ARGOCD_NAMESPACE } from '../../k8s/argocd/sync';
import { VELERO_NAMESPACE } from '../../k8s/velero/velero-schedule';

/** The namespaces Kubernetes and EKS create and fill themselves (Karpenter, the Load Balancer Controller and the descheduler run in kube-system too). */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Every namespace the platform installs into. Each region's platform creates
 * these from its own code, with its own roles, regions and zones, so a backup
 * of one region must never be restored over another's: the services' backups
 * leave them out, and failover restores only the services'.
 */
export const PLATFORM_NAMESPACES = [
  ...SYSTEM_NAMESPACES, VELERO_NAMESPACE, ARGOCD_NAMESPACE, ISTIO_NAMESPACE,
  EXTERNAL_SECRETS_NAMESPACE, EXTERNAL_DNS_NAMESPACE, OBSERVABILITY_NAMESPACE,
];
