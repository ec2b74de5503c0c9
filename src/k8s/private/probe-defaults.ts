/** The role a probe plays; it decides the defaults and the rules that apply. */
export enum ProbeRole {
  /** Decides whether the pod receives traffic. */
  READINESS = 'readiness',
  /** Restarts a container that stopped answering. */
  LIVENESS = 'liveness',
  /** Holds liveness and readiness back until the application has started. */
  STARTUP = 'startup',
}

export const ROLE_DEFAULTS: Record<ProbeRole, { periodSeconds: number; failureThreshold: number }> = {
  [ProbeRole.READINESS]: { periodSeconds: 5, failureThreshold: 2 },
  [ProbeRole.LIVENESS]: { periodSeconds: 10, failureThreshold: 3 },
  // Probed every 2 s (still 2 minutes to start): a replacement pod takes traffic up to 3 s sooner after a node loss.
  [ProbeRole.STARTUP]: { periodSeconds: 2, failureThreshold: 60 },
};
export const DEFAULT_TIMEOUT_SECONDS = 2;
