/** Mutual TLS between the pods of the mesh. */
export enum MutualTlsMode {
  /** Only mutual TLS between pods (a HaMicroservice exposed through an ALB keeps its container port open to the ALB). */
  STRICT = 'STRICT',
  /** Mutual TLS and plain text, while workloads move into the mesh. */
  PERMISSIVE = 'PERMISSIVE',
}

/**
 * Istio in ambient mode: no sidecars; a ztunnel on every node gives pods that
 * join the mesh mutual TLS and identity, and waypoints (HaMicroservice `mesh`,
 * MeshWaypoint) apply timeouts, retries and outlier detection. Needs `gitOps`:
 * ArgoCD installs the Gateway API CRDs that waypoints are made of.
 */
export interface ServiceMeshOptions {
  /**
   * Mesh-wide mutual TLS.
   * @default MutualTlsMode.STRICT
   */
  readonly mutualTls?: MutualTlsMode;
}
