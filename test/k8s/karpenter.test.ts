import { Chart, Duration, Size, Testing } from 'cdk8s';
import { CapacityType, CpuArchitecture, DisruptionReason, Ec2NodeClass, EncryptedStorageClass, NodePool, NodePoolProps } from '../../src';
import { KARPENTER_AMI_ALIAS } from '../../src/versions';
import { Manifest, validateManifests } from '../helpers/schema';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

function synth(build: (chart: Chart) => void): Manifest[] {
  const chart = new Chart(Testing.app(), 'capacity');
  build(chart);
  const manifests = Testing.synth(chart) as Manifest[];
  validateManifests(manifests);
  return manifests;
}

describe('Ec2NodeClass', () => {
  test('pinned AL2023 alias, IMDSv2 with hop limit 1, encrypted gp3 root volume, discovery by tag', () => {
    const [nodeClass] = synth((chart) => new Ec2NodeClass(chart, 'NodeClass', { nodeRoleName: 'shop-karpenter-node', discoveryTagValue: 'shop' }));
    expect(nodeClass).toEqual({
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: 'default' },
      spec: {
        role: 'shop-karpenter-node',
        amiSelectorTerms: [{ alias: KARPENTER_AMI_ALIAS }],
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'shop' } }],
        securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'shop' } }],
        metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
        blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: '50Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } }],
      },
    });
    expect(KARPENTER_AMI_ALIAS).toMatch(/^al2023@v\d{8}$/);
  });

  test('subnets and security groups by ID, KMS key, size and tags', () => {
    const [nodeClass] = synth((chart) => new Ec2NodeClass(chart, 'NodeClass', {
      name: 'byo',
      nodeRoleName: 'r',
      subnetIds: ['subnet-1', 'subnet-2'],
      securityGroupIds: ['sg-1'],
      rootVolumeSize: Size.gibibytes(100),
      rootVolumeKmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abc',
      tags: { team: 'shop' },
    }));
    expect(nodeClass.spec.subnetSelectorTerms).toEqual([{ id: 'subnet-1' }, { id: 'subnet-2' }]);
    expect(nodeClass.spec.securityGroupSelectorTerms).toEqual([{ id: 'sg-1' }]);
    expect(nodeClass.spec.blockDeviceMappings[0].ebs).toMatchObject({ volumeSize: '100Gi', kmsKeyID: 'arn:aws:kms:eu-west-1:111122223333:key/abc' });
    expect(nodeClass.spec.tags).toEqual({ team: 'shop' });
  });

  test.each([
    [{ amiAlias: 'al2023@latest' }, /amiAlias = "al2023@latest" is invalid: must be a pinned AL2023 alias/],
    [{ amiAlias: 'bottlerocket@v1.20.0' }, /amiAlias = .* is invalid/],
    [{ discoveryTagValue: undefined }, /subnetIds = undefined is invalid: must list at least one ID when no discoveryTagValue is given/],
    [{ rootVolumeSize: Size.gibibytes(10) }, /rootVolumeSize = 10 is invalid: must be a whole number from 20 to 16384/],
  ])('rejects %o', (overrides, message) => {
    expect(() => synth((chart) => new Ec2NodeClass(chart, 'NodeClass', { nodeRoleName: 'r', discoveryTagValue: 'shop', ...overrides }))).toThrow(message);
  });
});

describe('NodePool', () => {
  const base: NodePoolProps = { nodeClassName: 'default', zones: ZONES };

  test('defaults: spot preferred with on-demand fallback, c/m/r gen 6+, all zones, consolidation with a delay, budgets, expiry, limits', () => {
    const [pool] = synth((chart) => new NodePool(chart, 'Pool', base));
    expect(pool).toEqual({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'default' },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
            requirements: [
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
              { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
              { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
              { key: 'topology.kubernetes.io/zone', operator: 'In', values: ZONES },
              { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
              { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
              { key: 'karpenter.k8s.aws/instance-size', operator: 'NotIn', values: ['nano', 'micro', 'small', 'metal'] },
            ],
            expireAfter: '720h',
            terminationGracePeriod: '24h',
          },
        },
        disruption: {
          consolidationPolicy: 'WhenEmptyOrUnderutilized',
          consolidateAfter: '5m',
          budgets: [{ nodes: '10%' }, { nodes: '1', reasons: ['Drifted'] }],
        },
        limits: { cpu: '200', memory: '800Gi' },
      },
    });
  });

  /**
   * At least five instance types must stay reachable, or one spot pool's
   * interruption empties the NodePool. A sample of current-generation EC2
   * types is filtered with the NodePool's own requirements.
   */
  test('the default requirements leave many instance types reachable', () => {
    const catalog = ['c6i.large', 'c6a.xlarge', 'c7i.2xlarge', 'c7a.large', 'm6i.large', 'm6a.xlarge', 'm7i.large', 'm7a.2xlarge',
      'r6i.large', 'r7i.xlarge', 'c5.large', 'm5.large', 't3.large', 'm7i.metal-24xl', 'c6i.metal', 'x2idn.16xlarge', 'c6g.large', 'm7g.large'];
    const [pool] = synth((chart) => new NodePool(chart, 'Pool', base));
    const requirements: any[] = pool.spec.template.spec.requirements;
    const arm = new Set(['c6g', 'm7g', 'c7g', 'm6g', 'r7g']);
    const reachable = catalog.filter((type) => {
      const [family, size] = type.split('.');
      const labels: Record<string, string> = {
        'karpenter.k8s.aws/instance-category': family.replace(/\d.*$/, ''),
        'karpenter.k8s.aws/instance-generation': /\d+/.exec(family)![0],
        'karpenter.k8s.aws/instance-size': size.startsWith('metal') ? 'metal' : size,
        'kubernetes.io/arch': arm.has(family) ? 'arm64' : 'amd64',
      };
      return requirements.every((r) => {
        const value = labels[r.key];
        if (value === undefined) return true;
        if (r.operator === 'In') return r.values.includes(value);
        if (r.operator === 'NotIn') return !r.values.includes(value);
        if (r.operator === 'Gt') return Number(value) > Number(r.values[0]);
        return false;
      });
    });
    expect(reachable).toEqual(['c6i.large', 'c6a.xlarge', 'c7i.2xlarge', 'c7a.large', 'm6i.large', 'm6a.xlarge', 'm7i.large', 'm7a.2xlarge', 'r6i.large', 'r7i.xlarge']);
    expect(reachable.length).toBeGreaterThanOrEqual(5);
  });

  test('options: on-demand only, both architectures, custom budgets, weight, labels, taints', () => {
    const [pool] = synth((chart) => new NodePool(chart, 'Pool', {
      ...base,
      name: 'critical',
      capacityTypes: [CapacityType.ON_DEMAND],
      architectures: [CpuArchitecture.AMD64, CpuArchitecture.ARM64],
      instanceCategories: ['m'],
      minInstanceGeneration: 7,
      consolidateAfter: Duration.minutes(10),
      expireAfter: Duration.days(14),
      terminationGracePeriod: Duration.hours(2),
      cpuLimit: 64,
      memoryLimit: Size.gibibytes(256),
      weight: 50,
      budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: Duration.hours(8), reasons: [DisruptionReason.UNDERUTILIZED] }, { nodes: '20%' }],
      labels: { 'workload-class': 'critical' },
      taints: [{ key: 'dedicated', value: 'critical', effect: 'NoSchedule' }],
    }));
    expect(pool.metadata.name).toBe('critical');
    expect(pool.spec.template.metadata).toEqual({ labels: { 'workload-class': 'critical' } });
    expect(pool.spec.template.spec).toMatchObject({ expireAfter: '336h', terminationGracePeriod: '2h', taints: [{ key: 'dedicated', value: 'critical', effect: 'NoSchedule' }] });
    expect(pool.spec.template.spec.requirements.slice(0, 2)).toEqual([
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
    ]);
    expect(pool.spec.disruption).toEqual({
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '10m',
      budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h', reasons: ['Underutilized'] }, { nodes: '20%' }],
    });
    expect(pool.spec).toMatchObject({ limits: { cpu: '64', memory: '256Gi' }, weight: 50 });
  });

  test.each([
    [{ zones: ['eu-west-1a'] }, /zones = \["eu-west-1a"\] is invalid: must list at least 2 distinct zones/],
    [{ capacityTypes: [] }, /capacityTypes = \[\] is invalid: must not be empty/],
    [{ consolidateAfter: Duration.seconds(0) }, /consolidateAfter = "0s" is invalid: must be longer than zero/],
    [{ expireAfter: Duration.minutes(30) }, /expireAfter = "30m" is invalid: must be at least 1 hour/],
    [{ budgets: [{ nodes: '150%' }] }, /budgets\[0\]\.nodes = "150%" is invalid/],
    [{ budgets: [{ nodes: '1', schedule: '@daily' }] }, /budgets\[0\] = .* is invalid: schedule and duration must be set together/],
    [{ budgets: [{ nodes: '1', schedule: 'daily', duration: Duration.hours(1) }] }, /budgets\[0\]\.schedule = "daily" is invalid: must be a 5-field cron/],
    [{ weight: 0 }, /weight = 0 is invalid: must be a whole number from 1 to 100/],
    [{ taints: [{ key: 'a', effect: 'Never' }] }, /taints\[0\]\.effect = "Never" is invalid/],
    [{ instanceCategories: ['C'] }, /instanceCategories\[0\] = "C" is invalid/],
  ])('rejects %o', (overrides, message) => {
    expect(() => synth((chart) => new NodePool(chart, 'Pool', { ...base, ...overrides }))).toThrow(message);
  });
});

describe('EncryptedStorageClass', () => {
  test('encrypted gp3, default, WaitForFirstConsumer, expandable', () => {
    const [storageClass] = synth((chart) => new EncryptedStorageClass(chart, 'Gp3', { kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/abc' }));
    expect(storageClass).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gp3-encrypted', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { 'type': 'gp3', 'encrypted': 'true', 'csi.storage.k8s.io/fstype': 'ext4', 'kmsKeyId': 'arn:aws:kms:eu-west-1:111122223333:key/abc' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    });
  });
});

describe('Karpenter CRD rules the schema package does not check', () => {
  test.each([
    ['karpenter.sh/nodepool'], ['kubernetes.io/role'], ['team.k8s.io/x'], ['karpenter.k8s.aws/instance-family'],
  ])('NodePool label %s is rejected', (key) => {
    expect(() => synth((chart) => new NodePool(chart, 'Pool', { nodeClassName: 'default', zones: ZONES, labels: { [key]: 'x' } })))
      .toThrow(/uses the restricted label domain/);
  });

  test('node.kubernetes.io labels are allowed', () => {
    expect(() => synth((chart) => new NodePool(chart, 'Pool', { nodeClassName: 'default', zones: ZONES, labels: { 'node.kubernetes.io/instance-group': 'a' } })))
      .not.toThrow();
  });

  test('budget durations must be whole minutes', () => {
    expect(() => synth((chart) => new NodePool(chart, 'Pool', {
      nodeClassName: 'default', zones: ZONES, budgets: [{ nodes: '0', schedule: '@daily', duration: Duration.seconds(90) }],
    }))).toThrow(/budgets\[0\]\.duration = "90s" is invalid: must be whole minutes/);
  });

  test.each(['eks:eks-cluster-name', 'kubernetes.io/cluster/shop', 'karpenter.sh/nodepool'])('EC2NodeClass tag %s is rejected', (key) => {
    expect(() => synth((chart) => new Ec2NodeClass(chart, 'NodeClass', { nodeRoleName: 'r', discoveryTagValue: 'shop', tags: { [key]: 'x' } })))
      .toThrow(/is a tag Karpenter sets itself/);
  });
});

test('EncryptedStorageClass puts the given tags on every volume, in a stable order', () => {
  const [storageClass] = synth((chart) => new EncryptedStorageClass(chart, 'Gp3', { volumeTags: { 'team': 'shop', 'resilient-eks.dev/backup': 'shop' } }));
  expect(storageClass.parameters).toMatchObject({ tagSpecification_1: 'resilient-eks.dev/backup=shop', tagSpecification_2: 'team=shop' });
});
