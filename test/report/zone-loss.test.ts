import * as path from 'path';
import { object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { SourcedObject } from '../../src/report/private/inputs';
import { zoneAffinity } from '../../src/report/private/pod-facts';

const CHECKOUT = 'shop/Deployment/checkout';
const SERVICES = ['frontend', 'catalog', 'cart', 'checkout', 'payments'];
const ZONE = 'topology.kubernetes.io/zone';
const PRIMARY_ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const STANDBY_ZONES = ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'];

type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];

/** The pod spec of a Deployment in the copied manifests. */
const podSpec = (copy: Copy, name: string) => object(copy.manifests, 'Deployment', name).spec.template.spec;
/** The zone requirement of the pod's (single) node selector term. */
const zoneRequirement = (copy: Copy, name: string) =>
  podSpec(copy, name).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions
    .find((e: any) => e.key === ZONE);
/** The hard zone constraint HaMicroservice writes first. */
const zoneConstraint = (copy: Copy, name: string) => podSpec(copy, name).topologySpreadConstraints[0];
/** The manifests as if read from a GitOps repository's directory (what the generated project's build passes to the report). */
const readFrom = (directory: string) => (copy: Copy) => {
  copy.manifests.forEach((m: SourcedObject) => { (m as any).source = path.join('/repo', directory, path.basename(m.source)); });
};

describe('the zone-loss row on the shop example', () => {
  const example = synthesizeExample();

  test('unchanged, every service passes, judged in the primary cluster whose zones its pods name', () => {
    const report = reportOf(example);
    for (const service of SERVICES) {
      for (const id of ['zone-loss', 'zone-rebalance']) expect(row(report, id, `shop/Deployment/${service}`).status).toBe(RowStatus.PASS);
    }
    const zoneLoss = row(report, 'zone-loss', CHECKOUT);
    expect(zoneLoss.arithmetic).toContain('not ShopPlatformStandby, whose zones eu-central-1a, eu-central-1b, eu-central-1c the pods do not name');
    expect(zoneLoss.arithmetic).toContain('ShopPlatform\'s subnets are in eu-west-1a, eu-west-1b, eu-west-1c, of which node affinity on ' +
      'topology.kubernetes.io/zone: In eu-west-1a, eu-west-1b, eu-west-1c allows 3 (eu-west-1a, eu-west-1b, eu-west-1c)');
    expect(zoneLoss.evidence).toContain('zones from the subnets of ShopPlatform/PlatformCluster6842C9C4');
  });

  describe('zones per cluster', () => {
    test('with the manifests alone, the zones the pods name count; pods that name none have no zone known', () => {
      const alone = reportOf({ stacks: [], manifests: example.manifests });
      expect(row(alone, 'zone-loss', CHECKOUT)).toMatchObject({
        status: RowStatus.PASS,
        arithmetic: expect.stringContaining('zones from the pods\' node affinity alone (no cluster with known zones in the input): node affinity on ' +
          'topology.kubernetes.io/zone: In eu-west-1a, eu-west-1b, eu-west-1c allows 3'),
      });
      const unnamed = row(reportOf({ stacks: [], manifests: example.manifests }, (copy) => {
        Object.assign(zoneRequirement(copy, 'checkout'), { operator: 'NotIn', values: ['eu-west-1a'] });
      }), 'zone-loss', CHECKOUT);
      expect(unnamed.status).toBe(RowStatus.FAIL);
      expect(unnamed.fix).toContain('pass the cloud assembly of the platform that runs them');
    });

    test('read from the primary\'s GitOps directory, the manifests are judged in the primary cluster and pass', () => {
      const zoneLoss = row(reportOf(example, readFrom('gitops/eu-west-1')), 'zone-loss', CHECKOUT);
      expect(zoneLoss.status).toBe(RowStatus.PASS);
      expect(zoneLoss.arithmetic).toContain('ShopPlatform runs it (its Argo CD syncs gitops/eu-west-1/, where the manifest was read)');
    });

    test('the primary\'s manifests read from the standby\'s GitOps directory schedule nowhere there: every service fails', () => {
      const report = reportOf(example, readFrom('gitops/eu-central-1'));
      for (const service of SERVICES) {
        const zoneLoss = row(report, 'zone-loss', `shop/Deployment/${service}`);
        expect(zoneLoss.status).toBe(RowStatus.FAIL);
        expect(zoneLoss.arithmetic).toContain('ShopPlatformStandby\'s subnets are in eu-central-1a, eu-central-1b, eu-central-1c, of which ' +
          'node affinity on topology.kubernetes.io/zone: In eu-west-1a, eu-west-1b, eu-west-1c allows 0');
        expect(zoneLoss.fix).toContain('allow at least 2 of ShopPlatformStandby\'s zones (eu-central-1a, eu-central-1b, eu-central-1c)');
        expect(row(report, 'zone-rebalance', `shop/Deployment/${service}`).fix).toBe('fix the zone-loss row first');
      }
    });

    test('a Deployment of the primary\'s GitOps directory given the standby\'s zones fails', () => {
      const zoneLoss = row(reportOf(example, (copy) => {
        readFrom('gitops/eu-west-1')(copy);
        zoneRequirement(copy, 'checkout').values = STANDBY_ZONES;
      }), 'zone-loss', CHECKOUT);
      expect(zoneLoss.status).toBe(RowStatus.FAIL);
      expect(zoneLoss.arithmetic).toContain('ShopPlatform\'s subnets are in eu-west-1a, eu-west-1b, eu-west-1c, of which node affinity on ' +
        'topology.kubernetes.io/zone: In eu-central-1a, eu-central-1b, eu-central-1c allows 0');
      expect(zoneLoss.fix).toContain('allow at least 2 of ShopPlatform\'s zones (eu-west-1a, eu-west-1b, eu-west-1c)');
    });

    test('not knowing which cluster applies them, pods naming the standby\'s zones are judged in the standby', () => {
      const zoneLoss = row(reportOf(example, (copy) => { zoneRequirement(copy, 'checkout').values = STANDBY_ZONES; }), 'zone-loss', CHECKOUT);
      expect(zoneLoss.status).toBe(RowStatus.PASS);
      expect(zoneLoss.arithmetic).toContain('ShopPlatformStandby\'s subnets are in eu-central-1a, eu-central-1b, eu-central-1c');
    });

    test('pods naming zones no cluster of the input has fail, naming both', () => {
      const zoneLoss = row(reportOf(example, (copy) => {
        zoneRequirement(copy, 'checkout').values = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
      }), 'zone-loss', CHECKOUT);
      expect(zoneLoss.status).toBe(RowStatus.FAIL);
      expect(zoneLoss.arithmetic).toContain('the pods may run only in us-east-1a, us-east-1b, us-east-1c');
      expect(zoneLoss.arithmetic).toContain('ShopPlatform has eu-west-1a, eu-west-1b, eu-west-1c; ShopPlatformStandby has eu-central-1a, eu-central-1b, eu-central-1c');
      expect(zoneLoss.fix).toMatch(/make the node affinity on topology\.kubernetes\.io\/zone allow the zones of the cluster that runs these pods/);
    });

    test('NotIn leaves one of the primary\'s zones: the worst cluster counts, and the row fails', () => {
      const zoneLoss = row(reportOf(example, (copy) => {
        Object.assign(zoneRequirement(copy, 'checkout'), { operator: 'NotIn', values: ['eu-west-1a', 'eu-west-1b'] });
      }), 'zone-loss', CHECKOUT);
      expect(zoneLoss.status).toBe(RowStatus.FAIL);
      expect(zoneLoss.arithmetic).toContain('the pods name no zones: they may run in any cluster of the input');
      expect(zoneLoss.arithmetic).toContain('of which node affinity on topology.kubernetes.io/zone: NotIn eu-west-1a, eu-west-1b allows 1 (eu-west-1c)');
      expect(zoneLoss.arithmetic).toContain('allows 3 (eu-central-1a, eu-central-1b, eu-central-1c); the fewest, 1, count');
      expect(zoneLoss.fix).toContain('allow at least 2 of ShopPlatform\'s zones');
    });

    test('a nodeSelector on the zone limits the pods to that zone', () => {
      const zoneLoss = row(reportOf(example, (copy) => { podSpec(copy, 'checkout').nodeSelector = { [ZONE]: 'eu-west-1b' }; }), 'zone-loss', CHECKOUT);
      expect(zoneLoss.status).toBe(RowStatus.FAIL);
      expect(zoneLoss.arithmetic).toContain('allows 1 (eu-west-1b)');
    });

    test('with nodeAffinityPolicy Ignore, a zone of the cluster the pods may not use still counts and caps the others', () => {
      // Two zones at a 30% target survive a zone loss (30% x 1.1 / 0.429 = 77%): only the policy decides.
      const twoZones = (policy: string) => row(reportOf(example, (copy) => {
        zoneRequirement(copy, 'checkout').values = ['eu-west-1a', 'eu-west-1b'];
        object(copy.manifests, 'HorizontalPodAutoscaler', 'checkout').spec.metrics[0].resource.target.averageUtilization = 30;
        zoneConstraint(copy, 'checkout').nodeAffinityPolicy = policy;
      }), 'zone-loss', CHECKOUT);
      expect(twoZones('Honor').status).toBe(RowStatus.PASS);
      const ignored = twoZones('Ignore');
      expect(ignored.status).toBe(RowStatus.FAIL);
      expect(ignored.arithmetic).toContain('nodeAffinityPolicy Ignore: eu-west-1c of ShopPlatform still count as zones with no pod');
      expect(ignored.fix).toBe('set nodeAffinityPolicy: Honor (the default) on the zone constraint');
    });
  });

  describe('the zone constraint counts only when its labelSelector selects these pods', () => {
    test('a labelSelector selecting another app: the pods are unspread', () => {
      const zoneLoss = row(reportOf(example, (copy) => {
        zoneConstraint(copy, 'checkout').labelSelector = { matchLabels: { app: 'other' } };
      }), 'zone-loss', CHECKOUT);
      expect(zoneLoss.status).toBe(RowStatus.FAIL);
      expect(zoneLoss.arithmetic).toContain('a DoNotSchedule zone constraint does not count: its labelSelector (app=other) does not select these pods');
      expect(zoneLoss.arithmetic).toContain('no DoNotSchedule spread on topology.kubernetes.io/zone selects these pods');
      expect(zoneLoss.fix).toContain('make the zone constraint\'s labelSelector select these pods alone (matchLabels app.kubernetes.io/instance=checkout, ' +
        'app.kubernetes.io/name=checkout, with matchLabelKeys: [pod-template-hash])');
    });

    test('no labelSelector: the constraint counts no pods', () => {
      const zoneLoss = row(reportOf(example, (copy) => {
        delete zoneConstraint(copy, 'checkout').labelSelector;
        delete zoneConstraint(copy, 'checkout').matchLabelKeys;
      }), 'zone-loss', CHECKOUT);
      expect(zoneLoss.status).toBe(RowStatus.FAIL);
      expect(zoneLoss.arithmetic).toContain('it has no labelSelector, so it counts no pods');
    });

    test('a labelSelector shared by every shop service spreads their sum, unless matchLabelKeys narrows it to the revision', () => {
      const shared = (keys: string[]) => (copy: Copy) => {
        Object.assign(zoneConstraint(copy, 'checkout'), { labelSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'shop' } }, matchLabelKeys: keys });
      };
      const together = row(reportOf(example, shared([])), 'zone-loss', CHECKOUT);
      expect(together.status).toBe(RowStatus.FAIL);
      expect(together.arithmetic).toContain('also selects the pods of Deployment/frontend, Deployment/catalog, Deployment/cart, Deployment/payments');
      expect(row(reportOf(example, shared(['pod-template-hash'])), 'zone-loss', CHECKOUT).status).toBe(RowStatus.PASS);
    });

    test('a second, selecting zone constraint is the one that counts; the other is shown as not counting', () => {
      const zoneLoss = row(reportOf(example, (copy) => {
        const constraints = podSpec(copy, 'checkout').topologySpreadConstraints;
        constraints.unshift({ ...constraints[0], labelSelector: { matchLabels: { app: 'other' } } });
      }), 'zone-loss', CHECKOUT);
      expect(zoneLoss.status).toBe(RowStatus.PASS);
      expect(zoneLoss.arithmetic).toContain('✓ a DoNotSchedule zone constraint does not count: its labelSelector (app=other)');
    });
  });

  describe('a CPU utilisation target needs a CPU request in every container', () => {
    test('the container\'s CPU request removed: the HPA cannot compute utilisation', () => {
      const report = reportOf(example, (copy) => { delete podSpec(copy, 'checkout').containers[0].resources.requests.cpu; });
      const zoneLoss = row(report, 'zone-loss', CHECKOUT);
      expect(zoneLoss.status).toBe(RowStatus.FAIL);
      expect(zoneLoss.arithmetic).toContain('HorizontalPodAutoscaler/checkout targets 51% CPU utilisation, but container(s) checkout set no resources.requests.cpu');
      expect(zoneLoss.fix).toContain('set resources.requests.cpu on container(s) checkout');
      expect(row(report, 'zone-rebalance', CHECKOUT).status).toBe(RowStatus.FAIL);
    });

    test('a sidecar (an init container with restartPolicy Always) without a CPU request fails too; a plain init container does not count', () => {
      const withInit = (restartPolicy?: string) => (copy: Copy) => {
        podSpec(copy, 'checkout').initContainers = [{ name: 'proxy', image: 'proxy:1', ...(restartPolicy ? { restartPolicy } : {}) }];
      };
      const sidecar = row(reportOf(example, withInit('Always')), 'zone-loss', CHECKOUT);
      expect(sidecar.status).toBe(RowStatus.FAIL);
      expect(sidecar.fix).toContain('set resources.requests.cpu on container(s) proxy');
      expect(row(reportOf(example, withInit()), 'zone-loss', CHECKOUT).status).toBe(RowStatus.PASS);
    });

    test('a pod-level CPU request gives the HPA its denominator', () => {
      expect(row(reportOf(example, (copy) => {
        const spec = podSpec(copy, 'checkout');
        delete spec.containers[0].resources.requests.cpu;
        spec.resources = { requests: { cpu: '300m' } };
      }), 'zone-loss', CHECKOUT).status).toBe(RowStatus.PASS);
    });
  });
});

describe('zoneAffinity reads the required node affinity as the scheduler does', () => {
  const requirement = (operator: string, values?: string[]) => ({ key: ZONE, operator, ...(values ? { values } : {}) });
  const spec = (...terms: any[]) => ({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
  });
  const allowed = (pod: any) => [...PRIMARY_ZONES, ...STANDBY_ZONES].filter(zoneAffinity(pod).allows);

  test.each<[string, any, string[], string[] | undefined]>([
    ['no affinity', {}, [...PRIMARY_ZONES, ...STANDBY_ZONES], undefined],
    ['In', spec({ matchExpressions: [requirement('In', ['eu-west-1a', 'eu-west-1b'])] }), ['eu-west-1a', 'eu-west-1b'], ['eu-west-1a', 'eu-west-1b']],
    ['NotIn', spec({ matchExpressions: [requirement('NotIn', ['eu-west-1a'])] }), ['eu-west-1b', 'eu-west-1c', ...STANDBY_ZONES], undefined],
    ['In and NotIn in one term (ANDed)', spec({ matchExpressions: [requirement('In', PRIMARY_ZONES), requirement('NotIn', ['eu-west-1b'])] }),
      ['eu-west-1a', 'eu-west-1c'], ['eu-west-1a', 'eu-west-1c']],
    ['two terms (ORed)', spec({ matchExpressions: [requirement('In', ['eu-west-1a'])] }, { matchExpressions: [requirement('In', ['eu-central-1b'])] }),
      ['eu-west-1a', 'eu-central-1b'], ['eu-central-1b', 'eu-west-1a']],
    ['a term without zone requirement ORed with one that names zones', spec(
      { matchExpressions: [requirement('In', ['eu-west-1a'])] }, { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
    ), [...PRIMARY_ZONES, ...STANDBY_ZONES], undefined],
    ['Exists', spec({ matchExpressions: [requirement('Exists')] }), [...PRIMARY_ZONES, ...STANDBY_ZONES], undefined],
    ['DoesNotExist', spec({ matchExpressions: [requirement('DoesNotExist')] }), [], undefined],
    ['an empty term (matches no node)', spec({}), [], []],
    ['nodeSelector and node affinity together', { ...spec({ matchExpressions: [requirement('In', PRIMARY_ZONES)] }), nodeSelector: { [ZONE]: 'eu-west-1c' } },
      ['eu-west-1c'], ['eu-west-1c']],
  ])('%s', (_, pod, zones, named) => {
    expect(allowed(pod)).toEqual(zones);
    expect(zoneAffinity(pod).named).toEqual(named);
  });
});
