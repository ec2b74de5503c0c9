import { Duration } from 'cdk8s';

/** Whether the Application Load Balancer faces the internet or only the VPC. */
export enum LoadBalancerScheme {
  /** Reachable from the internet through public subnets. */
  INTERNET_FACING = 'internet-facing',
  /** Reachable only from inside the VPC (and what is peered or connected to it). */
  INTERNAL = 'internal',
}

/**
 * This region's side of the Route 53 failover of `host` (the platform's
 * `disasterRecovery.dnsFailover.records`). The Ingress also answers the
 * region's own name for the host, "<region>.<host>", and asks ExternalDNS to
 * publish that name (and only that one) for its ALB; the platform's failover
 * record of `host` points at it and Route 53 health-checks it. Render the
 * service once per region, each with its own region.
 */
export interface DnsFailover {
  /** The region these manifests run in (e.g. "eu-west-1"), as the platform's stack there. */
  readonly region: string;
}

/**
 * Exposure through an Application Load Balancer provisioned by the AWS Load
 * Balancer Controller from an Ingress. Targets are pod IPs (`target-type: ip`),
 * so the ALB health-checks each pod directly and a drained pod leaves the ALB
 * as soon as it leaves the Service.
 */
export interface AlbExposure {
  /**
   * Internet-facing or internal.
   * @default LoadBalancerScheme.INTERNAL
   */
  readonly scheme?: LoadBalancerScheme;
  /**
   * The host name the rule matches.
   * @default - every host
   */
  readonly host?: string;
  /**
   * The path prefix routed to this service.
   * @default "/"
   */
  readonly path?: string;
  /**
   * The path the ALB health-checks on each pod.
   * @default - the readiness probe's path when it is an HTTP probe, else `healthCheckPath`
   */
  readonly healthCheckPath?: string;
  /**
   * Time between two ALB health checks of a target (ALB: 5 to 300 s). The
   * default, ELB's shortest, takes a dead target out after 2 x 5 s and lets a
   * replacement in after 2 x 5 s: the node-loss row of the resilience report
   * counts it.
   * @default Duration.seconds(5)
   */
  readonly healthCheckInterval?: Duration;
  /**
   * Time after which a health check counts as failed (ALB: 2 to 120 s, shorter than the interval).
   * @default Duration.seconds(4)
   */
  readonly healthCheckTimeout?: Duration;
  /**
   * Consecutive successes before a target receives traffic (ALB: 2 to 10).
   * @default 2
   */
  readonly healthyThresholdCount?: number;
  /**
   * Consecutive failures before a target stops receiving traffic (ALB: 2 to 10).
   * @default 2
   */
  readonly unhealthyThresholdCount?: number;
  /**
   * HTTP codes that count as healthy, e.g. "200" or "200-299".
   * @default "200"
   */
  readonly successCodes?: string;
  /**
   * How long the ALB keeps draining a deregistered target. Must lie between
   * the preStop sleep and the termination grace period.
   * @default - the termination grace period
   */
  readonly deregistrationDelay?: Duration;
  /**
   * Ingress group: services with the same group name share one ALB, which
   * saves the per-ALB hourly charge.
   * @default - this service gets its own ALB
   */
  readonly groupName?: string;
  /**
   * ACM certificate for HTTPS. With it the ALB listens on 443 with a TLS 1.3
   * policy and redirects HTTP to HTTPS; without it the ALB serves plain HTTP on 80.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /**
   * Where ALB traffic to the pods comes from, for the NetworkPolicy. With
   * `target-type: ip` these are the ALB's addresses in the VPC, so narrow it
   * to the VPC CIDR when you know it.
   * @default - the private ranges 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and 100.64.0.0/10
   */
  readonly sourceCidrs?: string[];
  /**
   * Publish `host` as a Route 53 failover record between two regions (needs `host` and an internet-facing ALB).
   * @default - no DNS record is asked for
   */
  readonly dnsFailover?: DnsFailover;
}
