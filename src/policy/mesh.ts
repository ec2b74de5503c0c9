import { Duration } from 'cdk8s';
import { Decision } from './decision';
import { invalid, requireIntegerInRange } from './errors';

/**
 * Retries of calls that never reached the application: safe to repeat, even for a call that is not idempotent.
 * No 503: an application may answer 503 after doing the work, which is why Istio 1.24 took it out of its default.
 */
export const DEFAULT_RETRY_ON = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled'];
const RETRY_CONDITIONS = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure', 'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted',
  'unavailable',
]);

/** The mesh policy's input: what HaMicroserviceMeshOptions carries, durations in milliseconds. */
export interface MeshIntent {
  readonly zones: number;
  readonly requestTimeoutMillis?: number;
  readonly retryAttempts?: number;
  readonly perTryTimeoutMillis?: number;
  readonly retryOn?: string[];
  readonly consecutiveErrors?: number;
  readonly ejectionIntervalMillis?: number;
  readonly baseEjectionTimeMillis?: number;
  readonly maxEjectionPercent?: number;
  readonly maxPendingRequests?: number;
}

/** The traffic policy the mesh applies to calls of a service, each number with its reason. */
export interface MeshTrafficPolicy {
  readonly requestTimeoutSeconds?: number;
  readonly retryAttempts: Decision<number>;
  readonly perTryTimeoutSeconds?: number;
  readonly retryOn: string[];
  readonly consecutiveErrors: Decision<number>;
  readonly ejectionIntervalSeconds: number;
  readonly baseEjectionTimeSeconds: number;
  readonly maxEjectionPercent: Decision<number>;
  readonly maxPendingRequests?: number;
}

/**
 * The most replicas outlier detection may eject: one zone's share. With
 * replicas spread evenly, ejecting more would put more load on the others
 * than the HPA target keeps in reserve for the loss of a zone (static
 * stability), so a zone-wide brown-out could eject everything.
 */
export function zoneShareEjectionPercent(zones: number): Decision<number> {
  return {
    value: Math.floor(100 / zones),
    reason: `at most one zone's share of the replicas (${zones} zones): the survivors keep the headroom the HPA target reserves for a zone loss`,
  };
}

function seconds(prop: string, millis: number | undefined, min: number, max: number): number | undefined {
  if (millis === undefined) return undefined;
  if (millis % 1000 !== 0 || millis < min * 1000 || millis > max * 1000) {
    invalid(prop, `${millis} ms`, `must be a whole number of seconds from ${min} to ${max}`, `use Duration.seconds(${Math.min(max, Math.max(min, Math.ceil(millis / 1000)))})`);
  }
  return millis / 1000;
}

/** Validates the mesh options and fills the defaults, naming the `mesh.*` prop that breaks a rule. */
export function meshTrafficPolicy(intent: MeshIntent): MeshTrafficPolicy {
  const requestTimeoutSeconds = seconds('mesh.requestTimeout', intent.requestTimeoutMillis, 1, 3600);
  const attempts = requireIntegerInRange('mesh.retries.attempts', intent.retryAttempts ?? 2, 0, 10,
    'each retry multiplies the load a failing service receives');
  const perTryTimeoutSeconds = seconds('mesh.retries.perTryTimeout', intent.perTryTimeoutMillis, 1, 3600);
  if (perTryTimeoutSeconds !== undefined && requestTimeoutSeconds !== undefined && perTryTimeoutSeconds >= requestTimeoutSeconds) {
    invalid('mesh.retries.perTryTimeout', `${perTryTimeoutSeconds}s`, `must be shorter than mesh.requestTimeout (${requestTimeoutSeconds}s), which includes every retry`,
      `use at most Duration.seconds(${Math.max(1, Math.floor(requestTimeoutSeconds / (attempts + 1)))}) for ${attempts} retries`);
  }
  const retryOn = intent.retryOn ?? DEFAULT_RETRY_ON;
  retryOn.forEach((condition, i) => {
    if (!RETRY_CONDITIONS.has(condition) && !/^[1-5]\d\d$/.test(condition)) {
      invalid(`mesh.retries.retryOn[${i}]`, condition, 'must be an Envoy retry condition (e.g. "connect-failure", "reset", "5xx") or an HTTP status code',
        `use ${JSON.stringify(DEFAULT_RETRY_ON)}`);
    }
  });
  const consecutiveErrors = requireIntegerInRange('mesh.outlierDetection.consecutiveErrors', intent.consecutiveErrors ?? 5, 1, 1000,
    'one error is noise; a replica must fail repeatedly before it is ejected');
  const bound = zoneShareEjectionPercent(intent.zones);
  const maxEjectionPercent = requireIntegerInRange('mesh.outlierDetection.maxEjectionPercent', intent.maxEjectionPercent ?? bound.value, 1, bound.value,
    bound.reason);
  if (intent.maxPendingRequests !== undefined) {
    requireIntegerInRange('mesh.maxPendingRequests', intent.maxPendingRequests, 1, 1_000_000, 'requests beyond it are refused at once (circuit breaking)');
  }
  return {
    requestTimeoutSeconds,
    retryAttempts: { value: attempts, reason: 'two retries, as Istio does, of calls that never reached the application' },
    perTryTimeoutSeconds,
    retryOn,
    consecutiveErrors: { value: consecutiveErrors, reason: 'Istio\'s default: five 5xx (gateway errors for TCP) in a row eject a replica' },
    ejectionIntervalSeconds: seconds('mesh.outlierDetection.interval', intent.ejectionIntervalMillis ?? 10_000, 1, 300)!,
    baseEjectionTimeSeconds: seconds('mesh.outlierDetection.baseEjectionTime', intent.baseEjectionTimeMillis ?? 30_000, 1, 3600)!,
    maxEjectionPercent: { value: maxEjectionPercent, reason: bound.reason },
    maxPendingRequests: intent.maxPendingRequests,
  };
}

/** Milliseconds of an optional Duration. */
export function optionalMillis(duration: Duration | undefined): number | undefined {
  return duration?.toMilliseconds();
}
