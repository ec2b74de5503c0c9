import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { AlbExposure } from './alb-exposure';
import { HealthProbe } from './health-probe';
import { HaMicroserviceMeshOptions } from './mesh/mesh-options';
import { EgressDestination, ServiceCaller } from './network-access';

/** CPU architectures a service's image runs on. */
export enum CpuArchitecture {
  /** x86-64. */
  AMD64 = 'amd64',
  /** 64-bit Arm (AWS Graviton), usually the cheapest per vCPU. */
  ARM64 = 'arm64',
}

/**
 * Horizontal autoscaling on CPU and memory. The defaults keep the service
 * statically stable: after one zone is lost, the survivors carry the load.
 */
export interface AutoscalingOptions {
  /**
   * The fewest replicas. Must be at least the zone count and at least 3.
   * @default - max(3, zoneCount)
   */
  readonly minReplicas?: number;
  /**
   * The most replicas.
   * @default - 3 x minReplicas
   */
  readonly maxReplicas?: number;
  /**
   * Target CPU usage in percent of the CPU request.
   * @default - the static-stability bound (45 for 3 zones with the default replica range)
   */
  readonly cpuTargetUtilization?: number;
  /**
   * Target memory usage in percent of the memory request. Memory is a guard
   * against OOM kills rather than the zone-loss headroom (most of it is a
   * baseline that adding replicas does not reduce), so it is not bound by the
   * static-stability target.
   * @default 80
   */
  readonly memoryTargetUtilization?: number;
  /**
   * Accept a CPU target above the static-stability bound: after a zone loss
   * the remaining replicas run above their CPU requests until new capacity arrives.
   * The Deployment then carries the annotation
   * `resilience.resilient-eks.dev/accept.zone-loss` with that reason, and the
   * resilience report shows its zone-loss row as ACCEPTED, never as PASS.
   * @default false
   */
  readonly acceptZoneLossOverload?: boolean;
}

/** The Kubernetes service account the pods run as. */
export interface ServiceAccountOptions {
  /**
   * Name of the service account.
   * @default - the service's name
   */
  readonly name?: string;
  /**
   * Annotations, e.g. `eks.amazonaws.com/role-arn` for IRSA. EKS Pod Identity
   * needs none: its association names the service account.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Emit the ServiceAccount object; set to false to use one that already exists.
   * @default true
   */
  readonly create?: boolean;
}

/** Properties of a {@link HaMicroservice}. */
export interface HaMicroserviceProps {
  /**
   * The service's name: names the Deployment, Service and every other object,
   * and is the `app.kubernetes.io/name` label. A DNS-1123 label starting with a letter.
   */
  readonly name: string;
  /** The container image, pinned by tag (not `latest`) or by digest. */
  readonly image: string;
  /** The port the container listens on. */
  readonly containerPort: number;
  /**
   * The port the Service exposes inside the cluster.
   * @default 80
   */
  readonly servicePort?: number;

  /** CPU request: what the scheduler reserves and what utilisation targets are relative to. */
  readonly cpu: Cpu;
  /** Memory request. */
  readonly memory: Size;
  /**
   * CPU limit. Unset by default: a CPU limit throttles the service even when
   * the node has idle CPU, which adds latency and helps no one.
   * @default - no CPU limit
   */
  readonly cpuLimit?: Cpu;
  /**
   * Memory limit. Memory cannot be throttled, only OOM-killed, so the limit
   * equals the request by default and a pod never relies on memory the
   * scheduler did not reserve for it.
   * @default - the memory request
   */
  readonly memoryLimit?: Size;

  /**
   * A fixed replica count, without a HorizontalPodAutoscaler. Mutually
   * exclusive with `autoscaling`.
   * @default - autoscaled (see `autoscaling`)
   */
  readonly replicas?: number;
  /**
   * Autoscaling on CPU and memory. Mutually exclusive with `replicas`.
   * @default - autoscaled with the policy's defaults
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * Zones to spread over (2 to 6). Must not exceed the zones your nodes run in:
   * the HPA target is computed for this count. Prefer `zones`, which also
   * pins the pods to those zones.
   * @default - the length of `zones`, else 3
   */
  readonly zoneCount?: number;
  /**
   * The zones the pods run in, e.g. the cluster's Availability Zones: the pods
   * get a required node affinity for them and the zone count is their number.
   * @default - any zone, counted as `zoneCount`
   */
  readonly zones?: string[];

  /**
   * Route in-cluster calls to replicas in the caller's zone (the Service's
   * `trafficDistribution: PreferSameZone`), falling back to the other zones
   * when the caller's zone has no ready replica. The zone spread keeps a
   * replica in every zone, so no caller is left without a local one. Turn it
   * off when the callers are not spread over the zones like the replicas
   * (e.g. one batch job in one zone): each zone's replicas carry their own
   * zone's calls, which the HPA's average does not see. ALB traffic goes to
   * pod IPs and is never affected.
   *
   * Same-zone routing loads the thinnest zone's pods more than the average the
   * HPA sees, so it is turned on only where those pods stay within their
   * requests over the whole replica range, even after a zone loss (a fixed
   * count that is a multiple of the zones, or a low enough CPU target);
   * `settings.reasons.preferSameZoneTraffic` says which. `false` turns it off
   * everywhere.
   * @default - on where the replica counts and CPU target keep it safe
   */
  readonly preferSameZoneTraffic?: boolean;

  /**
   * The HTTP path the default probes and the ALB health check use. It should
   * answer 200 while the process can serve, without checking dependencies
   * (a shared dependency failing would otherwise restart every replica).
   * @default "/healthz"
   */
  readonly healthCheckPath?: string;
  /**
   * Decides when the pod receives traffic.
   * @default - HTTP GET healthCheckPath every 5 s, out of service after 2 failures
   */
  readonly readinessProbe?: HealthProbe;
  /**
   * Restarts a container that stopped answering.
   * @default - HTTP GET healthCheckPath every 10 s, restart after 3 failures
   */
  readonly livenessProbe?: HealthProbe;
  /**
   * Holds the other probes back until the application has started.
   * @default - HTTP GET healthCheckPath every 5 s, up to 2 minutes
   */
  readonly startupProbe?: HealthProbe;

  /**
   * Entrypoint override.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Existing ConfigMaps whose keys become environment variables.
   * @default - none
   */
  readonly envFromConfigMaps?: string[];
  /**
   * Existing Secrets whose keys become environment variables (for example
   * created by an ExternalSecret from AWS Secrets Manager).
   * @default - none
   */
  readonly envFromSecrets?: string[];
  /**
   * AWS Secrets Manager secrets (JSON key/value pairs) the service needs, by
   * name: an ExternalSecret materialises them as the Secret `<name>-aws-secrets`,
   * whose keys become environment variables. Only names reach Git.
   * @default - none
   */
  readonly secretsManagerSecrets?: string[];
  /**
   * The External Secrets ClusterSecretStore `secretsManagerSecrets` are read through.
   * @default "aws-secrets-manager" (the store the platform installs)
   */
  readonly secretStoreName?: string;
  /**
   * The service account the pods run as.
   * @default - a ServiceAccount named after the service
   */
  readonly serviceAccount?: ServiceAccountOptions;
  /**
   * Mount the service account token into the pods. EKS Pod Identity and IRSA
   * project their own tokens and do not need it; only code that calls the
   * Kubernetes API does.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;

  /**
   * How long the preStop hook sleeps so that endpoint and ALB removal reach
   * every proxy before SIGTERM.
   * @default Duration.seconds(15)
   */
  readonly preStopSleep?: Duration;
  /**
   * Time from deletion to SIGKILL, including the preStop sleep.
   * @default - preStopSleep + 30 s
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * How long pods stay on a node that is not-ready or unreachable before they
   * are evicted and replaced (Kubernetes' default is 300 s).
   * @default Duration.seconds(30)
   */
  readonly nodeFailureToleration?: Duration;
  /**
   * PriorityClass of the pods.
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * CPU architectures the image is built for; nodes of other architectures
   * are excluded. List both only for multi-arch images.
   * @default [CpuArchitecture.AMD64]
   */
  readonly architectures?: CpuArchitecture[];
  /**
   * UID (and GID) the container runs as. Never 0: the pods run as non-root.
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * Directories that stay writable (each an emptyDir) although the root
   * filesystem is read-only.
   * @default ["/tmp"]
   */
  readonly writablePaths?: string[];

  /**
   * Expose the service through an ALB (AWS Load Balancer Controller Ingress).
   * @default - reachable inside the cluster only
   */
  readonly expose?: AlbExposure;
  /**
   * Workloads allowed to call this service; everything else is denied by the NetworkPolicy.
   * @default - no in-cluster caller
   */
  readonly allowedCallers?: ServiceCaller[];
  /**
   * Destinations this service may open connections to, besides DNS.
   * @default - DNS only
   */
  readonly egress?: EgressDestination[];
  /**
   * Join the Istio ambient mesh (ResilientEksPlatform `serviceMesh`): mutual TLS, and a
   * waypoint applying the timeout, retries and outlier detection to calls of this service.
   * @default - not in the mesh
   */
  readonly mesh?: HaMicroserviceMeshOptions;

  /**
   * The `app.kubernetes.io/version` label.
   * @default - the image tag
   */
  readonly version?: string;
  /**
   * The `app.kubernetes.io/part-of` label, e.g. the application a service belongs to.
   * @default - no label
   */
  readonly partOf?: string;
  /**
   * The `app.kubernetes.io/component` label.
   * @default "microservice"
   */
  readonly component?: string;
}
