import { changeTemplateObject, object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';

const CHECKOUT = 'shop/Deployment/checkout';
const FRONTEND = 'shop/Deployment/frontend';
const NODE_POOL = 'ShopPlatform/NodePool/default';

describe('voluntary disruption, cost and acceptance scope on the shop example', () => {
  const example = synthesizeExample();
  const nodePool = (change: (pool: any) => void) => reportOf(example, (copy) =>
    changeTemplateObject(copy.stacks.find((s) => s.name === 'ShopPlatform')!, 'NodePool', 'default', change));

  describe('voluntary-disruption', () => {
    test('a budget letting two pods go at once fails when the one left cannot carry the load', () => {
      const report = reportOf(example, (copy) => { object(copy.manifests, 'PodDisruptionBudget', 'frontend').spec.maxUnavailable = 2; });
      const broken = row(report, 'voluntary-disruption', FRONTEND);
      expect(broken.status).toBe(RowStatus.FAIL);
      expect(broken.arithmetic).toContain('at 3 replicas the budget lets 2 go at once; the 1 left carry 45% x 1.1 x 3 / 1 = 149% of requests');
      expect(broken.fix).toContain('set maxUnavailable: 1 on PodDisruptionBudget/frontend');
    });

    test('a percentage rounds up, as the disruption controller does: 50% of 3 is 2 at once', () => {
      const report = reportOf(example, (copy) => { object(copy.manifests, 'PodDisruptionBudget', 'frontend').spec.maxUnavailable = '50%'; });
      expect(row(report, 'voluntary-disruption', FRONTEND).arithmetic).toContain('the budget lets 2 go at once');
    });

    test('several at once pass when the rest carry the load within their requests', () => {
      const report = reportOf(example, (copy) => {
        object(copy.manifests, 'PodDisruptionBudget', 'checkout').spec.maxUnavailable = 2;
        object(copy.manifests, 'HorizontalPodAutoscaler', 'checkout').spec.metrics[0].resource.target.averageUtilization = 20;
      });
      const checkout = row(report, 'voluntary-disruption', CHECKOUT);
      expect(checkout.status).toBe(RowStatus.PASS);
      expect(checkout.arithmetic).toContain('at 6 replicas the budget lets 2 go at once; the 4 left carry 20% x 1.1 x 6 / 4 = 33% of requests');
    });

    test('a budget that allows no eviction at some replica count fails', () => {
      const report = reportOf(example, (copy) => {
        const budget = object(copy.manifests, 'PodDisruptionBudget', 'frontend').spec;
        delete budget.maxUnavailable;
        budget.minAvailable = 3;
      });
      const broken = row(report, 'voluntary-disruption', FRONTEND);
      expect(broken.status).toBe(RowStatus.FAIL);
      expect(broken.arithmetic).toContain('minAvailable 3 at 3 replicas: 0 eviction(s) allowed');
    });
  });

  describe('cost-services', () => {
    test('a container without a CPU request fails the row and is named, instead of pricing NaN', () => {
      const report = reportOf(example, (copy) => { delete object(copy.manifests, 'Deployment', 'cart').spec.template.spec.containers[0].resources.requests.cpu; });
      const services = row(report, 'cost-services', 'services');
      expect(services.status).toBe(RowStatus.FAIL);
      expect(services.arithmetic).toContain('shop/Deployment/cart (cart)');
      expect(services.arithmetic).not.toContain('NaN');
      expect(services.fix).toContain('set resources.requests.cpu');
    });

    test('sums every container of the pod, native sidecars included', () => {
      const before = row(reportOf(example), 'cost-services', 'services').arithmetic;
      const report = reportOf(example, (copy) => {
        object(copy.manifests, 'Deployment', 'cart').spec.template.spec.initContainers = [
          { name: 'proxy', image: 'proxy:1', restartPolicy: 'Always', resources: { requests: { cpu: '1', memory: '128Mi' } } },
        ];
      });
      const vcpu = (text: string) => Number(/([\d.]+) vCPU, /.exec(text)![1]);
      // cart runs at least 3 replicas: each adds one vCPU.
      expect(vcpu(row(report, 'cost-services', 'services').arithmetic) - vcpu(before)).toBeCloseTo(3, 5);
    });
  });

  describe('cost-platform', () => {
    test('a system node type without a pinned price fails and says which', () => {
      const report = reportOf(example, (copy) => {
        const group: any = Object.values(copy.stacks.find((s) => s.name === 'ShopPlatform')!.template.Resources).find((r: any) => r.Type === 'AWS::EKS::Nodegroup');
        group.Properties.InstanceTypes = ['x9z.metal'];
      });
      const platform = row(report, 'cost-platform', 'ShopPlatform');
      expect(platform.status).toBe(RowStatus.FAIL);
      expect(platform.fix).toContain('add x9z.metal to src/report/prices.ts');
    });

    test('counts an Ingress without namespace under its real namespace, never "undefined/"', () => {
      const report = reportOf(example, (copy) => {
        const ingress = object(copy.manifests, 'Ingress', 'frontend');
        delete ingress.metadata.annotations['alb.ingress.kubernetes.io/group.name'];
        delete (ingress.metadata as any).namespace;
      });
      expect(row(report, 'cost-platform', 'ShopPlatform').arithmetic).toMatch(/\d ALB\(s\) from the manifests/);
      expect(JSON.stringify(report.rows)).not.toContain('undefined/');
    });
  });

  describe('cost-karpenter', () => {
    test('passes on the example, reading unset fields as Karpenter v1 defaults', () => {
      expect(row(reportOf(example), 'cost-karpenter', NODE_POOL).status).toBe(RowStatus.PASS);
      const unset = nodePool((pool) => { delete pool.spec.disruption.consolidationPolicy; });
      expect(row(unset, 'cost-karpenter', NODE_POOL).status).toBe(RowStatus.PASS);
      expect(row(unset, 'cost-karpenter', NODE_POOL).arithmetic).toContain('consolidationPolicy WhenEmptyOrUnderutilized (default)');
    });

    test('consolidateAfter Never turns consolidation off and fails', () => {
      const report = nodePool((pool) => { pool.spec.disruption.consolidateAfter = 'Never'; });
      expect(row(report, 'cost-karpenter', NODE_POOL)).toMatchObject({ status: RowStatus.FAIL });
      expect(row(report, 'cost-karpenter', NODE_POOL).arithmetic).toContain('consolidation is off');
    });

    test('a zero-node budget without a schedule fails; with a schedule it is a change freeze and passes', () => {
      const frozen = nodePool((pool) => { pool.spec.disruption.budgets = [{ nodes: '0' }]; });
      expect(row(frozen, 'cost-karpenter', NODE_POOL).status).toBe(RowStatus.FAIL);
      expect(row(frozen, 'cost-karpenter', NODE_POOL).fix).toContain('give the zero-node budget a schedule');
      const scheduled = nodePool((pool) => { pool.spec.disruption.budgets = [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }]; });
      expect(row(scheduled, 'cost-karpenter', NODE_POOL).status).toBe(RowStatus.PASS);
      const driftOnly = nodePool((pool) => { pool.spec.disruption.budgets = [{ nodes: '0%', reasons: ['Drifted'] }]; });
      expect(row(driftOnly, 'cost-karpenter', NODE_POOL).status).toBe(RowStatus.PASS);
    });

    test.each([
      ['NotIn on-demand', { operator: 'NotIn', values: ['on-demand'] }, RowStatus.PASS],
      ['Exists', { operator: 'Exists' }, RowStatus.PASS],
      ['In on-demand', { operator: 'In', values: ['on-demand'] }, RowStatus.FAIL],
      ['NotIn spot', { operator: 'NotIn', values: ['spot'] }, RowStatus.FAIL],
      ['no requirement (on-demand only)', undefined, RowStatus.FAIL],
    ])('capacity-type %s', (_, requirement, status) => {
      const report = nodePool((pool) => {
        const requirements: any[] = pool.spec.template.spec.requirements.filter((r: any) => r.key !== 'karpenter.sh/capacity-type');
        pool.spec.template.spec.requirements = requirement ? [...requirements, { key: 'karpenter.sh/capacity-type', ...requirement }] : requirements;
      });
      expect(row(report, 'cost-karpenter', NODE_POOL).status).toBe(status);
    });
  });

  describe('acceptance scope', () => {
    test('a stack\'s acceptance never reaches a namespace of the same name', () => {
      const report = reportOf(example, (copy) => {
        const stack = copy.stacks.find((s) => s.name === 'ShopPlatform')!;
        (stack.template as any).Metadata = { 'resilient-eks': { accept: { 'voluntary-disruption': 'platform decision' } } };
        for (const { object: o } of copy.manifests) {
          if (o.metadata.namespace === 'shop') (o.metadata as any).namespace = 'ShopPlatform';
        }
        object(copy.manifests, 'PodDisruptionBudget', 'frontend').spec.maxUnavailable = 0;
      });
      expect(row(report, 'voluntary-disruption', 'ShopPlatform/Deployment/frontend').status).toBe(RowStatus.FAIL);
    });

    test('a stack\'s acceptance reaches the rows about the stack and the NodePools it applies', () => {
      const report = reportOf(example, (copy) => {
        const stack = copy.stacks.find((s) => s.name === 'ShopPlatform')!;
        (stack.template as any).Metadata = { 'resilient-eks': { accept: { 'cost-karpenter': 'on-demand only by contract' } } };
        changeTemplateObject(stack, 'NodePool', 'default', (pool) => { pool.spec.disruption.consolidateAfter = 'Never'; });
      });
      expect(row(report, 'cost-karpenter', NODE_POOL)).toMatchObject({ status: RowStatus.ACCEPTED, acceptedReason: 'on-demand only by contract' });
    });

    test('an annotation on a NodePool accepts its own row', () => {
      const report = nodePool((pool) => {
        pool.spec.disruption.consolidateAfter = 'Never';
        pool.metadata.annotations = { 'resilience.resilient-eks.dev/accept.cost-karpenter': 'batch nodes, consolidated by hand' };
      });
      expect(row(report, 'cost-karpenter', NODE_POOL)).toMatchObject({ status: RowStatus.ACCEPTED, acceptedReason: 'batch nodes, consolidated by hand' });
    });
  });
});

describe('addon-disruption covers the EKS managed add-ons too', () => {
  const example = synthesizeExample();
  const addon = (copy: { stacks: any[] }, name: string) =>
    Object.values<any>(copy.stacks.find((s) => s.name === 'ShopPlatform')!.template.Resources)
      .find((r) => r.Type === 'AWS::EKS::Addon' && r.Properties.AddonName === name);

  test('the example\'s CoreDNS, metrics-server and EBS CSI controller run two or more replicas under a budget', () => {
    const addons = row(reportOf(example), 'addon-disruption', 'ShopPlatform');
    expect(addons.status).toBe(RowStatus.PASS);
    expect(addons.arithmetic).toMatch(/CoreDNS: \d+ replicas, budget \{"maxUnavailable":1\} allows 1/);
    expect(addons.arithmetic).toContain('metrics-server: 2 replicas');
    expect(addons.arithmetic).toContain('EBS CSI controller: 2 replicas');
    expect(addons.evidence).toMatch(/\d+ AWS::EKS::Addon/);
  });

  test('CoreDNS without its budget fails and says where to set it', () => {
    const report = reportOf(example, (copy) => {
      const coredns = addon(copy, 'coredns');
      const values = JSON.parse(coredns.Properties.ConfigurationValues);
      coredns.Properties.ConfigurationValues = JSON.stringify({ ...values, podDisruptionBudget: { enabled: false } });
    });
    const addons = row(report, 'addon-disruption', 'ShopPlatform');
    expect(addons.status).toBe(RowStatus.FAIL);
    expect(addons.fix).toContain('give CoreDNS a PodDisruptionBudget with maxUnavailable 1 in the coredns add-on\'s configurationValues');
  });

  test('an add-on the report does not model fails instead of passing unseen', () => {
    const report = reportOf(example, (copy) => { addon(copy, 'metrics-server').Properties.AddonName = 'adot'; });
    expect(row(report, 'addon-disruption', 'ShopPlatform').fix).toContain('add adot\'s components to the report\'s tables');
  });
});
