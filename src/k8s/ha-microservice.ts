import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { CpuArchitecture, HaMicroserviceProps } from './ha-microservice-props';
import { HealthProbe } from './health-probe';
import {
  APP_COMPONENT_LABEL, APP_INSTANCE_LABEL, APP_MANAGED_BY_LABEL, APP_NAME_LABEL, APP_PART_OF_LABEL, APP_VERSION_LABEL,
} from './labels';
import { DEFAULT_WAYPOINT_NAME } from './mesh/mesh-waypoint';
import { ResilienceSettings } from './resilience-settings';
import { scalingBehavior } from '../policy/autoscaling';
import { PropValidationError, invalid, requireIntegerInRange } from '../policy/errors';
import {
  requireEnvVarName, requireLabelValue, requireObjectName, requirePinnedImage, requireQualifiedName, requireServiceName,
} from '../policy/names';
import { cpuQuantity, memoryQuantity } from '../policy/quantities';
import { NOT_READY_TAINT, UNREACHABLE_TAINT } from '../policy/recovery';
import { PREFER_SAME_ZONE, ZONE_TOPOLOGY_KEY, topologySpreadConstraints } from '../policy/spread';
import { ACCEPT_ANNOTATION_PREFIX } from '../report/report-acceptance';
import { SecretsManagerSecret } from './external-secrets/external-secret';
import { ALB_INGRESS_CLASS, registerIngressGroup, renderAlbIngress } from './private/alb-ingress';
import {
  DATAPLANE_MODE_LABEL, USE_WAYPOINT_LABEL, meshEgressRule, meshIngressRule, meshPrincipal, renderMeshObjects,
} from './private/mesh-objects';
import {
  albIngressRule, callerIngressRule, destinationEgressRule, dnsEgressRule, podIdentityEgressRule, workloadPeer,
} from './private/network-rules';
import { ProbeRole } from './private/probe-defaults';
import { ResolvedResources, resolveSettings } from './private/resolve-settings';

const DEFAULT_HEALTH_CHECK_PATH = '/healthz';
const DEFAULT_SERVICE_PORT = 80;
const DEFAULT_RUN_AS_USER = 65532;
const PORT_NAME = 'http';

/**
 * A stateless microservice that survives the loss of a node or a zone and
 * drains gracefully, by construction.
 *
 * It emits a Deployment spread over zones and nodes, a Service, a
 * PodDisruptionBudget, a HorizontalPodAutoscaler (CPU and memory), a
 * deny-by-default NetworkPolicy, a ServiceAccount and, when exposed, an ALB
 * Ingress. Every number comes from the resilience policy and is readable in
 * `settings`, with its reason.
 */
export class HaMicroservice extends Construct {
  /** The service's name (also its `app.kubernetes.io/name` label). */
  public readonly name: string;
  /** The labels that select this service's pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The port the container listens on (NetworkPolicy rules refer to it). */
  public readonly containerPort: number;
  /** The port of the Service inside the cluster. */
  public readonly servicePort: number;
  /** The numbers the resilience policy decided, with their reasons. */
  public readonly settings: ResilienceSettings;

  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The ClusterIP Service. */
  public readonly service: k8s.KubeService;
  /** The PodDisruptionBudget. */
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy (deny by default). */
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  /**
   * The HorizontalPodAutoscaler, unless the replica count is fixed.
   */
  public readonly horizontalPodAutoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /**
   * The ALB Ingress, when exposed.
   */
  public readonly ingress?: k8s.KubeIngress;
  /**
   * The ServiceAccount, unless an existing one is used.
   */
  public readonly serviceAccount?: k8s.KubeServiceAccount;
  /**
   * The ExternalSecret bringing in `secretsManagerSecrets`, when any.
   */
  public readonly externalSecret?: SecretsManagerSecret;
  /**
   * The Istio objects (VirtualService, DestinationRule, AuthorizationPolicy, and the PeerAuthentication of an exposed service), when in the mesh.
   */
  public readonly meshObjects: ApiObject[];

  private readonly namespace?: string;
  private readonly meshed: boolean;
  private readonly serviceAccountName: string;
  private readonly meshCallers: string[] = [];
  private readonly ingressRules: k8s.NetworkPolicyIngressRule[];
  private readonly egressRules: k8s.NetworkPolicyEgressRule[];

  constructor(scope: Construct, id: string, props: HaMicroserviceProps) {
    super(scope, id);
    try {
      this.name = requireServiceName('name', props.name);
      this.namespace = Chart.of(this).namespace;
      this.containerPort = requireIntegerInRange('containerPort', props.containerPort, 1, 65535, 'TCP ports range from 1 to 65535');
      this.servicePort = requireIntegerInRange('servicePort', props.servicePort ?? DEFAULT_SERVICE_PORT, 1, 65535, 'TCP ports range from 1 to 65535');
      requirePinnedImage('image', props.image);
      const { settings, resources } = resolveSettings(props);
      this.settings = settings;

      const labels = standardLabels(props);
      this.selectorLabels = { [APP_NAME_LABEL]: this.name, [APP_INSTANCE_LABEL]: this.name };
      const metadata = { name: this.name, labels };
      this.meshed = props.mesh !== undefined;
      // Enrolled per pod, so a namespace can hold services in and out of the mesh.
      const podLabels = this.meshed ? { ...labels, [DATAPLANE_MODE_LABEL]: 'ambient' } : labels;

      const serviceAccountName = this.renderServiceAccount(props, metadata);
      this.serviceAccountName = serviceAccountName;
      if (props.secretsManagerSecrets && props.secretsManagerSecrets.length > 0) {
        this.externalSecret = new SecretsManagerSecret(this, 'ExternalSecret', {
          targetName: `${this.name}-aws-secrets`,
          secretNames: props.secretsManagerSecrets,
          storeName: props.secretStoreName,
          labels: { [APP_NAME_LABEL]: this.name },
        });
      }
      this.serviceAccount = this.node.tryFindChild('ServiceAccount') as k8s.KubeServiceAccount | undefined;

      this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
        metadata: { ...metadata, ...zoneLossAcceptance(settings) },
        spec: {
          // With an HPA the replica count is the HPA's alone: setting it here too would reset it on every apply.
          replicas: settings.autoscaled ? undefined : settings.minReplicas,
          selector: { matchLabels: this.selectorLabels },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromString('25%') } },
          template: {
            metadata: { labels: podLabels },
            spec: this.renderPodSpec(props, settings, resources, serviceAccountName),
          },
        },
      });

      const waypointName = props.mesh && requireObjectName('mesh.waypointName', props.mesh.waypointName ?? DEFAULT_WAYPOINT_NAME);
      this.service = new k8s.KubeService(this, 'Service', {
        metadata: waypointName ? { ...metadata, labels: { ...labels, [USE_WAYPOINT_LABEL]: waypointName } } : metadata,
        spec: {
          type: 'ClusterIP',
          selector: this.selectorLabels,
          ports: [{ name: PORT_NAME, port: this.servicePort, targetPort: k8s.IntOrString.fromString(PORT_NAME), protocol: 'TCP' }],
          trafficDistribution: settings.preferSameZoneTraffic ? PREFER_SAME_ZONE : undefined,
        },
      });

      this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata,
        spec: {
          selector: { matchLabels: this.selectorLabels },
          maxUnavailable: k8s.IntOrString.fromNumber(settings.maxUnavailable),
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });

      if (settings.autoscaled) {
        this.horizontalPodAutoscaler = new k8s.KubeHorizontalPodAutoscalerV2(this, 'HorizontalPodAutoscaler', {
          metadata,
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
            minReplicas: settings.minReplicas,
            maxReplicas: settings.maxReplicas,
            metrics: [
              resourceMetric('cpu', settings.cpuTargetUtilization!),
              resourceMetric('memory', settings.memoryTargetUtilization!),
            ],
            behavior: scalingBehavior(),
          },
        });
      }

      this.ingressRules = (props.allowedCallers ?? []).map((caller, i) => callerIngressRule(`allowedCallers[${i}]`, caller, this.containerPort));
      this.egressRules = [
        dnsEgressRule(),
        podIdentityEgressRule(),
        ...(props.egress ?? []).map((destination, i) => destinationEgressRule(`egress[${i}]`, destination)),
        ...(this.meshed ? (props.egress ?? []).filter((d) => d.app !== undefined).map((d) => meshEgressRule(d.app!, d.namespaceName)) : []),
      ];

      let albHealthCheckPort: number | undefined;
      if (props.expose) {
        // The ALB checks what the kubelet checks: the readiness probe's path and port when it is an HTTP probe.
        const readiness = props.readinessProbe ?? defaultProbe(props);
        const healthCheck = readiness.path !== undefined ? { path: readiness.path, port: readiness.port } : { path: healthCheckPath(props) };
        const alb = renderAlbIngress(props.expose, healthCheck, settings.deregistrationDelaySeconds!);
        albHealthCheckPort = alb.healthCheckPort;
        registerIngressGroup(this.node.root, this.node.path, props.expose, alb);
        this.ingressRules.push(albIngressRule(alb.sourceCidrs, [this.containerPort, alb.healthCheckPort]));
        this.ingress = new k8s.KubeIngress(this, 'Ingress', {
          metadata: { ...metadata, annotations: alb.annotations },
          spec: {
            ingressClassName: ALB_INGRESS_CLASS,
            // With DNS failover the region's own name routes the same paths, so Route 53's health check of it reaches this service.
            rules: [alb.host, ...(alb.regionalHost ? [alb.regionalHost] : [])].map((host) => ({
              host,
              http: {
                paths: [{
                  path: alb.path,
                  pathType: 'Prefix',
                  backend: { service: { name: this.name, port: { number: this.servicePort } } },
                }],
              },
            })),
          },
        });
      }

      this.meshObjects = [];
      if (props.mesh) {
        const probes = [props.readinessProbe, props.livenessProbe, props.startupProbe]
          .map((probe) => probe?.port).filter((port): port is number => port !== undefined);
        const mesh = renderMeshObjects(this, {
          name: this.name,
          servicePort: this.servicePort,
          containerPort: this.containerPort,
          probePorts: probes,
          selectorLabels: this.selectorLabels,
          zones: settings.zoneCount,
          exposedThroughAlb: props.expose !== undefined,
          albHealthCheckPort,
          options: props.mesh,
          waypointName: waypointName!,
          callerPrincipals: this.meshCallers,
        }, (props.allowedCallers ?? []).map((caller) => workloadPeer(caller.app, caller.namespaceName)));
        // A declared caller is a HaMicroservice, whose service account carries its name.
        this.meshCallers.push(...(props.allowedCallers ?? []).map((caller) => meshPrincipal(caller.namespaceName ?? this.namespace, caller.app)));
        this.meshObjects.push(...mesh.objects);
        this.ingressRules.push(...mesh.ingressRules);
      }

      // The rule arrays are held by reference, so connectTo() can still add to them after construction.
      this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
        metadata,
        spec: {
          podSelector: { matchLabels: this.selectorLabels },
          policyTypes: ['Ingress', 'Egress'],
          ingress: this.ingressRules,
          egress: this.egressRules,
        },
      });
    } catch (error) {
      if (error instanceof PropValidationError) {
        throw new Error(`HaMicroservice at '${this.node.path}': ${error.message}`);
      }
      throw error;
    }
  }

  /**
   * Lets this service call `target`: opens egress from this service's pods to
   * the target's container port and ingress on the target from this service,
   * across namespaces if the two live in different charts' namespaces.
   */
  public connectTo(target: HaMicroservice): void {
    if (this.namespace !== target.namespace && (this.namespace === undefined || target.namespace === undefined)) {
      const [unset, set] = this.namespace === undefined ? [this, target] : [target, this];
      throw new Error(`HaMicroservice at '${this.node.path}': connectTo(${target.name}) cannot tell which namespace '${unset.name}' runs in: ` +
        `its chart has no namespace while '${set.name}' is in '${set.namespace}'. Fix: set the namespace on both charts.`);
    }
    const targetNamespace = target.namespace !== this.namespace ? target.namespace : undefined;
    this.egressRules.push({
      to: [workloadPeer(target.name, targetNamespace)],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(target.containerPort) }],
    });
    if (this.meshed) this.egressRules.push(meshEgressRule(target.name, targetNamespace));
    const caller = workloadPeer(this.name, this.namespace !== target.namespace ? this.namespace : undefined);
    target.ingressRules.push({ from: [caller], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(target.containerPort) }] });
    if (target.meshed) {
      target.ingressRules.push(meshIngressRule([caller]));
      target.meshCallers.push(meshPrincipal(this.namespace, this.serviceAccountName));
    }
  }

  private renderServiceAccount(props: HaMicroserviceProps, metadata: { name: string; labels: { [key: string]: string } }): string {
    const options = props.serviceAccount ?? {};
    const name = requireObjectName('serviceAccount.name', options.name ?? this.name);
    const annotations = options.annotations ?? {};
    Object.keys(annotations).forEach((key) => requireQualifiedName(`serviceAccount.annotations["${key}"]`, key));
    if (options.create === false) {
      if (options.annotations !== undefined) {
        invalid('serviceAccount.annotations', annotations, 'cannot be applied to an existing service account (serviceAccount.create is false)',
          'annotate the existing service account where it is defined, or let this construct create it');
      }
      return name;
    }
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { ...metadata, name, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    });
    return name;
  }

  private renderPodSpec(
    props: HaMicroserviceProps, settings: ResilienceSettings, resources: ResolvedResources, serviceAccountName: string,
  ): k8s.PodSpec {
    const runAsUser = requireIntegerInRange('runAsUser', props.runAsUser ?? DEFAULT_RUN_AS_USER, 1, 2147483647,
      'the pods run as non-root, so the UID must not be 0');
    const architectures = props.architectures ?? [CpuArchitecture.AMD64];
    if (architectures.length === 0) {
      invalid('architectures', architectures, 'must list at least one architecture, or no node can run the pods', 'use [CpuArchitecture.AMD64] or both for multi-arch images');
    }
    const writablePaths = (props.writablePaths ?? ['/tmp']).map((path, i) => {
      const normalized = path.replace(/\/+$/, '');
      if (!path.startsWith('/') || normalized === '' || /\/\/|\/\.\.?(\/|$)/.test(normalized)) {
        invalid(`writablePaths[${i}]`, path, 'must be an absolute, normalised directory other than "/"', 'use a path such as "/tmp" or "/var/cache/app"');
      }
      return normalized;
    });
    writablePaths.forEach((path, i) => {
      if (writablePaths.indexOf(path) !== i) {
        invalid(`writablePaths[${i}]`, props.writablePaths![i], `mounts "${path}" twice: the API server rejects duplicate mount paths`, 'list each directory once');
      }
    });
    if (props.priorityClassName !== undefined) requireObjectName('priorityClassName', props.priorityClassName);

    return {
      serviceAccountName,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      // Service links inject an env var per Service in the namespace: noise, and a slow start in large namespaces.
      enableServiceLinks: false,
      priorityClassName: props.priorityClassName,
      terminationGracePeriodSeconds: settings.terminationGracePeriodSeconds,
      topologySpreadConstraints: topologySpreadConstraints(this.selectorLabels),
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{
              matchExpressions: [
                { key: 'kubernetes.io/arch', operator: 'In', values: [...new Set(architectures)] },
                ...(settings.zones ? [{ key: ZONE_TOPOLOGY_KEY, operator: 'In', values: settings.zones }] : []),
              ],
            }],
          },
        },
      },
      tolerations: [NOT_READY_TAINT, UNREACHABLE_TAINT].map((key) => ({
        key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: settings.nodeFailureTolerationSeconds,
      })),
      securityContext: {
        runAsNonRoot: true,
        runAsUser,
        runAsGroup: runAsUser,
        fsGroup: runAsUser,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [{
        name: this.name,
        image: props.image,
        imagePullPolicy: 'IfNotPresent',
        command: props.command,
        args: props.args,
        ports: [{ name: PORT_NAME, containerPort: this.containerPort, protocol: 'TCP' }],
        env: renderEnv(props.env),
        envFrom: renderEnvFrom(props, this.externalSecret?.targetName),
        resources: {
          requests: {
            cpu: k8s.Quantity.fromString(cpuQuantity(resources.cpuRequestMillis)),
            memory: k8s.Quantity.fromString(memoryQuantity(resources.memoryRequestKib)),
          },
          limits: {
            ...(resources.cpuLimitMillis !== undefined ? { cpu: k8s.Quantity.fromString(cpuQuantity(resources.cpuLimitMillis)) } : {}),
            memory: k8s.Quantity.fromString(memoryQuantity(resources.memoryLimitKib)),
          },
        },
        readinessProbe: (props.readinessProbe ?? defaultProbe(props))._render('readinessProbe', ProbeRole.READINESS, this.containerPort),
        livenessProbe: (props.livenessProbe ?? defaultProbe(props))._render('livenessProbe', ProbeRole.LIVENESS, this.containerPort),
        startupProbe: (props.startupProbe ?? defaultProbe(props))._render('startupProbe', ProbeRole.STARTUP, this.containerPort),
        lifecycle: { preStop: { sleep: { seconds: settings.preStopSleepSeconds } } },
        securityContext: {
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        volumeMounts: writablePaths.map((mountPath, i) => ({ name: `writable-${i}`, mountPath })),
      }],
      volumes: writablePaths.map((_, i) => ({ name: `writable-${i}`, emptyDir: {} })),
    };
  }
}

/**
 * A CPU target above the static-stability bound, accepted with
 * autoscaling.acceptZoneLossOverload, travels with the Deployment so the
 * resilience report shows its zone-loss row as ACCEPTED, with the reason.
 */
function zoneLossAcceptance(settings: ResilienceSettings): { annotations?: { [key: string]: string } } {
  const target = settings.cpuTargetUtilization;
  const bound = settings.maxStableUtilization;
  if (target === undefined || bound === undefined || target <= bound) return {};
  return {
    annotations: {
      [`${ACCEPT_ANNOTATION_PREFIX}zone-loss`]: `autoscaling.acceptZoneLossOverload: CPU target ${target}% is above the static-stability bound ` +
        `${bound}%, so after a zone loss the survivors run above their requests until new capacity arrives`,
    },
  };
}

function healthCheckPath(props: HaMicroserviceProps): string {
  const path = props.healthCheckPath ?? DEFAULT_HEALTH_CHECK_PATH;
  if (!path.startsWith('/')) {
    invalid('healthCheckPath', path, 'an HTTP health-check path must start with "/"', `use ${JSON.stringify(`/${path}`)}`);
  }
  return path;
}

function defaultProbe(props: HaMicroserviceProps): HealthProbe {
  return HealthProbe.http(healthCheckPath(props));
}

function resourceMetric(name: 'cpu' | 'memory', averageUtilization: number): k8s.MetricSpecV2 {
  return { type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } };
}

function renderEnv(env: { [name: string]: string } | undefined): k8s.EnvVar[] | undefined {
  if (!env) return undefined;
  // Sorted so the output does not depend on the order keys were written in.
  return Object.keys(env).sort().map((name) => ({ name: requireEnvVarName(`env["${name}"]`, name), value: env[name] }));
}

function renderEnvFrom(props: HaMicroserviceProps, externalSecretName: string | undefined): k8s.EnvFromSource[] | undefined {
  const sources: k8s.EnvFromSource[] = [
    ...(props.envFromConfigMaps ?? []).map((name, i) => ({ configMapRef: { name: requireObjectName(`envFromConfigMaps[${i}]`, name) } })),
    ...(props.envFromSecrets ?? []).map((name, i) => ({ secretRef: { name: requireObjectName(`envFromSecrets[${i}]`, name) } })),
    ...(externalSecretName ? [{ secretRef: { name: externalSecretName } }] : []),
  ];
  return sources.length > 0 ? sources : undefined;
}

function standardLabels(props: HaMicroserviceProps): { [key: string]: string } {
  const imageTag = /:([^/@:]+)(@|$)/.exec(props.image.substring(props.image.lastIndexOf('/') + 1))?.[1];
  const version = props.version ?? imageTag;
  return {
    [APP_NAME_LABEL]: props.name,
    [APP_INSTANCE_LABEL]: props.name,
    ...(version ? { [APP_VERSION_LABEL]: requireLabelValue(props.version ? 'version' : 'image (its tag becomes the version label)', version) } : {}),
    [APP_COMPONENT_LABEL]: requireLabelValue('component', props.component ?? 'microservice'),
    ...(props.partOf ? { [APP_PART_OF_LABEL]: requireLabelValue('partOf', props.partOf) } : {}),
    [APP_MANAGED_BY_LABEL]: 'cdk8s',
  };
}
