import { Duration } from 'cdk8s';

/** Retries the mesh makes for calls to a HaMicroservice. */
export interface MeshRetryOptions {
  /**
   * Retries after the first attempt (0 turns retries off).
   * @default 2
   */
  readonly attempts?: number;
  /**
   * Timeout of each attempt, shorter than `requestTimeout`.
   * @default - each attempt may use what is left of `requestTimeout`
   */
  readonly perTryTimeout?: Duration;
  /**
   * Envoy retry conditions or HTTP status codes. The default retries only what
   * never reached the application, which is safe for calls that are not
   * idempotent (a 503 may come after the work was done).
   * @default ["connect-failure", "refused-stream", "unavailable", "cancelled"]
   */
  readonly retryOn?: string[];
}

/** When the mesh stops sending calls to a failing replica (outlier detection). */
export interface MeshOutlierDetectionOptions {
  /**
   * Consecutive 5xx responses (or connection failures) that eject a replica.
   * @default 5
   */
  readonly consecutiveErrors?: number;
  /**
   * How often replicas are evaluated.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * How long a replica stays ejected the first time (longer on each new ejection).
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * The most replicas (percent) ejected at once; at most one zone's share.
   * @default - one zone's share: 100 / zones, rounded down (33 for three zones)
   */
  readonly maxEjectionPercent?: number;
}

/**
 * How a HaMicroservice takes part in the Istio ambient mesh: its pods join
 * the mesh (mutual TLS through the node's ztunnel), and calls to it go
 * through a waypoint proxy (a {@link MeshWaypoint} in its namespace) that
 * applies the timeout, the retries, outlier detection and circuit breaking,
 * and admits only the allowed callers, by mesh identity (their service
 * account: a HaMicroservice's is named after it).
 *
 * The timeout and retries are a VirtualService, which Istio rates Alpha on
 * waypoints (it recommends HTTPRoute, whose retries need the Gateway API's
 * experimental channel); outlier detection is a DestinationRule, supported.
 */
export interface HaMicroserviceMeshOptions {
  /**
   * The name of the MeshWaypoint in the service's namespace that carries its calls.
   * @default "waypoint"
   */
  readonly waypointName?: string;
  /**
   * Timeout of a call, retries included.
   * @default - no timeout (Istio's default)
   */
  readonly requestTimeout?: Duration;
  /**
   * Retries of failed calls.
   * @default - 2 retries of calls that never reached the application
   */
  readonly retries?: MeshRetryOptions;
  /**
   * Ejection of failing replicas.
   * @default - 5 consecutive errors eject a replica for 30 s, at most one zone's share at once
   */
  readonly outlierDetection?: MeshOutlierDetectionOptions;
  /**
   * Calls waiting for a connection beyond which new calls fail at once (circuit breaking).
   * @default - no limit
   */
  readonly maxPendingRequests?: number;
}
