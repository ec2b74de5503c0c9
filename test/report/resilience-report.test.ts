import { Chart, Testing } from 'cdk8s';
import { changeHelmValues, changeTemplateObject, failing, object, reportOf, row, synthesizeExample } from './example-output';
import { HaMicroservice, HaMicroserviceProps, Requirement, ResilienceReport, RowStatus } from '../../src';
import { minimalProps } from '../helpers/synth';

const FRONTEND = 'shop/Deployment/frontend';
const CHECKOUT = 'shop/Deployment/checkout';

describe('the resilience report on the shop example', () => {
  const example = synthesizeExample();
  const report = reportOf(example);

  test('every row passes, with nothing accepted', () => {
    expect(failing(report)).toEqual([]);
    expect(report.rows.filter((r) => r.status === RowStatus.ACCEPTED)).toEqual([]);
    expect(report.passed).toBe(true);
  });

  test('covers every requirement of the architecture\'s validation table, per service and per platform', () => {
    const ids = (requirement: Requirement) => [...new Set(report.rows.filter((r) => r.requirement === requirement).map((r) => r.id))];
    expect(ids(Requirement.HIGH_AVAILABILITY)).toEqual(['zone-loss', 'zone-rebalance', 'traffic-path', 'az-evacuation', 'zonal-egress']);
    expect(ids(Requirement.FAULT_TOLERANCE)).toEqual(['node-loss', 'rollout-no-drop', 'voluntary-disruption', 'addon-disruption']);
    expect(ids(Requirement.COST_OPTIMIZATION)).toEqual(['cost-cross-zone', 'cost-platform', 'cost-karpenter', 'cost-services']);
    expect(ids(Requirement.DISASTER_RECOVERY)).toEqual(['dr-dns-failover', 'dr-restore-scope', 'dr-rpo', 'dr-images-replicated', 'dr-secrets-replicated', 'dr-resilience-hub', 'dr-rto', 'dr-immutable-copies']);
    for (const service of ['frontend', 'catalog', 'cart', 'checkout', 'payments']) {
      expect(report.rows.filter((r) => r.subject === `shop/Deployment/${service}`).map((r) => r.id))
        .toEqual(['zone-loss', 'zone-rebalance', 'node-loss', 'rollout-no-drop', 'voluntary-disruption', 'cost-cross-zone']);
    }
    expect(report.validationTable()).toContain('| High availability |');
    expect(report.toMarkdown()).toContain('## Architecture validation');
    expect(JSON.parse(report.toJson())).toMatchObject({ passed: true, failures: 0 });
  });

  test('zone loss shows its arithmetic: the worst replica count of the HPA range and the survivors\' load', () => {
    expect(row(report, 'zone-loss', FRONTEND).arithmetic).toContain('worst over 3-9 replicas: 4 with 2 in the fullest zone, 2/4 = 50% survive; 45% x 1.1 / 0.500 = 99% of requests');
    expect(row(report, 'zone-loss', CHECKOUT).arithmetic).toContain('worst over 6-24 replicas: 7 with 3 in the fullest zone, 4/7 = 57% survive; 51% x 1.1 / 0.571 = 98% of requests');
  });

  test('node loss adds up every step to serving again behind the ALB, under three minutes', () => {
    const nodeLoss = row(report, 'node-loss', FRONTEND);
    expect(nodeLoss.status).toBe(RowStatus.PASS);
    expect(nodeLoss.arithmetic).toMatch(/50 node-monitor grace \+ 30 unreachable tolerationSeconds .* ALB health checks 2 x 5 s = (\d+) s to serve/);
    expect(Number(/= (\d+) s to serve/.exec(nodeLoss.arithmetic)![1])).toBeLessThan(180);
    // The sum rests on the launch-time estimate: the row says how much of it the target leaves room for.
    expect(nodeLoss.arithmetic).toContain('the target holds while Karpenter launches within 61 s (at the reported 90 s: 208 s)');
  });

  test('prices the platform per region and the high-availability premium', () => {
    expect(row(report, 'cost-platform', 'ShopPlatform').arithmetic).toMatch(/EKS control plane \$73\.00 \+ 3 NAT gateways \$105\.12 .* = \$\d+\.\d\d\/month/);
    expect(row(report, 'cost-platform', 'ShopPlatform').arithmetic).toMatch(/high availability costs \$\d+\.\d\d\/month over COST_OPTIMIZED/);
    expect(row(report, 'cost-services', 'services').arithmetic).toMatch(/vCPU, .* GiB requested .* at spot/);
  });

  // Each mutation changes one thing in the synthesized output; the row it breaks names the object and the fix.
  const mutations: Array<[string, string, string, NonNullable<Parameters<typeof reportOf>[1]>, RegExp]> = [
    ['the readiness-gate label removed', 'rollout-no-drop', FRONTEND, (copy) => {
      delete object(copy.manifests, 'Namespace', 'shop').metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject'];
    }, /label the namespace elbv2\.k8s\.aws\/pod-readiness-gate-inject: enabled/],
    ['preStop set to 0', 'rollout-no-drop', FRONTEND, (copy) => {
      object(copy.manifests, 'Deployment', 'frontend').spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds = 0;
    }, /sleep at least 15 s in a preStop hook/],
    ['replicas free to skew 3/1/0 (the zone spread soft)', 'zone-loss', CHECKOUT, (copy) => {
      object(copy.manifests, 'Deployment', 'checkout').spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable = 'ScheduleAnyway';
    }, /add a topologySpreadConstraint on topology\.kubernetes\.io\/zone/],
    ['the ALB zonal-shift attribute dropped', 'az-evacuation', 'shop/Ingress/frontend', (copy) => {
      const ingress = object(copy.manifests, 'Ingress', 'frontend');
      const key = 'alb.ingress.kubernetes.io/load-balancer-attributes';
      ingress.metadata.annotations[key] = ingress.metadata.annotations[key].replace(/,?zonal_shift\.config\.enabled=true/, '');
    }, /add zonal_shift\.config\.enabled=true/],
    ['a PDB with maxUnavailable 0', 'voluntary-disruption', CHECKOUT, (copy) => {
      object(copy.manifests, 'PodDisruptionBudget', 'checkout').spec.maxUnavailable = 0;
    }, /allow at least one eviction/],
    ['the mesh health-check port made STRICT', 'rollout-no-drop', FRONTEND, (copy) => {
      object(copy.manifests, 'PeerAuthentication', 'frontend').spec.portLevelMtls = {};
    }, /PERMISSIVE in a PeerAuthentication/],
    ['the unreachable toleration removed (Kubernetes\' 300 s applies)', 'node-loss', CHECKOUT, (copy) => {
      object(copy.manifests, 'Deployment', 'checkout').spec.template.spec.tolerations = [];
    }, /shorten the steps you own/],
    ['the descheduler removed from the cluster that runs the pods', 'zone-rebalance', CHECKOUT, (copy) => {
      const primary = copy.stacks.find((s) => s.name === 'ShopPlatform')!;
      for (const [id, r] of Object.entries<any>(primary.template.Resources)) if (r.Properties?.Chart === 'descheduler') delete primary.template.Resources[id];
    }, /install the descheduler/],
    ['same-zone routing added where it overloads the thinnest zone (8 replicas: 3/3/2)', 'zone-loss', CHECKOUT, (copy) => {
      object(copy.manifests, 'Service', 'checkout').spec.trafficDistribution = 'PreferSameZone';
    }, /remove trafficDistribution from Service\/checkout, or lower the CPU target to 45%/],
    ['the redis-ha budget removed', 'addon-disruption', 'ShopPlatform', (copy) => {
      changeHelmValues(copy.stacks.find((s) => s.name === 'ShopPlatform')!, 'argo-cd', (values) => { delete values['redis-ha'].podDisruptionBudget; });
    }, /redis-ha server a PodDisruptionBudget/],
    ['a private subnet routed through another zone\'s NAT gateway', 'zonal-egress', 'ShopPlatform', (copy) => {
      const stack = copy.stacks.find((s) => s.name === 'ShopPlatform')!;
      const routes = Object.values<any>(stack.template.Resources).filter((r) => r.Type === 'AWS::EC2::Route' && r.Properties.NatGatewayId);
      routes[1].Properties.NatGatewayId = routes[0].Properties.NatGatewayId;
    }, /one NAT gateway per zone/],
    ['zonal shift off on the cluster', 'az-evacuation', 'ShopPlatform/PlatformCluster6842C9C4', (copy) => {
      const stack = copy.stacks.find((s) => s.name === 'ShopPlatform')!;
      stack.template.Resources.PlatformCluster6842C9C4.Properties.ZonalShiftConfig.Enabled = false;
    }, /enable zonal shift on the EKS cluster/],
    ['the NodePool limited to on-demand', 'cost-karpenter', 'ShopPlatform/NodePool/default', (copy) => {
      changeTemplateObject(copy.stacks.find((s) => s.name === 'ShopPlatform')!, 'NodePool', 'default', (pool) => {
        pool.spec.template.spec.requirements.find((r: any) => r.key === 'karpenter.sh/capacity-type').values = ['on-demand'];
      });
    }, /allow karpenter\.sh\/capacity-type spot/],
    ['the descheduler\'s evictor protecting pods with emptyDir', 'zone-rebalance', FRONTEND, (copy) => {
      changeHelmValues(copy.stacks.find((s) => s.name === 'ShopPlatform')!, 'descheduler', (values) => {
        values.deschedulerPolicy.profiles[0].pluginConfig = values.deschedulerPolicy.profiles[0].pluginConfig.filter((c: any) => c.name !== 'DefaultEvictor');
      });
    }, /DefaultEvictor podProtections\.defaultDisabled: \[PodsWithLocalStorage\]/],
    ['the ALB deregistration delay longer than the grace period', 'rollout-no-drop', FRONTEND, (copy) => {
      object(copy.manifests, 'Ingress', 'frontend').metadata.annotations['alb.ingress.kubernetes.io/target-group-attributes'] = 'deregistration_delay.timeout_seconds=300';
    }, /deregistration_delay\.timeout_seconds=45/],
  ];

  test.each(mutations)('fails when %s', (_, id, subject, mutate, fix) => {
    const mutated = reportOf(example, mutate);
    const broken = row(mutated, id, subject);
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.fix).toMatch(fix);
    expect(broken.evidence.length).toBeGreaterThan(0);
    expect(mutated.passed).toBe(false);
  });

  test('a region without pinned prices leaves the cost rows not applicable, never a false claim', () => {
    // The platform's stacks move; the recovery region's stays where the primary's copy actions name its vault (dr-immutable-copies).
    const unpriced = reportOf(example, (copy) => {
      copy.stacks.filter((stack) => stack.name !== 'ShopRecoveryRegion').forEach((stack) => { (stack as any).region = 'ap-south-2'; });
    });
    expect(row(unpriced, 'cost-platform', 'ShopPlatform')).toMatchObject({ status: RowStatus.NOT_APPLICABLE, arithmetic: expect.stringContaining('no prices are pinned for region ap-south-2') });
    // Only the cost rows are about prices; the DNS failover pair rightly fails once both regions read the same.
    expect(unpriced.rows.filter((r) => r.id.startsWith('cost-') && r.status === RowStatus.FAIL)).toEqual([]);
  });
});

describe('same-zone routing', () => {
  const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
  const rows = (props: Partial<HaMicroserviceProps>, change: (service: any) => void = () => {}) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new HaMicroservice(chart, 'Api', minimalProps({ zones, ...props }));
    const objects = chart.toJson();
    change(objects.find((o: any) => o.kind === 'Service'));
    return ResilienceReport._fromInputs([], objects.map((o: any) => ({ object: o, source: 'test' })), []).rows;
  };

  test('where it is safe (6 fixed replicas, 2 per zone) HaMicroservice sets it, and the row fails without it', () => {
    expect(rows({ replicas: 6 }).find((r) => r.id === 'cost-cross-zone')!.status).toBe(RowStatus.PASS);
    const without = rows({ replicas: 6 }, (service) => { delete service.spec.trafficDistribution; }).find((r) => r.id === 'cost-cross-zone')!;
    expect(without.status).toBe(RowStatus.FAIL);
    expect(without.fix).toContain('trafficDistribution: PreferSameZone');
  });

  test('where it is not safe the row does not apply and says why; the zone-loss row stays within requests', () => {
    const all = rows({});
    expect(all.find((r) => r.id === 'cost-cross-zone')).toMatchObject({ status: RowStatus.NOT_APPLICABLE, arithmetic: expect.stringContaining('124%') });
    expect(all.find((r) => r.id === 'zone-loss')!.status).toBe(RowStatus.PASS);
  });
});

describe('acceptances', () => {
  test('acceptZoneLossOverload shows the zone-loss row as ACCEPTED with its reason, never as PASS', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new HaMicroservice(chart, 'Api', minimalProps({ zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], autoscaling: { cpuTargetUtilization: 70, acceptZoneLossOverload: true } }));
    const zoneLoss = ResilienceReport.fromSynthesized({ charts: [chart] }).rows.find((r) => r.id === 'zone-loss')!;
    expect(zoneLoss.status).toBe(RowStatus.ACCEPTED);
    expect(zoneLoss.acceptedReason).toContain('CPU target 70% is above the static-stability bound 45%');
    expect(zoneLoss.arithmetic).toContain('70% x 1.1 / 0.500 = 154% of requests');
  });

  test('an acceptance given to the report names the row and subject; a passing row stays PASS', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new HaMicroservice(chart, 'Api', minimalProps({ zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] }));
    const report = ResilienceReport.fromSynthesized({
      charts: [chart],
      acceptances: [{ rowId: 'node-loss', subject: 'shop/Deployment/api', reason: 'no platform in this test' }, { rowId: 'zone-loss', reason: 'not needed' }],
    });
    expect(report.rows.find((r) => r.id === 'node-loss')).toMatchObject({ status: RowStatus.ACCEPTED, acceptedReason: 'no platform in this test' });
    expect(report.rows.find((r) => r.id === 'zone-loss')!.status).toBe(RowStatus.PASS);
  });
});
