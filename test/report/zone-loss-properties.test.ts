import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { HaMicroservice, ResilienceReport, RowStatus } from '../../src';
import { minimalProps } from '../helpers/synth';
import { SpreadCluster, zoneNodes } from '../helpers/topology-spread-simulator';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d', 'eu-west-1e', 'eu-west-1f'];

describe('the zone-loss row agrees with the scheduler model', () => {
  test('for any valid HaMicroservice: PASS exactly when every replica count the HPA may choose survives losing its fullest zone', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 100 }),
      (zoneCount, extraMin, extraMax, target) => {
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
        const row = ResilienceReport.fromSynthesized({ charts: [chart] }).rows.find((r) => r.id === 'zone-loss')!;

        const spec = chart.toJson().find((o: any) => o.kind === 'Deployment').spec.template.spec;
        let survives = true;
        for (let replicas = min; replicas <= max; replicas++) {
          const cluster = new SpreadCluster(zoneNodes(zoneCount, 2, 1000), spec.topologySpreadConstraints, spec.tolerations);
          expect(cluster.schedule(replicas)).toBe(0);
          const fullest = Math.max(...Object.values(cluster.podsPerZone()));
          if (target * 1.1 * replicas > 100 * (replicas - fullest)) survives = false;
        }
        // Above the bound the construct's acceptZoneLossOverload annotates the Deployment: the row is ACCEPTED, never PASS.
        expect(row.status).toBe(survives ? RowStatus.PASS : RowStatus.ACCEPTED);
      }), { numRuns: 120 });
  });
});
