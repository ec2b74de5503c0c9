import { topologySpreadConstraints, sameZoneTraffic, sameZoneWorstUtilization, ZONE_TOPOLOGY_KEY, HOSTNAME_TOPOLOGY_KEY, POD_TEMPLATE_HASH } from '../../src/policy/spread';
import { SimConstraint, SimToleration, SpreadCluster, threeZoneNodes } from '../helpers/topology-spread-simulator';

const selector = { 'app.kubernetes.io/name': 'api' };
// What HaMicroservice pods tolerate: only the NoExecute variants, for a short time.
const tolerations: SimToleration[] = [
  { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
];

describe('topologySpreadConstraints', () => {
  const [zone, host] = topologySpreadConstraints(selector);

  test('zone spread is hard with skew 1, honours taints and node affinity, and has no minDomains', () => {
    expect(zone).toEqual({
      topologyKey: ZONE_TOPOLOGY_KEY,
      whenUnsatisfiable: 'DoNotSchedule',
      maxSkew: 1,
      labelSelector: { matchLabels: selector },
      matchLabelKeys: [POD_TEMPLATE_HASH],
      nodeAffinityPolicy: 'Honor',
      nodeTaintsPolicy: 'Honor',
    });
  });

  test('node spread is soft with skew 1', () => {
    expect(host).toMatchObject({ topologyKey: HOSTNAME_TOPOLOGY_KEY, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 1, nodeTaintsPolicy: 'Honor' });
  });

  test('the selector is copied, not shared with the caller', () => {
    const input = { a: 'b' };
    const [c] = topologySpreadConstraints(input);
    input.a = 'changed';
    expect(c.labelSelector!.matchLabels).toEqual({ a: 'b' });
  });
});

/**
 * The two situations the spread must handle, played on a model of the
 * scheduler's filter. The policy's constraints pass both; each known trap
 * (Ignore taints, minDomains = zone count) fails the second.
 */
describe('spread behaviour in normal operation and after a zone loss', () => {
  const policy = topologySpreadConstraints(selector) as SimConstraint[];
  const variants: Array<{ name: string; constraints: SimConstraint[]; survivesZoneLoss: boolean }> = [
    { name: 'the policy', constraints: policy, survivesZoneLoss: true },
    { name: 'trap: nodeTaintsPolicy Ignore (the default)', constraints: policy.map((c) => ({ ...c, nodeTaintsPolicy: 'Ignore' })), survivesZoneLoss: false },
    { name: 'trap: minDomains = zone count', constraints: policy.map((c) => c.topologyKey === ZONE_TOPOLOGY_KEY ? { ...c, minDomains: 3 } : c), survivesZoneLoss: false },
  ];

  test.each(variants)('$name: normal operation spreads 6 replicas 2/2/2', ({ constraints }) => {
    const cluster = new SpreadCluster(threeZoneNodes(2, 10), constraints, tolerations);
    expect(cluster.schedule(6)).toBe(0);
    expect(Object.values(cluster.podsPerZone())).toEqual([2, 2, 2]);
  });

  test.each(variants)('$name: after losing a zone, replacements and scale-up land in the survivors: $survivesZoneLoss', ({ constraints, survivesZoneLoss }) => {
    const cluster = new SpreadCluster(threeZoneNodes(2, 10), constraints, tolerations);
    cluster.schedule(6);
    const evicted = cluster.loseZone('eu-west-1c');
    expect(evicted).toBe(2);
    // The evicted replicas come back, and the HPA adds three more for the load.
    const pending = cluster.schedule(evicted + 3);
    if (survivesZoneLoss) {
      expect(pending).toBe(0);
      expect(cluster.podsPerZone()).toEqual({ 'eu-west-1a': 5, 'eu-west-1b': 4, 'eu-west-1c': 0 });
    } else {
      expect(pending).toBeGreaterThan(0);
    }
  });

  test('known limit: a zone with no node the pods may run on is not a domain until a node exists there', () => {
    // Only zones a and b have workload nodes (zone c has none yet): the scheduler spreads over two zones.
    const cluster = new SpreadCluster(threeZoneNodes(1, 10).filter((n) => n.zone !== 'eu-west-1c'), policy, tolerations);
    expect(cluster.schedule(3)).toBe(0);
    expect(cluster.podsPerZone()).toEqual({ 'eu-west-1a': 2, 'eu-west-1b': 1 });
  });

  test('the hard zone constraint caps one zone at ceil(R/N): the share the HPA target is computed for', () => {
    for (let replicas = 3; replicas <= 20; replicas++) {
      const cluster = new SpreadCluster(threeZoneNodes(3, 50), policy, tolerations);
      expect(cluster.schedule(replicas)).toBe(0);
      expect(Math.max(...Object.values(cluster.podsPerZone()))).toBe(Math.ceil(replicas / 3));
    }
  });
});

describe('sameZoneTraffic', () => {
  test.each([
    // zones, min, max, CPU target, requested, expected
    [3, 3, 3, undefined, undefined, true],
    [3, 6, 6, undefined, undefined, true],
    [3, 4, 4, undefined, undefined, false],
    [3, 3, 9, 45, undefined, false],
    [3, 3, 9, 36, undefined, true],
    [3, 6, 6, undefined, false, false],
  ])('%d zones, %d-%d replicas, target %s, requested %s: %s', (zones, min, max, target, requested, expected) => {
    const decision = sameZoneTraffic(zones, min, max, target, requested);
    expect(decision.value).toBe(expected);
    expect(decision.reason.length).toBeGreaterThan(20);
  });

  test('the thinnest zone sets the load: 5 replicas (2/2/1) at 45% run the lone pod at 124% after a zone loss', () => {
    expect(sameZoneWorstUtilization(3, 3, 9, 45)).toEqual({ utilization: (45 * 1.1 * 5) / 2, replicas: 5 });
    expect(sameZoneTraffic(3, 3, 9, 45, undefined).reason).toContain('a CPU target of 36% or less would allow it');
  });
});
