import { CfnCondition, CfnElement, Stack, Token } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { CfnCluster } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { AlertingOptions } from './alerting-options';
import { resolveAvailabilityZones } from './availability-zones';
import { DisasterRecoveryOptions, RecoveryStrategy } from './disaster-recovery-options';
import { FaultInjectionOptions } from './fault-injection-options';
import { GitOpsOptions } from './gitops-options';
import { ObservabilityOptions } from './observability-options';
import { PlatformProfile } from './platform-profile';
import { Descheduler } from './private/descheduler';
import { DisasterRecovery, recoverySetup } from './private/disaster-recovery';
import { Drills } from './private/drills';
import { ExternalSecrets } from './private/external-secrets';
import { GitOpsBootstrap } from './private/gitops';
import { LoadBalancerController } from './private/load-balancer-controller';
import { acknowledgeNag, managedPolicyFindings, nagReference, wildcardResourceFindings } from './private/nag';
import { PlatformNetwork } from './private/network';
import { Observability } from './private/observability';
import { PrometheusAlerts } from './private/prometheus-alerts';
import { MutualTlsMode, ServiceMeshOptions } from './service-mesh-options';
import { DEFAULT_KUBERNETES_VERSION, defaultKubectlLayer } from '../versions';
import { Alerting } from './private/alerting';
import { installAddons } from './private/cluster-addons';
import { IstioAmbient } from './private/istio';
import { Karpenter } from './private/karpenter';
import { secretsReplicaKeyAlias } from './private/recovery-names';
import { retainedKey } from './private/retained-key';
import { RunbookFacts, renderRunbooks } from './private/runbooks';
import { SecretReplication } from './private/secret-replication';
import { ServiceRepositories } from './private/service-repositories';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TAINT_KEY, systemNodeLaunchTemplate } from './private/system-nodes';
import { Runbook } from './runbook';
import { EncryptedStorageClass } from '../k8s/encrypted-storage-class';
import { CpuArchitecture } from '../k8s/ha-microservice-props';
import { NodePoolOptions } from '../k8s/karpenter/node-pool';
import { apiEndpointExposure } from '../policy/api-endpoint';
import { secretReplicationInterval } from '../policy/disaster-recovery';
import { PropValidationError, invalid } from '../policy/errors';
import { requireClusterName, requireServiceName } from '../policy/names';
import { profileSettings } from '../policy/platform-profile';
import { acceptInTemplate, recordRecoveryTargets } from '../report/private/template-acceptance';

/** Properties of a {@link ResilientEksPlatform}. */
export interface ResilientEksPlatformProps {
  /**
   * The EKS cluster name; also the Karpenter discovery tag value. Must be
   * known at synth (IAM conditions are keyed on it).
   * @default - the stack name
   */
  readonly clusterName?: string;
  /**
   * High availability (the default) or lowest cost; see PlatformProfile for what each trades.
   * @default PlatformProfile.HIGH_AVAILABILITY
   */
  readonly profile?: PlatformProfile;
  /**
   * Acknowledge that the cost-optimised profile's single NAT gateway makes
   * every zone's egress depend on one zone. Required with COST_OPTIMIZED.
   * @default false
   */
  readonly acceptSingleNatGateway?: boolean;
  /**
   * The Availability Zones, named so synth needs no AWS lookup.
   * @default - the first `zoneCount` zones this library names for the stack's region
   */
  readonly availabilityZones?: string[];
  /**
   * How many zones (at least 2), when `availabilityZones` is not given.
   * @default 3
   */
  readonly zoneCount?: number;
  /**
   * Bring your own VPC. Its private subnets must carry `kubernetes.io/role/internal-elb=1` and its
   * public subnets `kubernetes.io/role/elb=1` for the Load Balancer Controller; Karpenter uses the
   * private subnets by ID.
   * @default - a VPC is created over the zones
   */
  readonly vpc?: ec2.IVpc;
  /**
   * CIDR of the created VPC (/16 to /20).
   * @default "10.0.0.0/16"
   */
  readonly vpcCidr?: string;
  /**
   * Interface VPC endpoints for ECR, STS, EC2, SQS and CloudWatch Logs.
   * @default - on for HIGH_AVAILABILITY, off for COST_OPTIMIZED
   */
  readonly interfaceEndpoints?: boolean;
  /**
   * Retention of the VPC flow logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * Kubernetes version. Pass `kubectlLayer` with it: the layer must match.
   * Add-on versions are pinned for the default version only; with another
   * one, EKS installs each add-on's default version for it.
   * @default - 1.36 (see src/versions.ts)
   */
  readonly kubernetesVersion?: eks.KubernetesVersion;
  /**
   * kubectl/Helm Lambda layer matching `kubernetesVersion`.
   * @default - the layer for the default version
   */
  readonly kubectlLayer?: lambda.ILayerVersion;
  /**
   * IAM principals (role or user ARNs) granted cluster admin through access entries.
   * @default - none besides the deploying role's bootstrap access
   */
  readonly adminPrincipalArns?: string[];
  /**
   * CIDR blocks that may reach a public Kubernetes API endpoint, served next to the private one
   * (e.g. the static egress addresses of CI runners that run kubectl, or an office range). Without
   * it the API is served on private endpoints in the VPC only. Deployments do not need a public
   * endpoint: CDK's kubectl handler runs in the VPC's private subnets. A range of prefix length 0
   * (`0.0.0.0/0`, `::/0`) is refused; see `acceptPublicEndpointFromAnywhere`.
   * @default - no public endpoint: the API is reachable from inside the VPC only
   */
  readonly publicEndpointCidrs?: string[];
  /**
   * Serve a public Kubernetes API endpoint open to every address, with only IAM authentication
   * (access entries) in front of it. Use when the callers of kubectl have no fixed addresses and no
   * route into the VPC; prefer `publicEndpointCidrs`.
   * @default false
   */
  readonly acceptPublicEndpointFromAnywhere?: boolean;
  /**
   * Services that get an ECR repository each.
   * @default - none
   */
  readonly services?: string[];
  /**
   * Prefix of the repository names (`<prefix>/<service>`).
   * @default - the cluster name
   */
  readonly ecrRepositoryPrefix?: string;
  /**
   * Releases (tagged images) each repository keeps.
   * @default 30
   */
  readonly ecrKeepReleases?: number;
  /**
   * CPU architectures of the default NodePool (ARM64 only if every workload image is multi-arch).
   * @default [CpuArchitecture.AMD64]
   */
  readonly nodeArchitectures?: CpuArchitecture[];
  /**
   * Replace the default NodePool (spot preferred, on-demand fallback, c/m/r, all zones).
   * @default - one NodePool named "default"
   */
  readonly nodePools?: NodePoolOptions[];
  /**
   * NodePools added next to the default (or to `nodePools`).
   * @default - none
   */
  readonly additionalNodePools?: NodePoolOptions[];
  /**
   * Bootstrap ArgoCD (HA) pulling the cluster's desired state from this Git repository.
   * @default - no GitOps bootstrap
   */
  readonly gitOps?: GitOpsOptions;
  /**
   * Prefix of the AWS Secrets Manager secret names the cluster may read (through External Secrets).
   * @default - "<clusterName>/"
   */
  readonly secretNamePrefix?: string;
  /**
   * Backups (AWS Backup) and disaster recovery from RPO and RTO targets.
   * @default - no backups
   */
  readonly disasterRecovery?: DisasterRecoveryOptions;
  /**
   * AWS FIS experiment templates for zone outage, node, spot and system node loss, stopped by alarms.
   * @default - all four templates, stopped when the region's ALBs answer more than 50 5xx a minute
   */
  readonly faultInjection?: FaultInjectionOptions;
  /**
   * Container Insights, logs and their retention, and optionally Amazon Managed Service for Prometheus.
   * @default - Container Insights with enhanced observability and container logs, one month of log retention, no Prometheus
   */
  readonly observability?: ObservabilityOptions;
  /**
   * The alarm topic, its subscribers and the alarm thresholds.
   * @default - every alarm at its default threshold, published to a topic without subscribers
   */
  readonly alerting?: AlertingOptions;
  /**
   * Istio in ambient mode with mesh-wide mutual TLS (needs `gitOps`, which installs the Gateway API CRDs).
   * @default - no service mesh
   */
  readonly serviceMesh?: ServiceMeshOptions;
}

/**
 * The cdk-nag findings on parts aws-cdk-lib and EKS define (the cluster role,
 * aws-cdk-lib's kubectl provider, the node group role and the EBS CSI
 * driver's role), each acknowledged with the reason it stands.
 */
function acknowledgeAwsManagedParts(cluster: eks.Cluster, systemNodegroup: eks.Nodegroup): void {
  const managed = 'EKS documents these AWS managed policies for its cluster, node and add-on roles; AWS keeps them current with EKS.';
  acknowledgeNag(cluster.role, managedPolicyFindings(['AmazonEKSClusterPolicy'], managed));
  acknowledgeNag(systemNodegroup.role, [
    ...managedPolicyFindings(['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'], managed),
  ]);
  const provider = cluster.node.findChild('KubectlProvider');
  const handler = provider.node.findChild('Handler');
  const hasEcrPublic = handler.node.tryFindChild('HasEcrPublic') as CfnCondition | undefined;
  const kubectl = 'aws-cdk-lib\'s kubectl provider: its Lambda roles use the AWS managed execution policies and may invoke its own handler.';
  acknowledgeNag(provider, [
    ...managedPolicyFindings(['service-role/AWSLambdaBasicExecutionRole', 'service-role/AWSLambdaVPCAccessExecutionRole',
      'AmazonEC2ContainerRegistryReadOnly'], kubectl),
    ...(hasEcrPublic ? [{
      id: 'AwsSolutions-IAM4[Policy::{"Fn::If":["' + Stack.of(cluster).getLogicalId(hasEcrPublic) + '",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},' +
        '":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
      reason: kubectl,
    }] : []),
    ...wildcardResourceFindings([`${nagReference(handler.node.defaultChild as CfnElement, 'Arn')}:*`], kubectl),
    { id: 'AwsSolutions-L1', reason: 'aws-cdk-lib chooses and updates the kubectl handler\'s runtime together with its kubectl layer.' },
  ]);
  acknowledgeNag(cluster, [{
    id: 'CloudFormation-Validate::W9009',
    reason: 'aws-eks-v2 names the encrypted resources ("secrets") in EncryptionConfig, which EKS still accepts; the property is aws-cdk-lib\'s to change.',
  }]);
}

/**
 * An EKS platform that survives the loss of a node or a zone: a VPC over
 * three zones, an EKS cluster (API authentication, Pod Identity, KMS-encrypted
 * secrets, full control-plane logging) with a small system node group in every
 * zone, pinned managed add-ons, Karpenter for cost-optimised capacity, ECR
 * repositories, the AWS Load Balancer Controller and a descheduler that
 * restores the services' zone spread after a scale-down.
 */
export class ResilientEksPlatform extends Construct {
  /** The cluster name. */
  public readonly clusterName: string;
  /** The zones the platform spans. */
  public readonly availabilityZones: string[];
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The EKS cluster. */
  public readonly cluster: eks.Cluster;
  /** The KMS key encrypting Kubernetes secrets. */
  public readonly secretsKey: kms.Key;
  /** The managed node group for system pods (tainted CriticalAddonsOnly). */
  public readonly systemNodegroup: eks.Nodegroup;
  /** The IAM role of Karpenter's nodes. */
  public readonly karpenterNodeRole: iam.IRole;
  /** The IAM role of the Karpenter controller (Pod Identity). */
  public readonly karpenterControllerRole: iam.IRole;
  /** The Karpenter interruption queue. */
  public readonly interruptionQueue: sqs.IQueue;
  /** The IAM role of the AWS Load Balancer Controller (Pod Identity). */
  public readonly loadBalancerControllerRole: iam.IRole;
  /** The ECR repositories, by service name. */
  public readonly repositories: { [service: string]: ecr.IRepository };
  /** The IAM role of the External Secrets Operator (Pod Identity), limited to `secretNamePrefix`. */
  public readonly externalSecretsRole: iam.IRole;
  /** The KMS key to encrypt the platform's Secrets Manager secrets with (External Secrets may decrypt with it). */
  public readonly secretsManagerKey: kms.IKey;
  /** The prefix of the Secrets Manager secret names the cluster may read. */
  public readonly secretNamePrefix: string;
  /**
   * The AWS Backup vault, when disaster recovery is configured (primary region).
   */
  public readonly backupVault?: backup.IBackupVault;
  /**
   * The IAM role of Velero (Pod Identity), when disaster recovery is configured.
   */
  public readonly veleroRole?: iam.IRole;
  /**
   * The SNS topic the platform's alarms publish to (subscribe a pager or chat integration), unless alerting is off.
   */
  public readonly alarmTopic?: sns.ITopic;
  /** The platform's CloudWatch alarms, by name (e.g. "NotReadyNodes", "InterruptionQueueAge"). */
  public readonly alarms: { [name: string]: cloudwatch.IAlarm };
  /**
   * The Amazon Managed Service for Prometheus workspace, when `observability.managedPrometheus` is on.
   */
  public readonly prometheusWorkspace?: aps.CfnWorkspace;

  /** What the runbooks are written from. */
  private readonly runbookFacts: RunbookFacts;

  constructor(scope: Construct, id: string, props: ResilientEksPlatformProps = {}) {
    super(scope, id);
    try {
      const stack = Stack.of(this);
      this.clusterName = props.clusterName ?? stack.stackName;
      // A token fails the pattern too: the name must be a literal.
      requireClusterName('clusterName', this.clusterName);
      const profile = props.profile ?? PlatformProfile.HIGH_AVAILABILITY;
      const settings = profileSettings(profile === PlatformProfile.HIGH_AVAILABILITY).value;
      if (!settings.natGatewaysPerZone && !props.vpc && props.acceptSingleNatGateway !== true) {
        invalid('acceptSingleNatGateway', props.acceptSingleNatGateway,
          'must be true with PlatformProfile.COST_OPTIMIZED: its single NAT gateway makes every zone\'s egress depend on one zone',
          'set acceptSingleNatGateway: true, or use PlatformProfile.HIGH_AVAILABILITY');
      }
      if (!settings.natGatewaysPerZone && !props.vpc) {
        acceptInTemplate(stack, 'zonal-egress', 'acceptSingleNatGateway: the cost-optimised profile runs one NAT gateway for every zone');
      }
      if ((props.kubernetesVersion === undefined) !== (props.kubectlLayer === undefined)) {
        invalid(props.kubernetesVersion ? 'kubectlLayer' : 'kubernetesVersion', undefined,
          'kubernetesVersion and kubectlLayer go together: the layer\'s kubectl must match the cluster version',
          'pass both (e.g. KubernetesVersion.V1_35 with new KubectlV35Layer(...)), or neither for the default 1.36');
      }

      this.availabilityZones = resolveAvailabilityZones(stack, props.availabilityZones, props.zoneCount);
      if (props.vpc) {
        for (const prop of ['vpcCidr', 'interfaceEndpoints', 'flowLogRetention'] as const) {
          if (props[prop] !== undefined) {
            invalid(prop, props[prop], 'only applies to the VPC the platform creates, and a VPC was given', `remove ${prop}, or remove vpc`);
          }
        }
      }
      const apiEndpoint = apiEndpointExposure(props);
      const endpointAccess = !apiEndpoint.isPublic ? eks.EndpointAccess.PRIVATE
        : apiEndpoint.publicCidrs ? eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...apiEndpoint.publicCidrs)
          : eks.EndpointAccess.PUBLIC_AND_PRIVATE;
      const network = props.vpc ? undefined : new PlatformNetwork(this, 'Network', {
        clusterName: this.clusterName,
        availabilityZones: this.availabilityZones,
        cidr: props.vpcCidr ?? '10.0.0.0/16',
        natGatewaysPerZone: settings.natGatewaysPerZone,
        interfaceEndpoints: props.interfaceEndpoints ?? settings.interfaceEndpoints,
        flowLogRetention: props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH,
      });
      this.vpc = props.vpc ?? network!.vpc;
      const privateSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: this.availabilityZones };

      this.secretsKey = retainedKey(this, 'SecretsKey', `Envelope encryption of Kubernetes secrets in ${this.clusterName}`);
      this.cluster = new eks.Cluster(this, 'Cluster', {
        clusterName: this.clusterName,
        version: props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
        kubectlProviderOptions: { kubectlLayer: props.kubectlLayer ?? defaultKubectlLayer(this, 'KubectlLayer') },
        vpc: this.vpc,
        vpcSubnets: [privateSubnets],
        // No EKS Auto Mode and no default node group: Karpenter and the system node group below provide capacity.
        defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
        defaultCapacity: 0,
        // Every add-on is installed below as a pinned managed add-on instead of the unmanaged bootstrap copies.
        bootstrapSelfManagedAddons: false,
        endpointAccess,
        secretsEncryptionKey: this.secretsKey,
        clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
          eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER],
      });
      // ARC zonal shift: an impaired zone can be drained of load balancer traffic (by hand or by autoshift),
      // and Karpenter stops launching nodes there while the shift lasts.
      (this.cluster.node.defaultChild as CfnCluster).zonalShiftConfig = { enabled: true };
      (props.adminPrincipalArns ?? []).forEach((arn, i) => {
        if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/.test(arn)) {
          invalid(`adminPrincipalArns[${i}]`, arn, 'must be an IAM role or user ARN', 'use "arn:aws:iam::<account>:role/<name>"');
        }
        this.cluster.grantClusterAdmin(`Admin${i}`, arn);
      });

      const addons = installAddons(this, this.cluster, settings.systemNodes.minSize, props.kubernetesVersion === undefined);
      const system = settings.systemNodes;
      const systemLaunchTemplate = systemNodeLaunchTemplate(this, 'SystemNodesLaunchTemplate');
      this.systemNodegroup = this.cluster.addNodegroupCapacity('SystemNodes', {
        amiType: eks.NodegroupAmiType.AL2023_ARM_64_STANDARD,
        instanceTypes: system.instanceTypes.map((type) => new ec2.InstanceType(type)),
        capacityType: system.spot ? eks.CapacityType.SPOT : eks.CapacityType.ON_DEMAND,
        minSize: system.minSize,
        desiredSize: system.desiredSize,
        maxSize: system.maxSize,
        subnets: privateSubnets,
        labels: { ...SYSTEM_NODE_LABELS },
        // Only pods that tolerate CriticalAddonsOnly (Karpenter, CoreDNS, controllers) land here.
        taints: [{ key: SYSTEM_NODE_TAINT_KEY, value: 'true', effect: eks.TaintEffect.NO_SCHEDULE }],
        maxUnavailable: 1,
        // A node whose pods cannot be evicted within their disruption budgets fails the update instead of being
        // drained anyway (EKS's force update): an upgrade never takes a service below its budget.
        forceUpdate: false,
        launchTemplateSpec: { id: systemLaunchTemplate.launchTemplateId!, version: systemLaunchTemplate.latestVersionNumber },
        enableNodeAutoRepair: true,
      });
      this.systemNodegroup.node.addDependency(...addons.beforeNodes);
      addons.afterNodes.forEach((addon) => addon.node.addDependency(this.systemNodegroup));

      // The role (primary or standby) is decided before anything that differs between the two is built.
      const recovery = props.disasterRecovery && recoverySetup(props.disasterRecovery, this.clusterName, stack.region);
      if (recovery) {
        recordRecoveryTargets(stack, {
          role: recovery.role,
          rpoMinutes: props.disasterRecovery!.rpo.toMinutes({ integral: false }),
          rtoMinutes: props.disasterRecovery!.rto.toMinutes({ integral: false }),
          strategy: props.disasterRecovery!.strategy ?? RecoveryStrategy.BACKUP_AND_RESTORE,
        });
      }
      const ecrRepositoryPrefix = props.ecrRepositoryPrefix ?? this.clusterName.toLowerCase();
      const storage = new cdk8s.Chart(new cdk8s.App(), 'Storage');
      new EncryptedStorageClass(storage, 'Gp3');
      this.cluster.addCdk8sChart('Storage', storage).node.addDependency(...addons.afterNodes);

      const nodePools = [...(props.nodePools ?? [{}]), ...(props.additionalNodePools ?? [])];
      nodePools.forEach((pool, i) => {
        const name = pool.name ?? 'default';
        if (nodePools.findIndex((other) => (other.name ?? 'default') === name) !== i) {
          invalid(i < (props.nodePools ?? [{}]).length ? `nodePools[${i}].name` : `additionalNodePools[${i - (props.nodePools ?? [{}]).length}].name`, name,
            'names a NodePool already defined: the last one applied would silently replace the other', 'give every NodePool its own name');
        }
      });
      const karpenter = new Karpenter(this, 'Karpenter', {
        cluster: this.cluster,
        clusterName: this.clusterName,
        dependsOn: [this.systemNodegroup, ...addons.beforeNodes, ...addons.afterNodes],
        subnetIds: props.vpc ? props.vpc.selectSubnets(privateSubnets).subnetIds : undefined,
        nodePools: () => nodePools.map((pool) => ({
          architectures: props.nodeArchitectures,
          ...pool,
          zones: this.availabilityZones,
        })),
      });
      this.karpenterNodeRole = karpenter.nodeRole;
      this.karpenterControllerRole = karpenter.controllerRole;
      this.interruptionQueue = karpenter.interruptionQueue;

      const loadBalancing = new LoadBalancerController(this, 'LoadBalancerController', {
        cluster: this.cluster,
        clusterName: this.clusterName,
        vpc: this.vpc,
        region: stack.region,
        dependsOn: [this.systemNodegroup, ...addons.beforeNodes, ...addons.afterNodes],
      });
      this.loadBalancerControllerRole = loadBalancing.role;
      // Restores the zone spread of services after an HPA scale-down left it uneven.
      new Descheduler(this, 'Descheduler', {
        cluster: this.cluster,
        dependsOn: [this.systemNodegroup, ...addons.beforeNodes, ...addons.afterNodes],
      });

      const disasterRecovery = recovery && new DisasterRecovery(this, 'DisasterRecovery', {
        setup: recovery,
        options: props.disasterRecovery!,
        cluster: this.cluster,
        clusterName: this.clusterName,
        ebsCsiDriver: addons.ebsCsiDriver,
        ecrRepositoryPrefix,
        services: props.services ?? [],
        dependsOn: [karpenter.nodePoolManifest, ...addons.afterNodes],
      });
      this.backupVault = disasterRecovery?.backups?.vault;
      this.veleroRole = disasterRecovery?.velero.role;

      this.secretNamePrefix = props.secretNamePrefix ?? `${this.clusterName}/`;
      if (!/^[A-Za-z0-9/_+=.@-]{1,256}\/$/.test(this.secretNamePrefix)) {
        invalid('secretNamePrefix', this.secretNamePrefix, 'must be a Secrets Manager name prefix ending with "/" (so "shop/" cannot match "shop-staging/...")',
          `use "${this.clusterName}/"`);
      }
      const externalSecrets = new ExternalSecrets(this, 'ExternalSecrets', {
        cluster: this.cluster,
        region: stack.region,
        secretNamePrefix: this.secretNamePrefix,
        replicaKeyAlias: recovery?.role === 'standby' ? secretsReplicaKeyAlias(this.clusterName) : undefined,
        dependsOn: [karpenter.nodePoolManifest, ...addons.afterNodes],
      });
      this.externalSecretsRole = externalSecrets.role;
      this.secretsManagerKey = externalSecrets.key;
      if (props.serviceMesh && !props.gitOps) {
        invalid('serviceMesh', props.serviceMesh, 'needs gitOps: ArgoCD installs the Gateway API CRDs that waypoints are made of',
          'set gitOps, or remove serviceMesh');
      }
      if (props.serviceMesh) {
        new IstioAmbient(this, 'ServiceMesh', {
          cluster: this.cluster,
          mutualTls: props.serviceMesh.mutualTls ?? MutualTlsMode.STRICT,
          dependsOn: [karpenter.nodePoolManifest, ...addons.afterNodes],
        });
      }
      if (props.gitOps) {
        new GitOpsBootstrap(this, 'GitOps', {
          cluster: this.cluster,
          options: props.gitOps,
          secretNamePrefix: this.secretNamePrefix,
          secretStores: externalSecrets.stores,
          // A pilot-light standby runs the platform only: its services start when an operator syncs on failover.
          autoSync: recovery?.role !== 'standby' || recovery.plan.standbyCapacity.value !== 'minimal',
          gatewayApiCrds: props.serviceMesh !== undefined,
          dependsOn: [karpenter.nodePoolManifest, loadBalancing.chart, ...addons.afterNodes],
          metadata: {
            aws_cluster_name: this.clusterName,
            aws_region: stack.region,
            aws_vpc_id: this.vpc.vpcId,
            karpenter_node_role_name: karpenter.nodeRole.roleName,
            karpenter_interruption_queue: karpenter.interruptionQueue.queueName,
            karpenter_controller_role_arn: karpenter.controllerRole.roleArn,
            load_balancer_controller_role_arn: loadBalancing.role.roleArn,
            external_secrets_role_arn: externalSecrets.role.roleArn,
            external_secrets_secret_prefix: this.secretNamePrefix,
            secrets_manager_kms_key_arn: externalSecrets.key.keyArn,
            // Git manifests can tell the regions apart (e.g. a standby's own DNS failover role).
            ...(recovery ? {
              recovery_region_role: recovery.role,
              recovery_strategy: props.disasterRecovery!.strategy ?? RecoveryStrategy.BACKUP_AND_RESTORE,
              recovery_standby_capacity: recovery.plan.standbyCapacity.value,
            } : {}),
          },
        });
      }

      (props.services ?? []).forEach((service, i) => requireServiceName(`services[${i}]`, service));
      this.repositories = new ServiceRepositories(this, 'Repositories', {
        services: props.services ?? [],
        prefix: ecrRepositoryPrefix,
        keepReleases: props.ecrKeepReleases ?? 30,
        // A standby's repositories are the replicas ECR creates (with the RecoveryRegion's settings) on the first push.
        replicated: recovery?.role === 'standby',
      }).repositories;

      const containerInsights = props.observability?.containerInsights ?? true;
      const observability = new Observability(this, 'Observability', {
        cluster: this.cluster,
        clusterName: this.clusterName,
        containerInsights,
        logRetention: props.observability?.logRetention ?? logs.RetentionDays.ONE_MONTH,
        managedPrometheus: props.observability?.managedPrometheus ?? false,
        scraperSubnets: this.vpc.selectSubnets(privateSubnets).subnets,
        dependsOn: [karpenter.nodePoolManifest, ...addons.afterNodes],
      });
      this.prometheusWorkspace = observability.prometheusWorkspace;

      const alerting = (props.alerting?.enabled ?? true) ? new Alerting(this, 'Alerting', {
        clusterName: this.clusterName,
        emailAddresses: props.alerting?.emailAddresses ?? [],
        thresholds: props.alerting?.thresholds ?? {},
        containerInsights,
        interruptionQueue: karpenter.interruptionQueue,
        natGatewayIds: network?.natGatewayIds ?? [],
        backupVaultName: disasterRecovery?.backups?.vaultName,
        veleroBackups: disasterRecovery?.velero.backupWrites,
        applicationLogs: observability.applicationLogs,
      }) : undefined;
      this.alarmTopic = alerting?.topic;
      // The standby's External Secrets reads the primary's secrets from their replicas in its region.
      const secretReplication = recovery?.role === 'primary' ? new SecretReplication(this, 'SecretReplication', {
        clusterName: this.clusterName,
        secretNamePrefix: this.secretNamePrefix,
        sourceKey: externalSecrets.key,
        replicaRegion: recovery.secondaryRegion,
        replicaKeyAlias: secretsReplicaKeyAlias(this.clusterName),
        interval: secretReplicationInterval(recovery.plan),
        alarmTopic: alerting?.topic,
        logRetention: props.observability?.logRetention ?? logs.RetentionDays.ONE_MONTH,
      }) : undefined;
      this.alarms = { ...alerting?.alarms, ...(secretReplication?.alarm ? { SecretReplicationFailures: secretReplication.alarm } : {}) };
      // With a workspace, Velero's own metrics page too (failures and a stale last success), beside the log and S3 alarms.
      if (this.prometheusWorkspace && alerting && recovery?.role === 'primary') {
        new PrometheusAlerts(this, 'PrometheusAlerts', {
          clusterName: this.clusterName,
          workspace: this.prometheusWorkspace,
          topic: alerting.topic,
          topicKey: alerting.key,
          veleroSchedule: { name: disasterRecovery!.velero.servicesScheduleName, intervalMinutes: recovery.plan.backupIntervalMinutes.value },
        });
      }

      const drills = (props.faultInjection?.enabled ?? true) ? new Drills(this, 'Drills', {
        clusterName: this.clusterName,
        availabilityZones: this.availabilityZones,
        systemNodegroup: this.systemNodegroup,
        nodePoolName: nodePools[0].name ?? 'default',
        maxLoadBalancer5xxPerMinute: props.faultInjection?.maxLoadBalancer5xxPerMinute ?? 50,
        stopConditionAlarmArns: props.faultInjection?.stopConditionAlarmArns ?? [],
        vpcId: this.vpc.vpcId,
      }) : undefined;
      // The drills' stop alarms are the plan's application health: its executions show them, and the region drill stops on them.
      if (drills && disasterRecovery?.regionSwitch) {
        disasterRecovery.regionSwitch.addApplicationHealthAlarm('alb-5xx', drills.stopAlarm.alarmArn);
        (props.faultInjection?.stopConditionAlarmArns ?? []).forEach((arn, i) => disasterRecovery.regionSwitch!.addApplicationHealthAlarm(`stop-condition-${i}`, arn));
      }
      this.runbookFacts = {
        clusterName: this.clusterName,
        region: stack.region,
        availabilityZones: this.availabilityZones,
        drillNames: Object.keys(drills?.templates ?? {}).map((name) => `${this.clusterName}-${name}`),
        recovery: recovery && {
          ...recovery,
          strategy: props.disasterRecovery!.strategy ?? RecoveryStrategy.BACKUP_AND_RESTORE,
          dnsZoneName: props.disasterRecovery!.dnsFailover?.zoneName,
          dnsZoneId: props.disasterRecovery!.dnsFailover?.hostedZoneId,
          veleroSchedule: disasterRecovery!.velero.servicesScheduleName,
          regionSwitch: disasterRecovery!.regionSwitchFacts,
        },
      };

      acknowledgeAwsManagedParts(this.cluster, this.systemNodegroup);
      if (apiEndpoint.isPublic) {
        acknowledgeNag(this.cluster, [{
          id: 'AwsSolutions-EKS1',
          reason: apiEndpoint.publicCidrs
            ? `The public API endpoint admits only publicEndpointCidrs (${apiEndpoint.publicCidrs.join(', ')}), and every call is authenticated with IAM through access entries.`
            : 'acceptPublicEndpointFromAnywhere: the public API endpoint admits any address, and every call is authenticated with IAM through access entries.',
        }]);
      }
    } catch (error) {
      if (error instanceof PropValidationError) {
        throw new Error(`ResilientEksPlatform at '${this.node.path}': ${error.message}`);
      }
      throw error;
    }
  }

  /**
   * Runbooks for this platform, filled with its real names: AZ evacuation
   * with zonal shift, and with disaster recovery also failover, failback,
   * restore from AWS Backup and restore with Velero. Write them next to the
   * code (e.g. docs/runbooks) from the CDK app so they change with it.
   */
  public runbooks(): Runbook[] {
    return renderRunbooks(this.runbookFacts);
  }
}
