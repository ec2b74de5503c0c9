import { KubeObject } from '../inputs';
import { MESH_ROOT_NAMESPACE, Workload, namespaceOf } from '../workloads';

const DATAPLANE_MODE = 'istio.io/dataplane-mode';
/** Istio's mode when no PeerAuthentication says otherwise. */
const ISTIO_DEFAULT_MODE = 'PERMISSIVE';

/** Whether a workload's pods are in the Istio ambient mesh (by pod or namespace label) and the platform runs the mesh. */
export function inAmbientMesh(workload: Workload, labels: { [key: string]: string } | undefined): boolean {
  const enrolled = workload.podLabels[DATAPLANE_MODE] === 'ambient' || (labels?.[DATAPLANE_MODE] === 'ambient' && workload.podLabels[DATAPLANE_MODE] !== 'none');
  return enrolled;
}

/**
 * The mutual TLS mode Istio applies to inbound traffic on a port of a
 * workload: a port-level setting of a workload policy, else the workload
 * policy's mode, else the namespace's, else the mesh-wide one (UNSET
 * inherits from the next level up).
 */
export function effectiveMtls(workload: Workload, port: number): string {
  const policies = workload.peerAuthentications;
  const byScope = (match: (p: KubeObject) => boolean) => policies.filter(match);
  const workloadLevel = byScope((p) => p.spec?.selector !== undefined);
  const namespaceLevel = byScope((p) => p.spec?.selector === undefined && namespaceOf(p) === workload.namespace);
  const meshLevel = byScope((p) => p.spec?.selector === undefined && namespaceOf(p) === MESH_ROOT_NAMESPACE);
  for (const policy of workloadLevel) {
    const portMode = policy.spec?.portLevelMtls?.[String(port)]?.mode;
    if (portMode && portMode !== 'UNSET') return portMode;
  }
  for (const level of [workloadLevel, namespaceLevel, meshLevel]) {
    const mode = level.map((p) => p.spec?.mtls?.mode).find((m) => m && m !== 'UNSET');
    if (mode) return mode;
  }
  return ISTIO_DEFAULT_MODE;
}
