/**
 * A workload allowed to call a HaMicroservice, selected by its `app.kubernetes.io/name` label (and, when the
 * service is in the mesh, admitted by its service account, which a HaMicroservice names after the app).
 */
export interface ServiceCaller {
  /** The caller's `app.kubernetes.io/name` label (the `name` of a HaMicroservice). */
  readonly app: string;
  /**
   * The caller's namespace.
   * @default - the same namespace as the service
   */
  readonly namespaceName?: string;
}

/** The transport protocol of a network rule. */
export enum NetworkProtocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
}

/**
 * A destination a HaMicroservice may open connections to: either another
 * workload (by its `app.kubernetes.io/name` label) or a CIDR block.
 * Exactly one of `app` or `cidr` must be set.
 */
export interface EgressDestination {
  /**
   * The destination workload's `app.kubernetes.io/name` label.
   * @default - none; `cidr` must be set
   */
  readonly app?: string;
  /**
   * The destination workload's namespace (with `app`).
   * @default - the same namespace as the service
   */
  readonly namespaceName?: string;
  /**
   * A CIDR block, e.g. "0.0.0.0/0" for AWS APIs over the internet or a VPC endpoint.
   * @default - none; `app` must be set
   */
  readonly cidr?: string;
  /** The destination port. */
  readonly port: number;
  /**
   * The protocol.
   * @default NetworkProtocol.TCP
   */
  readonly protocol?: NetworkProtocol;
}
