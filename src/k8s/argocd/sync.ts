/** The ArgoCD namespace the bootstrap installs into. */
export const ARGOCD_NAMESPACE = 'argocd';
/** The annotation that orders ArgoCD syncs: lower waves are applied and healthy before higher ones start. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Sync waves: platform objects (NodePools, stores, schedules) converge before the services that need them. */
export const PLATFORM_SYNC_WAVE = -10;
export const SERVICES_SYNC_WAVE = 0;

/**
 * Automated sync with prune and self-heal, bounded retries with backoff, and
 * namespaces created on demand: Git is the only way to change the cluster,
 * and a manual change is reverted. Without `automated`, the same options
 * apply to the sync an operator starts (a pilot-light standby waits for one).
 */
export function automatedSyncPolicy(automated: boolean = true): Record<string, unknown> {
  return {
    ...(automated ? { automated: { prune: true, selfHeal: true, allowEmpty: false } } : {}),
    retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
    syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true'],
  };
}
