import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ACCEPT_ANNOTATION_PREFIX, HaMicroservice, ResilienceReport, RowStatus } from '../../src';
import { minimalProps } from '../helpers/synth';
import { SimConstraint, SimNode, SimToleration, SpreadCluster, zoneNodes } from '../helpers/topology-spread-simulator';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d', 'eu-west-1e', 'eu-west-1f'];

/**
 * The most pods the scheduler model lets one zone hold after placing
 * `replicas`: each pod goes to the first zone while the hard spread lets it
 * (the other zones' nodes are made full for that attempt), else where the
 * model would put it. Nothing in a real cluster keeps placements from being
 * this uneven: score plugins, Karpenter's launches and scale-downs all can.
 */
function fullestZonePossible(zoneCount: number, constraints: SimConstraint[], tolerations: SimToleration[], replicas: number): number {
  const nodes: SimNode[] = zoneNodes(zoneCount, 2, 1000);
  const capacity = nodes.map((node) => node.capacity);
  const cluster = new SpreadCluster(nodes, constraints, tolerations);
  const onlyIn = (zone: string | undefined) => nodes.forEach((node, i) => {
    nodes[i] = { ...node, capacity: zone === undefined || node.zone === zone ? capacity[i] : 0 };
  });
  for (let i = 0; i < replicas; i++) {
    onlyIn(nodes[0].zone);
    const pending = cluster.schedule(1);
    onlyIn(undefined);
    if (pending > 0) expect(cluster.schedule(1)).toBe(0);
  }
  return Math.max(...Object.values(cluster.podsPerZone()));
}

describe('the zone-loss row agrees with the scheduler model', () => {
  test('for any HaMicroservice and zone maxSkew 1-3: PASS exactly when every replica count the HPA may choose survives losing its fullest zone', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 100 }),
      fc.integer({ min: 1, max: 3 }),
      (zoneCount, extraMin, extraMax, target, maxSkew) => {
        const min = Math.max(3, zoneCount) + extraMin;
        const max = min + extraMax;
        const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
        new HaMicroservice(chart, 'Api', minimalProps({
          zones: ZONES.slice(0, zoneCount),
          // Targets above the policy's bound are accepted here so both outcomes are generated.
          autoscaling: { minReplicas: min, maxReplicas: max, cpuTargetUtilization: target, acceptZoneLossOverload: true },
          // The scheduler model spreads calls over every replica; same-zone routing has its own row check.
          preferSameZoneTraffic: false,
        }));
        // HaMicroservice always writes maxSkew 1; a wider skew is what a hand-edited manifest or another chart may carry.
        const objects = chart.toJson();
        const deployment = objects.find((o: any) => o.kind === 'Deployment');
        const spec = deployment.spec.template.spec;
        spec.topologySpreadConstraints.find((c: any) => c.whenUnsatisfiable === 'DoNotSchedule').maxSkew = maxSkew;
        const rows = ResilienceReport._fromInputs([], objects.map((object: any) => ({ object, source: 'test' })), []).rows;
        const row = rows.find((r) => r.id === 'zone-loss')!;

        let survives = true;
        for (let replicas = min; replicas <= max; replicas++) {
          const fullest = fullestZonePossible(zoneCount, spec.topologySpreadConstraints, spec.tolerations, replicas);
          if (target * 1.1 * replicas > 100 * (replicas - fullest)) survives = false;
        }
        // The construct's acceptZoneLossOverload annotates the Deployment above the maxSkew-1 bound: such a row is ACCEPTED, never PASS.
        const accepted = deployment.metadata.annotations?.[`${ACCEPT_ANNOTATION_PREFIX}zone-loss`] !== undefined;
        expect(row.status).toBe(survives ? RowStatus.PASS : accepted ? RowStatus.ACCEPTED : RowStatus.FAIL);
      }), { numRuns: 150 });
  });
});
