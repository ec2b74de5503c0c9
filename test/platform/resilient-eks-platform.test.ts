import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IdentityType, KubernetesVersion } from 'aws-cdk-lib/aws-eks-v2';
import { PlatformProfile, ResilientEksPlatform } from '../../src';
import { INTERRUPTION_EVENTS } from '../../src/platform/private/karpenter';
import { DEPLOY_TIME_VALUE } from '../../src/report/private/inputs';
import { DESCHEDULER_CHART_VERSION, EKS_ADDON_VERSIONS, KARPENTER_CHART_VERSION, LOAD_BALANCER_CONTROLLER_CHART_VERSION } from '../../src/versions';
import { helmChart, onlyResource, parseJoined, synthPlatform, unacknowledgedNagFindings } from '../helpers/platform';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

describe('ResilientEksPlatform, high-availability profile (default)', () => {
  const { stack, template, platform } = synthPlatform({
    services: ['frontend', 'cart'],
    adminPrincipalArns: ['arn:aws:iam::111122223333:role/platform-admin'],
  });

  describe('network', () => {
    test('a private and a public subnet in each of the three named zones, without lookup', () => {
      expect(platform.availabilityZones).toEqual(ZONES);
      for (const zone of ZONES) {
        template.resourcePropertiesCountIs('AWS::EC2::Subnet', { AvailabilityZone: zone }, 2);
      }
      template.resourceCountIs('AWS::EC2::Subnet', 6);
      expect((stack.node.root as App).synth().manifest.missing ?? []).toEqual([]);
    });

    test('one NAT gateway per zone', () => {
      template.resourceCountIs('AWS::EC2::NatGateway', 3);
    });

    test('subnet tags for the load balancer controller and Karpenter discovery', () => {
      template.resourcePropertiesCountIs('AWS::EC2::Subnet', { Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/elb', Value: '1' }]) }, 3);
      template.resourcePropertiesCountIs('AWS::EC2::Subnet', {
        Tags: Match.arrayWith([{ Key: 'karpenter.sh/discovery', Value: 'shop' }, { Key: 'kubernetes.io/role/internal-elb', Value: '1' }]),
      }, 3);
    });

    test('flow logs for all traffic, an S3 gateway endpoint and interface endpoints for the APIs the platform calls', () => {
      template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
      template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' }, 1);
      template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', PrivateDnsEnabled: true }, 10);
      for (const service of ['ecr.api', 'ecr.dkr', 'sts', 'eks-auth', 'eks', 'ec2', 'ssm', 'sqs', 'elasticloadbalancing', 'logs']) {
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: `com.amazonaws.eu-west-1.${service}` });
      }
    });
  });

  describe('cluster', () => {
    const cluster = onlyResource(template, 'AWS::EKS::Cluster').Properties;

    test('Kubernetes 1.36, API authentication, no Auto Mode, no bootstrap add-ons', () => {
      expect(cluster).toMatchObject({
        Name: 'shop',
        Version: '1.36',
        AccessConfig: { AuthenticationMode: 'API' },
        ComputeConfig: { Enabled: false },
        BootstrapSelfManagedAddons: false,
        ZonalShiftConfig: { Enabled: true },
      });
    });

    test('secrets encrypted with a rotating customer key, every control-plane log on, the API private to the VPC', () => {
      expect(cluster.EncryptionConfig).toEqual([{ Provider: { KeyArn: { 'Fn::GetAtt': [expect.stringMatching(/^PlatformSecretsKey/), 'Arn'] } }, Resources: ['secrets'] }]);
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'Envelope encryption of Kubernetes secrets in shop' });
      expect(cluster.Logging.ClusterLogging.EnabledTypes.map((t: any) => t.Type)).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
      expect(cluster.ResourcesVpcConfig).toMatchObject({ EndpointPrivateAccess: true, EndpointPublicAccess: false });
    });

    test('with a private API, CDK\'s kubectl handler runs in the private subnets, so a deployment needs no route to the cluster', () => {
      const handler = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => /ClusterKubectlProviderHandler/.test(id))![1];
      expect(handler.Properties.VpcConfig.SubnetIds).toHaveLength(3);
    });

    test('admin principals get cluster-admin access entries', () => {
      template.hasResourceProperties('AWS::EKS::AccessEntry', {
        PrincipalArn: 'arn:aws:iam::111122223333:role/platform-admin',
        AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: Match.anyValue() }],
      });
    });

    test('a tainted Graviton system node group, one node per zone, auto repair on', () => {
      expect(onlyResource(template, 'AWS::EKS::Nodegroup').Properties).toMatchObject({
        AmiType: 'AL2023_ARM_64_STANDARD',
        CapacityType: 'ON_DEMAND',
        InstanceTypes: ['m7g.large', 'm6g.large', 'c7g.xlarge'],
        ScalingConfig: { MinSize: 3, DesiredSize: 3, MaxSize: 6 },
        Taints: [{ Key: 'CriticalAddonsOnly', Value: 'true', Effect: 'NO_SCHEDULE' }],
        NodeRepairConfig: { Enabled: true },
        UpdateConfig: { MaxUnavailable: 1 },
      });
      expect(onlyResource(template, 'AWS::EKS::Nodegroup').Properties.Subnets).toHaveLength(3);
    });

    test('system nodes: updates respect disruption budgets (no force update), IMDSv2 only with hop limit 1, encrypted root volume', () => {
      const nodegroup = onlyResource(template, 'AWS::EKS::Nodegroup').Properties;
      expect(nodegroup.ForceUpdateEnabled).toBe(false);
      const [launchTemplateId, launchTemplate] = Object.entries(template.findResources('AWS::EC2::LaunchTemplate'))
        .find(([id]) => JSON.stringify(nodegroup.LaunchTemplate).includes(id))!;
      expect(nodegroup.LaunchTemplate).toEqual({ Id: { Ref: launchTemplateId }, Version: { 'Fn::GetAtt': [launchTemplateId, 'LatestVersionNumber'] } });
      const data = (launchTemplate as any).Properties.LaunchTemplateData;
      expect(data.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
      expect(data.BlockDeviceMappings).toEqual([{ DeviceName: '/dev/xvda', Ebs: expect.objectContaining({ Encrypted: true, VolumeType: 'gp3' }) }]);
      // EKS refuses a node group whose launch template sets what it manages itself.
      for (const managed of ['ImageId', 'InstanceType', 'IamInstanceProfile', 'NetworkInterfaces']) {
        expect(data[managed]).toBeUndefined();
      }
    });

    test('Karpenter, on system nodes that answer no pod\'s IMDS call, is given its region', () => {
      expect(helmChart(template, 'karpenter').values.controller.env).toEqual([{ name: 'AWS_REGION', value: 'eu-west-1' }]);
    });
  });

  describe('add-ons', () => {
    test.each(Object.entries(EKS_ADDON_VERSIONS))('%s is a managed add-on pinned at %s', (name, version) => {
      template.hasResourceProperties('AWS::EKS::Addon', { AddonName: name, AddonVersion: version, ResolveConflicts: 'OVERWRITE' });
    });

    test('vpc-cni enforces network policies', () => {
      expect(JSON.parse(onlyResource(template, 'AWS::EKS::Addon', { AddonName: 'vpc-cni' }).Properties.ConfigurationValues))
        .toEqual({ enableNetworkPolicy: 'true' });
    });

    test('CoreDNS: a replica per system node, spread over zones, with a PDB', () => {
      expect(JSON.parse(onlyResource(template, 'AWS::EKS::Addon', { AddonName: 'coredns' }).Properties.ConfigurationValues)).toMatchObject({
        replicaCount: 3,
        podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
        topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 }],
      });
    });

    test('networking comes before the nodes, pods after them', () => {
      const nodegroup = Object.entries(template.findResources('AWS::EKS::Nodegroup'))[0];
      const addons = template.findResources('AWS::EKS::Addon');
      const logicalId = (name: string) => Object.entries(addons).find(([, r]) => r.Properties.AddonName === name)![0];
      expect(nodegroup[1].DependsOn).toEqual(expect.arrayContaining(['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'].map(logicalId)));
      for (const name of ['coredns', 'aws-ebs-csi-driver', 'metrics-server', 'snapshot-controller', 'eks-node-monitoring-agent']) {
        expect(addons[logicalId(name)].DependsOn).toContain(nodegroup[0]);
      }
    });

    test('the EBS CSI driver gets its own Pod Identity role, and volumes default to encrypted gp3', () => {
      expect(onlyResource(template, 'AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver' }).Properties.PodIdentityAssociations)
        .toEqual([{ RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/EbsCsiDriverRole/), 'Arn'] }, ServiceAccount: 'ebs-csi-controller-sa' }]);
      const storage = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
        .map((r: any) => parseJoined(r.Properties.Manifest)).find((m: any[]) => m[0].kind === 'StorageClass');
      expect(storage[0]).toMatchObject({
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true' },
        metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        volumeBindingMode: 'WaitForFirstConsumer',
      });
    });
  });

  describe('Karpenter', () => {
    test('node role with the four managed policies and an EC2_LINUX access entry', () => {
      const role = Object.values(template.findResources('AWS::IAM::Role')).find((r: any) =>
        JSON.stringify(r.Properties.ManagedPolicyArns ?? []).includes('AmazonSSMManagedInstanceCore')) as any;
      const policies = JSON.stringify(role.Properties.ManagedPolicyArns);
      for (const name of ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore']) {
        expect(policies).toContain(`:iam::aws:policy/${name}"`);
      }
      template.hasResourceProperties('AWS::EKS::AccessEntry', { Type: 'EC2_LINUX', AccessPolicies: [] });
    });

    test('interruption queue: 300 s retention, SSE, TLS only', () => {
      expect(onlyResource(template, 'AWS::SQS::Queue').Properties).toEqual({ MessageRetentionPeriod: 300, SqsManagedSseEnabled: true });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    });

    test('the five EventBridge rules with their exact detail-types, all to the queue', () => {
      expect(INTERRUPTION_EVENTS.map((e) => e.detailType)).toEqual([
        'AWS Health Event', 'EC2 Spot Instance Interruption Warning', 'EC2 Instance Rebalance Recommendation',
        'EC2 Instance State-change Notification', 'EC2 Capacity Reservation Instance Interruption Warning',
      ]);
      template.resourceCountIs('AWS::Events::Rule', 5);
      for (const event of INTERRUPTION_EVENTS) {
        template.hasResourceProperties('AWS::Events::Rule', {
          EventPattern: { 'source': [event.source], 'detail-type': [event.detailType] },
          Targets: [{ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('InterruptionQueue'), 'Arn'] }, Id: 'Target0' }],
        });
      }
    });

    test('controller permissions are scoped by the cluster tag and reach it through Pod Identity', () => {
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'karpenter' });
      const documents = JSON.stringify(Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((r: any) => r.Properties.PolicyDocument));
      for (const sid of ['AllowScopedEC2InstanceAccessActions', 'AllowScopedEC2LaunchTemplateAccessActions', 'AllowScopedEC2InstanceActionsWithTags',
        'AllowScopedResourceCreationTagging', 'AllowScopedResourceTagging', 'AllowScopedDeletion', 'AllowPassingInstanceRole',
        'AllowScopedInstanceProfileCreationActions', 'AllowScopedInstanceProfileTagActions', 'AllowScopedInstanceProfileActions',
        'AllowInstanceProfileReadActions', 'AllowUnscopedInstanceProfileListAction', 'AllowAPIServerEndpointDiscovery',
        'AllowZonalShiftStatusReadOnly', 'AllowInterruptionQueueActions', 'AllowRegionalReadActions', 'AllowSSMReadActions', 'AllowPricingReadActions']) {
        expect(documents).toContain(`"Sid":"${sid}"`);
      }
      expect(documents).toContain('"aws:ResourceTag/kubernetes.io/cluster/shop":"owned"');
      expect(documents).toContain('"aws:RequestTag/eks:eks-cluster-name":"shop"');
    });

    test('pinned CRD and controller charts: two replicas, cluster name and interruption queue set', () => {
      const crds = helmChart(template, 'karpenter-crd').properties;
      expect(crds).toMatchObject({ Version: KARPENTER_CHART_VERSION, Repository: 'oci://public.ecr.aws/karpenter/karpenter-crd', Namespace: 'kube-system' });
      const controller = helmChart(template, 'karpenter');
      expect(controller.properties).toMatchObject({ Version: KARPENTER_CHART_VERSION, SkipCrds: true, Wait: true, Namespace: 'kube-system' });
      expect(controller.values).toMatchObject({
        replicas: 2, settings: { clusterName: 'shop', interruptionQueue: DEPLOY_TIME_VALUE, enableZonalShift: true }, serviceAccount: { name: 'karpenter' },
      });
    });

    test('the default EC2NodeClass and NodePool are applied after the CRDs', () => {
      const capacity = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
        .find(([, r]: [string, any]) => JSON.stringify(r.Properties.Manifest).includes('NodePool'))!;
      const manifest = parseJoined(capacity[1].Properties.Manifest);
      expect(manifest.map((m: any) => m.kind)).toEqual(['EC2NodeClass', 'NodePool']);
      expect(manifest[1].spec.template.spec.requirements).toContainEqual({ key: 'topology.kubernetes.io/zone', operator: 'In', values: ZONES });
      expect(manifest[0].spec.securityGroupSelectorTerms).toEqual([{ id: DEPLOY_TIME_VALUE }]);
      expect(manifest[0].spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'shop' } }]);
      const crdChart = Object.keys(template.findResources('Custom::AWSCDK-EKS-HelmChart', { Properties: { Chart: 'karpenter-crd' } }))[0];
      expect(capacity[1].DependsOn).toContain(crdChart);
    });
  });

  describe('ECR', () => {
    test('one repository per service: scanned, immutable, KMS, lifecycle, retained, pullable by nodes', () => {
      for (const service of ['frontend', 'cart']) {
        const repository = onlyResource(template, 'AWS::ECR::Repository', { RepositoryName: `shop/${service}` });
        expect(repository).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
        expect(repository.Properties).toMatchObject({
          ImageScanningConfiguration: { ScanOnPush: true }, ImageTagMutability: 'IMMUTABLE', EncryptionConfiguration: { EncryptionType: 'KMS' },
        });
        const rules = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
        expect(rules.map((r: any) => r.selection)).toEqual([
          { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 1, countUnit: 'days' },
          { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
        ]);
      }
      expect(Object.keys(platform.repositories)).toEqual(['frontend', 'cart']);
      // Both node roles pull through their AWS managed ECR policies, which cover every repository.
      const roles = JSON.stringify(template.findResources('AWS::IAM::Role'));
      expect(roles).toContain(':iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"');
      expect(roles).toContain(':iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"');
    });
  });

  describe('load balancing', () => {
    test('the AWS Load Balancer Controller: pinned, Pod Identity, two spread replicas with a PDB, IP targets', () => {
      const chart = helmChart(template, 'aws-load-balancer-controller');
      expect(chart.properties).toMatchObject({ Version: LOAD_BALANCER_CONTROLLER_CHART_VERSION, Repository: 'https://aws.github.io/eks-charts', Wait: true });
      expect(chart.values).toMatchObject({
        clusterName: 'shop',
        region: 'eu-west-1',
        vpcId: DEPLOY_TIME_VALUE,
        replicaCount: 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        defaultTargetType: 'ip',
        enableServiceMutatorWebhook: false,
        serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
        topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone' }],
      });
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'aws-load-balancer-controller' });
    });
  });

  describe('rebalancing', () => {
    test('the descheduler: pinned, two leader-elected replicas on the system nodes, only the hard topology spread plugin', () => {
      const chart = helmChart(template, 'descheduler');
      expect(chart.properties).toMatchObject({
        Version: DESCHEDULER_CHART_VERSION, Repository: 'https://kubernetes-sigs.github.io/descheduler/', Namespace: 'kube-system', Release: 'descheduler', Wait: true,
      });
      expect(DESCHEDULER_CHART_VERSION).toBe('0.36.0');
      expect(chart.values).toEqual({
        kind: 'Deployment',
        replicas: 2,
        leaderElection: { enabled: true },
        deschedulingInterval: '5m',
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        nodeSelector: { 'resilient-eks/node-role': 'system' },
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        topologySpreadConstraints: [{
          maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'descheduler' } },
        }],
        deschedulerPolicy: {
          profiles: [{
            name: 'zone-spread',
            pluginConfig: [
              { name: 'DefaultEvictor', args: { podProtections: { defaultDisabled: ['PodsWithLocalStorage'], extraEnabled: ['PodsWithPVC'] } } },
              { name: 'RemovePodsViolatingTopologySpreadConstraint', args: { constraints: ['DoNotSchedule'], topologyBalanceNodeFit: true } },
            ],
            plugins: { balance: { enabled: ['RemovePodsViolatingTopologySpreadConstraint'] } },
          }],
        },
      });
    });

    test('the descheduler lands where its nodes are: the system node group carries the label it selects', () => {
      expect(onlyResource(template, 'AWS::EKS::Nodegroup').Properties.Labels).toEqual({ 'resilient-eks/node-role': 'system' });
      const nodegroup = Object.entries(template.findResources('AWS::EKS::Nodegroup'))[0][0];
      expect(onlyResource(template, 'Custom::AWSCDK-EKS-HelmChart', { Chart: 'descheduler' }).DependsOn).toContain(nodegroup);
    });
  });

  test('cdk-nag AwsSolutions: zero unacknowledged findings, every acknowledgement with a reason', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

describe('ResilientEksPlatform, cost-optimised profile', () => {
  const { stack, template } = synthPlatform({ profile: PlatformProfile.COST_OPTIMIZED, acceptSingleNatGateway: true });

  test('one NAT gateway, no interface endpoints, two spot Graviton system nodes', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 0);
    expect(onlyResource(template, 'AWS::EKS::Nodegroup').Properties).toMatchObject({
      CapacityType: 'SPOT',
      ScalingConfig: { MinSize: 2, DesiredSize: 2, MaxSize: 4 },
    });
    expect(onlyResource(template, 'AWS::EKS::Nodegroup').Properties.InstanceTypes.length).toBeGreaterThanOrEqual(3);
  });

  test('still two zones or more and two replicas of CoreDNS and Karpenter', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    expect(JSON.parse(onlyResource(template, 'AWS::EKS::Addon', { AddonName: 'coredns' }).Properties.ConfigurationValues).replicaCount).toBe(2);
    expect(helmChart(template, 'karpenter').values.replicas).toBe(2);
  });

  test('cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

describe('ResilientEksPlatform options', () => {
  test('a public endpoint open to all only when accepted in so many words, acknowledged with that reason', () => {
    const { stack, template } = synthPlatform({ acceptPublicEndpointFromAnywhere: true });
    expect(onlyResource(template, 'AWS::EKS::Cluster').Properties.ResourcesVpcConfig).toMatchObject({ EndpointPrivateAccess: true, EndpointPublicAccess: true });
    expect(onlyResource(template, 'AWS::EKS::Cluster').Properties.ResourcesVpcConfig.PublicAccessCidrs).toBeUndefined();
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
    expect(JSON.stringify(stack.node.findAll().flatMap((c) => c.node.metadata.map((m) => m.data)))).toContain('acceptPublicEndpointFromAnywhere: the public API endpoint admits any address');
  });

  test('the private default needs no EKS1 acknowledgement', () => {
    const { stack } = synthPlatform({});
    expect(JSON.stringify(stack.node.findAll().flatMap((c) => c.node.metadata.map((m) => m.data)))).not.toContain('AwsSolutions-EKS1');
  });

  test('bring your own VPC: no VPC created, Karpenter finds subnets by ID', () => {
    const app = new App({ context: { 'aws:cdk:disable-asset-staging': true } });
    const stack = new Stack(app, 'Byo', { env: { region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Existing', { availabilityZones: ZONES, natGateways: 1 });
    Validations.of(vpc).acknowledge({ id: 'CloudFormation-Validate::W3010', reason: 'test VPC in named zones' });
    new ResilientEksPlatform(stack, 'Platform', { clusterName: 'byo', vpc, availabilityZones: ZONES });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    const manifest = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
      .map((r: any) => parseJoined(r.Properties.Manifest)).find((m: any[]) => m[0].kind === 'EC2NodeClass');
    expect(manifest[0].spec.subnetSelectorTerms).toEqual([{ id: DEPLOY_TIME_VALUE }, { id: DEPLOY_TIME_VALUE }, { id: DEPLOY_TIME_VALUE }]);
  });

  test('custom and additional NodePools', () => {
    const { template } = synthPlatform({ nodePools: [{ name: 'general', cpuLimit: 50 }], additionalNodePools: [{ name: 'batch', weight: 10 }] });
    const capacity = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
      .map((r: any) => parseJoined(r.Properties.Manifest)).find((m: any[]) => m[0].kind === 'EC2NodeClass');
    expect(capacity.slice(1).map((m: any) => [m.metadata.name, m.spec.limits?.cpu, m.spec.weight])).toEqual([['general', '50', undefined], ['batch', '200', 10]]);
  });

  test('synthesis is deterministic', () => {
    const once = () => JSON.stringify(synthPlatform().template.toJSON());
    expect(once()).toEqual(once());
  });
});

describe('ResilientEksPlatform rejects invalid props at synth', () => {
  const attempt = (props: any, env: any = { region: 'eu-west-1' }, context: any = {}) => () => {
    const app = new App({ context });
    new ResilientEksPlatform(new Stack(app, 'S', { env }), 'Platform', { clusterName: 'shop', ...props });
  };
  test.each([
    ['cost profile without accepting the single NAT', { profile: PlatformProfile.COST_OPTIMIZED },
      /acceptSingleNatGateway = undefined is invalid: must be true with PlatformProfile\.COST_OPTIMIZED.*Fix: set acceptSingleNatGateway: true/],
    ['a cluster name with spaces', { clusterName: 'my shop' }, /clusterName = "my shop" is invalid/],
    ['a zone of another region', { availabilityZones: ['us-east-1a', 'us-east-1b'] }, /availabilityZones\[0\] = "us-east-1a" is invalid: must be an Availability Zone of the stack's region \(eu-west-1\)/],
    ['one zone', { availabilityZones: ['eu-west-1a'] }, /availabilityZones = \["eu-west-1a"\] is invalid: must give at least 2 zones/],
    ['zone count 1', { zoneCount: 1 }, /zoneCount = 1 is invalid: must give at least 2 zones/],
    ['a duplicated zone', { availabilityZones: ['eu-west-1a', 'eu-west-1a'] }, /availabilityZones = .* is invalid: lists a zone twice/],
    ['a version without its layer', { kubernetesVersion: KubernetesVersion.V1_35 },
      /kubectlLayer = undefined is invalid: kubernetesVersion and kubectlLayer go together/],
    ['an admin that is not an IAM ARN', { adminPrincipalArns: ['admin'] }, /adminPrincipalArns\[0\] = "admin" is invalid: must be an IAM role or user ARN/],
    ['a VPC CIDR too small', { vpcCidr: '10.0.0.0/24' }, /vpcCidr = "10\.0\.0\.0\/24" is invalid: must be an IPv4 block from \/16 to \/19/],
    ['a /20 VPC (public subnets under /27)', { vpcCidr: '10.0.0.0/20' }, /vpcCidr = "10\.0\.0\.0\/20" is invalid/],
    ['a fractional zone count', { zoneCount: 2.5 }, /zoneCount = 2\.5 is invalid: must be a whole number of zones/],
    ['two NodePools with one name', { additionalNodePools: [{}] }, /additionalNodePools\[0\]\.name = "default" is invalid: names a NodePool already defined/],
    ['public CIDRs and the open-to-all acceptance', { acceptPublicEndpointFromAnywhere: true, publicEndpointCidrs: ['203.0.113.0/24'] },
      /acceptPublicEndpointFromAnywhere = true is invalid: has no effect with publicEndpointCidrs/],
    ['a public endpoint open to the internet', { publicEndpointCidrs: ['0.0.0.0/0'] },
      /publicEndpointCidrs\[0\] = "0\.0\.0\.0\/0" is invalid: admits every address.*Fix: list narrower ranges, or set acceptPublicEndpointFromAnywhere: true/],
    ['an IPv6 range open to all', { publicEndpointCidrs: ['203.0.113.0/24', '::/0'] }, /publicEndpointCidrs\[1\] = "::\/0" is invalid: admits every address/],
    ['an empty list of public ranges', { publicEndpointCidrs: [] }, /publicEndpointCidrs = \[\] is invalid: must list at least one CIDR/],
    ['a bad public CIDR', { publicEndpointCidrs: ['office'] }, /publicEndpointCidrs\[0\] = "office" is invalid: must be a CIDR block/],
    ['a service name ECR rejects', { services: ['Cart'] }, /services\[0\] = "Cart" is invalid/],
    ['ECR keeping no release', { ecrKeepReleases: 0 }, /ecrKeepReleases = 0 is invalid/],
  ])('%s', (_, props, message) => {
    expect(attempt(props)).toThrow(message);
  });

  test('no region and no zones: says how to fix', () => {
    expect(attempt({}, {})).toThrow(/availabilityZones = undefined is invalid: cannot be defaulted: the stack has no concrete region.*Fix: pass availabilityZones/);
  });

  test('a concrete account without the AZ context would make cdk synth call AWS: refused with the exact context entry', () => {
    expect(attempt({}, { account: '111122223333', region: 'eu-west-1' }))
      .toThrow(/context\["availability-zones:account=111122223333:region=eu-west-1"\] = undefined is invalid: .*Fix: add "availability-zones:account=111122223333:region=eu-west-1": \["eu-west-1a","eu-west-1b","eu-west-1c"\]/);
    expect(attempt({}, { account: '111122223333', region: 'eu-west-1' }, { 'availability-zones:account=111122223333:region=eu-west-1': ZONES }))
      .not.toThrow();
  });
});

describe('ResilientEksPlatform review fixes', () => {
  test('one Pod Identity agent add-on, pinned, even when a Pod Identity service account is added later', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:disable-asset-staging': true } }), 'Sa', { env: { region: 'eu-west-1' } });
    const platform = new ResilientEksPlatform(stack, 'Platform', { clusterName: 'shop' });
    platform.cluster.addServiceAccount('App', { name: 'app', identityType: IdentityType.POD_IDENTITY });
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' }, 1);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent', AddonVersion: EKS_ADDON_VERSIONS['eks-pod-identity-agent'] });
  });

  const { template } = synthPlatform();
  const logicalIdOf = (type: string, match: (r: any) => boolean) => Object.entries(template.findResources(type)).find(([, r]) => match(r))![0];

  test('the NodePools are applied after the Karpenter controller and its node access entry, so delete runs in reverse', () => {
    const capacity = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
      .find((r: any) => JSON.stringify(r.Properties.Manifest).includes('NodePool')) as any;
    expect(capacity.DependsOn).toEqual(expect.arrayContaining([
      logicalIdOf('Custom::AWSCDK-EKS-HelmChart', (r) => r.Properties.Chart === 'karpenter'),
      logicalIdOf('AWS::EKS::AccessEntry', (r) => r.Properties.Type === 'EC2_LINUX'),
    ]));
  });

  test('the controller charts wait for CoreDNS', () => {
    const coreDns = logicalIdOf('AWS::EKS::Addon', (r) => r.Properties.AddonName === 'coredns');
    for (const chart of ['karpenter', 'aws-load-balancer-controller']) {
      expect(onlyResource(template, 'Custom::AWSCDK-EKS-HelmChart', { Chart: chart }).DependsOn).toContain(coreDns);
    }
  });

  test('Karpenter may create the EC2 Spot service-linked role, and nothing else', () => {
    const documents = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((r: any) => r.Properties.PolicyDocument.Statement);
    expect(documents.find((s: any) => s.Sid === 'AllowSpotServiceLinkedRoleCreation')).toMatchObject({
      Action: 'iam:CreateServiceLinkedRole',
      Condition: { StringEquals: { 'iam:AWSServiceName': 'spot.amazonaws.com' } },
    });
    expect(documents.find((s: any) => s.Sid === 'AllowScopedDeletion')).toMatchObject({
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Condition: { StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/shop': 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    });
    expect(documents.find((s: any) => s.Sid === 'AllowRegionalReadActions')).toMatchObject({ Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } } });
  });

  test('the Load Balancer Controller policy creates and deletes only what carries its cluster tag', () => {
    const statements: any[] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .map((r: any) => r.Properties.PolicyDocument.Statement).find((s: any[]) => JSON.stringify(s).includes('elasticloadbalancing:CreateLoadBalancer'))!;
    expect(statements).toHaveLength(16);
    const byAction = (action: string) => statements.filter((s) => [s.Action].flat().includes(action));
    expect(byAction('elasticloadbalancing:CreateLoadBalancer')[0].Condition).toEqual({ Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } });
    expect(byAction('elasticloadbalancing:DeleteLoadBalancer')[0].Condition).toEqual({ Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } });
    expect(byAction('ec2:DeleteSecurityGroup')[0].Condition).toEqual({ Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } });
    expect(byAction('iam:CreateServiceLinkedRole')[0].Condition).toEqual({ StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } });
  });

  test('the public endpoint can be limited to given ranges', () => {
    const limited = synthPlatform({ publicEndpointCidrs: ['203.0.113.0/24'] });
    expect(onlyResource(limited.template, 'AWS::EKS::Cluster').Properties.ResourcesVpcConfig)
      .toMatchObject({ EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] });
    expect(unacknowledgedNagFindings(limited.stack)).toEqual([]);
  });

  test('four zones get eighth-size private subnets and still fit their public ones', () => {
    const app = new App({ context: { 'aws:cdk:disable-asset-staging': true } });
    const stack = new Stack(app, 'Four', { env: { region: 'eu-west-1' } });
    new ResilientEksPlatform(stack, 'Platform', { clusterName: 'four', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d'] });
    const subnets = Object.values(Template.fromStack(stack).findResources('AWS::EC2::Subnet')).map((r: any) => r.Properties.CidrBlock);
    expect(subnets.filter((cidr: string) => cidr.endsWith('/19'))).toHaveLength(4);
    expect(subnets.filter((cidr: string) => cidr.endsWith('/24'))).toHaveLength(4);
  });

  test('a bring-your-own VPC refuses the settings of a created one', () => {
    const app = new App();
    const stack = new Stack(app, 'Byo', { env: { region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Existing', { availabilityZones: ZONES, natGateways: 1 });
    expect(() => new ResilientEksPlatform(stack, 'Platform', { clusterName: 'byo', vpc, vpcCidr: '10.1.0.0/16' }))
      .toThrow(/vpcCidr = "10\.1\.0\.0\/16" is invalid: only applies to the VPC the platform creates, and a VPC was given/);
  });
});

test('another Kubernetes version leaves add-on versions to EKS, which only offers compatible ones', () => {
  const app = new App({ context: { 'aws:cdk:disable-asset-staging': true } });
  const stack = new Stack(app, 'V135', { env: { region: 'eu-west-1' } });
  new ResilientEksPlatform(stack, 'Platform', {
    clusterName: 'v135', kubernetesVersion: KubernetesVersion.V1_35, kubectlLayer: new KubectlV36Layer(stack, 'Layer'),
  });
  const addons = Object.values(Template.fromStack(stack).findResources('AWS::EKS::Addon'));
  // The eight pinned ones and the CloudWatch Observability add-on.
  expect(addons.length).toBe(9);
  expect(addons.every((a: any) => a.Properties.AddonVersion === undefined)).toBe(true);
});
