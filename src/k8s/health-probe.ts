import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { wholeSeconds } from '../policy/durations';
import { invalid, requireIntegerInRange } from '../policy/errors';
import { DEFAULT_TIMEOUT_SECONDS, ProbeRole, ROLE_DEFAULTS } from './private/probe-defaults';

/**
 * Timing of a health probe. Every field falls back to a default chosen for the
 * probe's role (readiness, liveness or startup), see `HaMicroserviceProps`.
 */
export interface HealthProbeOptions {
  /**
   * How often the kubelet runs the probe.
   * @default - readiness 5 s, liveness 10 s, startup 2 s
   */
  readonly period?: Duration;
  /**
   * How long one probe may take before it counts as failed.
   * @default Duration.seconds(2)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive failures before the kubelet acts (removes the pod from
   * endpoints, restarts the container, or gives up on start-up).
   * @default - readiness 2, liveness 3, startup 60 (2 minutes to start at a 2 s period)
   */
  readonly failureThreshold?: number;
  /**
   * Delay after the container starts before the first probe. Prefer a startup
   * probe, which adapts to the real start time, over a long initial delay.
   * @default Duration.seconds(0)
   */
  readonly initialDelay?: Duration;
  /**
   * The port an HTTP or TCP probe targets.
   * @default - the container port
   */
  readonly port?: number;
}


/**
 * A health check the kubelet runs against a container: an HTTP GET, a command
 * or a TCP connection.
 */
export class HealthProbe {
  /**
   * An HTTP GET that succeeds on any status from 200 to 399.
   * @param path the request path; must start with `/`
   */
  public static http(path: string, options: HealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('http', path, undefined, options);
  }

  /**
   * A command run inside the container; exit code 0 is healthy.
   * @param command the command and its arguments (not run in a shell)
   */
  public static command(command: string[], options: HealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('command', undefined, command, options);
  }

  /** A TCP connection to the port; healthy if it opens. */
  public static tcp(options: HealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('tcp', undefined, undefined, options);
  }

  /**
   * The HTTP path, for an HTTP probe.
   * @default - not an HTTP probe
   */
  public readonly path?: string;
  /**
   * The port an HTTP or TCP probe targets, when it is not the container port.
   * @default - the container port
   */
  public readonly port?: number;

  private constructor(
    private readonly kind: 'http' | 'command' | 'tcp',
    path: string | undefined,
    private readonly commandLine: string[] | undefined,
    private readonly options: HealthProbeOptions,
  ) {
    this.path = path;
    this.port = options.port;
  }

  /**
   * Validates the probe for its role and renders it.
   * @internal
   */
  public _render(prop: string, role: ProbeRole, containerPort: number): k8s.Probe {
    const defaults = ROLE_DEFAULTS[role];
    const period = this.options.period ? wholeSeconds(`${prop}.period`, this.options.period) : defaults.periodSeconds;
    const timeout = this.options.timeout ? wholeSeconds(`${prop}.timeout`, this.options.timeout) : DEFAULT_TIMEOUT_SECONDS;
    const initialDelay = this.options.initialDelay ? wholeSeconds(`${prop}.initialDelay`, this.options.initialDelay) : 0;
    const failureThreshold = this.options.failureThreshold ?? defaults.failureThreshold;
    const port = this.options.port ?? containerPort;

    requireIntegerInRange(`${prop}.period`, period, 1, 3600, 'the kubelet probes at least once a second');
    requireIntegerInRange(`${prop}.timeout`, timeout, 1, period, 'a probe that outlives its period overlaps the next one');
    requireIntegerInRange(`${prop}.initialDelay`, initialDelay, 0, 3600, 'use a startup probe for slow starts');
    requireIntegerInRange(`${prop}.failureThreshold`, failureThreshold, 1, 1000, 'at least one failure must count');
    requireIntegerInRange(`${prop}.port`, port, 1, 65535, 'TCP ports range from 1 to 65535');

    const timing = {
      periodSeconds: period,
      timeoutSeconds: timeout,
      failureThreshold,
      successThreshold: 1,
      ...(initialDelay > 0 ? { initialDelaySeconds: initialDelay } : {}),
    };
    switch (this.kind) {
      case 'http':
        if (!this.path || !this.path.startsWith('/')) {
          invalid(`${prop}.path`, this.path, 'an HTTP probe path must start with "/"', `use ${JSON.stringify(`/${this.path ?? ''}`)}`);
        }
        return { ...timing, httpGet: { path: this.path, port: k8s.IntOrString.fromNumber(port), scheme: 'HTTP' } };
      case 'command':
        if (!this.commandLine || this.commandLine.length === 0 || this.commandLine[0].trim() === '') {
          invalid(`${prop}.command`, this.commandLine, 'a command probe needs a command', 'pass the executable and its arguments, e.g. ["/bin/grpc_health_probe", "-addr=:8080"]');
        }
        return { ...timing, exec: { command: [...this.commandLine] } };
      case 'tcp':
        return { ...timing, tcpSocket: { port: k8s.IntOrString.fromNumber(port) } };
    }
  }
}
