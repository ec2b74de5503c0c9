import { KubeObject } from '../inputs';
import { MESH_ROOT_NAMESPACE, Workload, namespaceOf } from '../workloads';

const DATAPLANE_MODE = 'istio.io/dataplane-mode';
/** Istio's mode when no PeerAuthentication says otherwise. */
const ISTIO_DEFAULT_MODE = 'PERMISSIVE';

/** Istio's sidecar injection switches: the namespace label (or a revision label), and the pod label that overrides it. */
const INJECTION_LABEL = 'istio-injection';
const REVISION_LABEL = 'istio.io/rev';
const POD_INJECT_LABEL = 'sidecar.istio.io/inject';

/**
 * How a workload's pods are in the Istio mesh, if they are: with a sidecar
 * (injected by namespace label, revision label or the pod's own label; the
 * pod label `false` opts out), or through ztunnel in ambient mode (by pod or
 * namespace label). Both enforce PeerAuthentication on inbound traffic; a pod
 * with a sidecar is left to its sidecar by ambient.
 */
export function meshMode(workload: Workload, labels: { [key: string]: string } | undefined): 'sidecar' | 'ambient' | undefined {
  const podInject = workload.podLabels[POD_INJECT_LABEL];
  const namespaceInjects = labels?.[INJECTION_LABEL] === 'enabled' || (labels?.[REVISION_LABEL] !== undefined && labels?.[INJECTION_LABEL] !== 'disabled');
  if (podInject === 'true' || (namespaceInjects && podInject !== 'false')) return 'sidecar';
  const ambient = workload.podLabels[DATAPLANE_MODE] === 'ambient' || (labels?.[DATAPLANE_MODE] === 'ambient' && workload.podLabels[DATAPLANE_MODE] !== 'none');
  return ambient ? 'ambient' : undefined;
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
