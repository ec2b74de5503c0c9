import * as path from 'path';
import { changeTemplateObject, object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { fullestZone, thinnestZone } from '../../src/policy/autoscaling';

const FRONTEND = 'shop/Deployment/frontend';

type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];

/** The pod spec of a Deployment in the copied manifests. */
const podSpec = (copy: Copy, name = 'frontend') => object(copy.manifests, 'Deployment', name).spec.template.spec;
/** The pod's required node affinity. */
const required = (copy: Copy, name = 'frontend') => podSpec(copy, name).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;

/** The manifests as if read from a directory of a checkout of the GitOps repository. */
const readFrom = (directory: string) => (copy: Copy) => {
  copy.manifests.forEach((m) => { (m as any).source = path.join('/repo', directory, path.basename(m.source)); });
};

describe('which cluster\'s Argo CD syncs a manifest', () => {
  const example = synthesizeExample();

  test('an Application of another repository (gateway-api\'s config/crd) does not claim the GitOps repository\'s config/crd/', () => {
    const zoneLoss = row(reportOf(example, readFrom('config/crd')), 'zone-loss', FRONTEND);
    expect(zoneLoss.status).toBe(RowStatus.PASS);
    expect(zoneLoss.arithmetic).not.toContain('Argo CD syncs');
    expect(zoneLoss.arithmetic).toContain('zones from the clusters with a zone the pods name');
  });

  test('an Application of the GitOps repository claims its path, by whole directory names, unless it installs a Helm chart', () => {
    const standbyApp = (change: (source: any) => void) => (copy: Copy) => {
      readFrom('gitops/eu-central-1/shop')(copy);
      changeTemplateObject(copy.stacks.find((s) => s.name === 'ShopPlatform')!, 'Application', 'gateway-api-crds', (app) => {
        app.spec.source.repoURL = 'https://github.com/example/shop-gitops.git';
        change(app.spec.source);
      });
    };
    const claimed = row(reportOf(example, standbyApp((source) => { source.path = './gitops/eu-central-1/'; })), 'zone-loss', FRONTEND);
    expect(claimed.arithmetic).toContain('ShopPlatform runs it (its Argo CD syncs gitops/eu-central-1/, where the manifest was read)');
    const partial = row(reportOf(example, standbyApp((source) => { source.path = 'gitops/eu-central'; })), 'zone-loss', FRONTEND);
    expect(partial.arithmetic).not.toContain('ShopPlatform runs it');
    const chart = row(reportOf(example, standbyApp((source) => { source.path = 'gitops/eu-central-1'; source.chart = 'shop'; })), 'zone-loss', FRONTEND);
    expect(chart.arithmetic).not.toContain('ShopPlatform runs it');
  });
});

/** Changes the primary's Karpenter NodePool. */
const primaryPool = (copy: Copy, change: (pool: any) => void) =>
  changeTemplateObject(copy.stacks.find((s) => s.name === 'ShopPlatform')!, 'NodePool', 'default', change);
/** The pod's first node selector term's requirement on a label. */
const requirement = (copy: Copy, key: string) => required(copy).nodeSelectorTerms[0].matchExpressions.find((e: any) => e.key === key);

describe('where the pods can be scheduled', () => {
  const example = synthesizeExample();

  test('the zones are those where a NodePool that can take the pods launches: a NodePool over 2 zones leaves 1/3 of 3 replicas', () => {
    const zoneLoss = row(reportOf(example, (copy) => primaryPool(copy, (pool) => {
      pool.spec.template.spec.requirements.find((r: any) => r.key === 'topology.kubernetes.io/zone').values = ['eu-west-1a', 'eu-west-1b'];
    })), 'zone-loss', FRONTEND);
    expect(zoneLoss.status).toBe(RowStatus.FAIL);
    expect(zoneLoss.arithmetic).toContain('in ShopPlatform, nodes that take the pods come from NodePool/default (eu-west-1a, eu-west-1b), not ' +
      'Nodegroup/PlatformClusterNodegroupSystemNodes12F81B1E (taint CriticalAddonsOnly=true:NoSchedule is not tolerated): 2 zone(s) usable');
    expect(zoneLoss.arithmetic).toContain('45% x 1.1 / 0.333 = 149% of requests');
  });

  test('the zones come from the subnets the EC2NodeClass selects, not the control plane\'s', () => {
    const zoneLoss = row(reportOf(example, (copy) => {
      const stack = copy.stacks.find((s) => s.name === 'ShopPlatform')!;
      const subnet = stack.template.Resources.PlatformNetworkVpcprivateSubnet3SubnetD59F5B47;
      subnet.Properties.Tags = subnet.Properties.Tags.filter((t: any) => t.Key !== 'karpenter.sh/discovery');
    }), 'zone-loss', FRONTEND);
    expect(zoneLoss.status).toBe(RowStatus.FAIL);
    expect(zoneLoss.arithmetic).toContain('NodePool/default (eu-west-1a, eu-west-1b)');
  });

  test('pods requiring arm64 fit no NodePool and do not tolerate the system nodes\' taint: Pending for ever', () => {
    const zoneLoss = row(reportOf(example, (copy) => { requirement(copy, 'kubernetes.io/arch').values = ['arm64']; }), 'zone-loss', FRONTEND);
    expect(zoneLoss.status).toBe(RowStatus.FAIL);
    expect(zoneLoss.arithmetic).toContain('no NodePool or node group of ShopPlatform can run the pods (NodePool/default: kubernetes.io/arch: ' +
      'the pods need arm64, it offers amd64; Nodegroup/PlatformClusterNodegroupSystemNodes12F81B1E: taint CriticalAddonsOnly=true:NoSchedule is not tolerated)');
    expect(zoneLoss.arithmetic).toContain('stay Pending for ever');
    expect(zoneLoss.fix).toContain('make the pods\' node affinity, nodeSelector and tolerations fit a NodePool of ShopPlatform');
  });

  test('arm64 pods that tolerate the system taint run on the system node group, in its subnets\' zones', () => {
    const zoneLoss = row(reportOf(example, (copy) => {
      requirement(copy, 'kubernetes.io/arch').values = ['arm64'];
      podSpec(copy).tolerations.push({ key: 'CriticalAddonsOnly', operator: 'Exists' });
    }), 'zone-loss', FRONTEND);
    expect(zoneLoss.status).toBe(RowStatus.PASS);
    expect(zoneLoss.arithmetic).toContain('in ShopPlatform, nodes that take the pods come from Nodegroup/PlatformClusterNodegroupSystemNodes12F81B1E (eu-west-1a, eu-west-1b, eu-west-1c), ' +
      'not NodePool/default (kubernetes.io/arch: the pods need arm64, it offers amd64)');
  });

  test('a capacity type, an instance type or a taint of the NodePool the pods do not fit', () => {
    const capacity = row(reportOf(example, (copy) => {
      required(copy).nodeSelectorTerms[0].matchExpressions.push({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['reserved'] });
    }), 'zone-loss', FRONTEND);
    expect(capacity.arithmetic).toContain('NodePool/default: karpenter.sh/capacity-type: the pods need reserved, it offers spot, on-demand');
    expect(capacity.status).toBe(RowStatus.FAIL);
    const instance = row(reportOf(example, (copy) => {
      podSpec(copy).nodeSelector = { 'node.kubernetes.io/instance-type': 'm7i.large' };
      primaryPool(copy, (pool) => { pool.spec.template.spec.requirements.push({ key: 'node.kubernetes.io/instance-type', operator: 'NotIn', values: ['m7i.large'] }); });
    }), 'zone-loss', FRONTEND);
    expect(instance.status).toBe(RowStatus.FAIL);
    expect(instance.arithmetic).toContain('node.kubernetes.io/instance-type: the pods need m7i.large, it offers any value but m7i.large');
    const tainted = row(reportOf(example, (copy) => primaryPool(copy, (pool) => {
      pool.spec.template.spec.taints = [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }];
    })), 'zone-loss', FRONTEND);
    expect(tainted.status).toBe(RowStatus.FAIL);
    expect(tainted.arithmetic).toContain('NodePool/default: taint dedicated=batch:NoSchedule is not tolerated');
  });

  test('labels the NodePool does not constrain are taken as met', () => {
    const report = reportOf(example, (copy) => { podSpec(copy).nodeSelector = { 'example.com/team': 'shop', 'node.kubernetes.io/instance-type': 'm7i.large' }; });
    expect(row(report, 'zone-loss', FRONTEND).status).toBe(RowStatus.PASS);
  });

  test('null lists in the affinity, spread and tolerations read as absent instead of crashing', () => {
    const report = reportOf(example, (copy) => {
      required(copy).nodeSelectorTerms = null;
      podSpec(copy, 'catalog').tolerations = null;
      podSpec(copy, 'cart').topologySpreadConstraints = [null, ...podSpec(copy, 'cart').topologySpreadConstraints];
      required(copy, 'checkout').nodeSelectorTerms[0].matchExpressions[0].values = null;
    });
    expect(row(report, 'zone-loss', FRONTEND).status).toBe(RowStatus.PASS);
    expect(row(report, 'zone-loss', 'shop/Deployment/cart').status).toBe(RowStatus.PASS);
  });
});

/** Every distribution of R pods over N zones the scheduler reaches placing them one at a time under a hard spread of maxSkew s. */
function reachable(replicas: number, zones: number, maxSkew: number): number[][] {
  let current = new Map([[JSON.stringify(Array(zones).fill(0)), Array(zones).fill(0) as number[]]]);
  for (let i = 0; i < replicas; i++) {
    const next = new Map<string, number[]>();
    for (const counts of current.values()) {
      const min = Math.min(...counts);
      counts.forEach((count, zone) => {
        if (count + 1 - min > maxSkew) return;
        const placed = [...counts];
        placed[zone]++;
        placed.sort((a, b) => a - b);
        next.set(JSON.stringify(placed), placed);
      });
    }
    current = next;
  }
  return [...current.values()];
}

describe('same-zone routing under a zone spread wider than maxSkew 1', () => {
  const example = synthesizeExample();

  test('thinnestZone and fullestZone are the extremes of every distribution the scheduler can reach', () => {
    for (const zones of [2, 3, 4]) {
      for (const maxSkew of [1, 2, 3]) {
        for (let replicas = 1; replicas <= 14; replicas++) {
          const all = reachable(replicas, zones, maxSkew);
          const thinnest = Math.min(...all.map((d) => d[0]));
          expect([zones, maxSkew, replicas, thinnestZone(replicas, zones, maxSkew)]).toEqual([zones, maxSkew, replicas, thinnest]);
          expect(fullestZone(replicas, zones, maxSkew)).toBe(Math.max(...all.map((d) => d[zones - 1])));
        }
      }
    }
  });

  test('maxSkew 2 at 6 replicas can leave 3/2/1: the zone holding 1 pod gets half the calls after a loss, and both rows fail', () => {
    const report = reportOf(example, (copy) => {
      object(copy.manifests, 'Service', 'catalog').spec.trafficDistribution = 'PreferSameZone';
      podSpec(copy, 'catalog').topologySpreadConstraints[0].maxSkew = 2;
      Object.assign(object(copy.manifests, 'HorizontalPodAutoscaler', 'catalog').spec, { minReplicas: 6, maxReplicas: 6 });
    });
    const zoneLoss = row(report, 'zone-loss', 'shop/Deployment/catalog');
    expect(zoneLoss.status).toBe(RowStatus.FAIL);
    expect(zoneLoss.arithmetic).toContain('at 6 replicas the thinnest zone has 1 (maxSkew 2), and after a zone loss its pods carry 1/2 of the calls: ' +
      '45% x 1.1 x 6 / (2 x 1) = 149% of requests');
    const cost = row(report, 'cost-cross-zone', 'shop/Deployment/catalog');
    expect(cost.status).toBe(RowStatus.FAIL);
    expect(cost.arithmetic).toContain('6 replicas leave 1 in the thinnest zone (maxSkew 2), whose pods would run at 149%');
    expect(cost.fix).toContain('remove trafficDistribution from Service/catalog');
  });

  test('at maxSkew 1, 6 fixed replicas put 2 in every zone and same-zone routing passes', () => {
    const report = reportOf(example, (copy) => {
      object(copy.manifests, 'Service', 'catalog').spec.trafficDistribution = 'PreferSameZone';
      Object.assign(object(copy.manifests, 'HorizontalPodAutoscaler', 'catalog').spec, { minReplicas: 6, maxReplicas: 6 });
    });
    expect(row(report, 'zone-loss', 'shop/Deployment/catalog').status).toBe(RowStatus.PASS);
    expect(row(report, 'cost-cross-zone', 'shop/Deployment/catalog').status).toBe(RowStatus.PASS);
  });
});

describe('the NodePool\'s limits against what its pods request at their maximum', () => {
  const example = synthesizeExample();
  const POOL = 'ShopPlatform/NodePool/default';

  test('limits of 6 vCPU and 24 GiB hold less than the services at maxReplicas plus surge: scale-out stays Pending', () => {
    const report = reportOf(example, (copy) => primaryPool(copy, (pool) => { pool.spec.limits = { cpu: '6', memory: '24Gi' }; }));
    const karpenter = row(report, 'cost-karpenter', POOL);
    expect(karpenter.status).toBe(RowStatus.FAIL);
    expect(karpenter.arithmetic).toContain('at maxReplicas plus rollout surge the pods it can run request 19.8 vCPU and 31.5 GiB');
    expect(karpenter.arithmetic).toContain('shop/Deployment/checkout 30 pods');
    expect(karpenter.arithmetic).toContain('limits of NodePool/default: 6 vCPU, 24 GiB: scale-out, node replacements and surge pods past the limits stay Pending');
    expect(karpenter.fix).toContain('raise limits of NodePool/default to at least 19.8 vCPU and 31.5 GiB');
    expect(row(report, 'cost-karpenter', 'ShopPlatformStandby/NodePool/default').status).toBe(RowStatus.PASS);
  });

  test('a second NodePool that can run the same pods adds its limits', () => {
    const report = reportOf(example, (copy) => {
      const stack = copy.stacks.find((s) => s.name === 'ShopPlatform')!;
      primaryPool(copy, (pool) => { pool.spec.limits = { cpu: '10', memory: '400Gi' }; });
      const resource: any = Object.values(stack.template.Resources).find((r: any) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' &&
        JSON.stringify(r.Properties.Manifest).includes('NodePool'));
      const objects = JSON.parse(resource.Properties.Manifest);
      const second = JSON.parse(JSON.stringify(objects.find((o: any) => o.kind === 'NodePool')));
      second.metadata.name = 'burst';
      objects.push(second);
      resource.Properties.Manifest = JSON.stringify(objects);
    });
    const karpenter = row(report, 'cost-karpenter', POOL);
    expect(karpenter.status).toBe(RowStatus.PASS);
    expect(karpenter.arithmetic).toContain('limits of NodePool/default + NodePool/burst: 20 vCPU, 800 GiB');
  });
});
