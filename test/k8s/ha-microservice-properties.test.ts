import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import * as fc from 'fast-check';
import { HaMicroservice, HaMicroserviceProps } from '../../src';
import { survivingShare } from '../../src/policy/autoscaling';
import { minimalProps, synthService } from '../helpers/synth';
import { SpreadCluster, zoneNodes } from '../helpers/topology-spread-simulator';

const NUM_RUNS = 150;

/** Any valid HaMicroservice props: each arbitrary stays inside the documented rules. */
const validProps: fc.Arbitrary<HaMicroserviceProps> = fc
  .record({
    zoneCount: fc.integer({ min: 2, max: 6 }),
    extraMin: fc.integer({ min: 0, max: 10 }),
    extraMax: fc.integer({ min: 0, max: 30 }),
    fixed: fc.boolean(),
    preStop: fc.integer({ min: 5, max: 120 }),
    appShutdown: fc.integer({ min: 1, max: 300 }),
    toleration: fc.integer({ min: 10, max: 300 }),
    cpuMillis: fc.integer({ min: 1, max: 16000 }),
    memoryMib: fc.integer({ min: 1, max: 65536 }),
    exposed: fc.boolean(),
    targetShare: fc.double({ min: 0.01, max: 1, noNaN: true }),
    // Half the runs take the policy's own default target, which the simulator below then checks.
    defaultTarget: fc.boolean(),
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/),
  })
  .map((p) => {
    const floor = Math.max(3, p.zoneCount);
    const min = floor + p.extraMin;
    const max = min + p.extraMax;
    // Stay under the static-stability bound the policy computes, by construction here.
    let worst = 1;
    for (let r = min; r <= max; r++) worst = Math.min(worst, survivingShare(r, p.zoneCount));
    const bound = Math.floor((100 * worst) / 1.1);
    const target = Math.max(1, Math.floor(bound * p.targetShare));
    return minimalProps({
      name: p.name,
      zoneCount: p.zoneCount,
      ...(p.fixed
        ? { replicas: min }
        : {
          autoscaling: {
            minReplicas: min, maxReplicas: max, cpuTargetUtilization: p.defaultTarget ? undefined : target, memoryTargetUtilization: target,
          },
        }),
      preStopSleep: Duration.seconds(p.preStop),
      terminationGracePeriod: Duration.seconds(p.preStop + p.appShutdown),
      nodeFailureToleration: Duration.seconds(p.toleration),
      cpu: Cpu.millis(p.cpuMillis),
      memory: Size.mebibytes(p.memoryMib),
      ...(p.exposed ? { expose: {} } : {}),
    });
  });

describe('HaMicroservice invariants hold for any valid props', () => {
  test('spread, PDB, HPA floor, shutdown order, non-root, schema validity', () => {
    fc.assert(fc.property(validProps, (props) => {
      // synthService validates every manifest against the Kubernetes schemas.
      const s = synthService(props);
      const spec = s.of('Deployment').spec.template.spec;
      const zones = props.zoneCount!;

      // Spread over the zones, hard, with skew 1.
      const zoneSpread = spec.topologySpreadConstraints.find((c: any) => c.topologyKey === 'topology.kubernetes.io/zone');
      expect(zoneSpread).toMatchObject({ whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1, nodeTaintsPolicy: 'Honor' });

      // The PDB allows exactly one voluntary disruption.
      expect(s.of('PodDisruptionBudget').spec.maxUnavailable).toBe(1);

      // Replicas never fall below the zone count (or 3).
      const hpa = s.has('HorizontalPodAutoscaler') ? s.of('HorizontalPodAutoscaler').spec : undefined;
      const replicaFloor = hpa ? hpa.minReplicas : s.of('Deployment').spec.replicas;
      expect(replicaFloor).toBeGreaterThanOrEqual(Math.max(3, zones));

      // Static stability, checked independently of the policy's formula: place every replica count
      // the HPA may choose with the emitted constraints on a model of the scheduler, lose the fullest
      // zone, and require the survivors to carry the load at the CPU target plus the HPA's 10% tolerance.
      if (hpa) {
        expect(s.of('Deployment').spec.replicas).toBeUndefined();
        const cpuTarget = hpa.metrics.find((m: any) => m.resource.name === 'cpu').resource.target.averageUtilization;
        for (let replicas = hpa.minReplicas; replicas <= hpa.maxReplicas; replicas++) {
          const cluster = new SpreadCluster(zoneNodes(zones, 2, 1000), spec.topologySpreadConstraints, spec.tolerations);
          expect(cluster.schedule(replicas)).toBe(0);
          const fullestZone = Math.max(...Object.values(cluster.podsPerZone()));
          expect(cpuTarget * 1.1 * replicas).toBeLessThanOrEqual(100 * (replicas - fullestZone));
        }
      }

      // SIGTERM comes after the preStop, and the app gets time after it.
      const container = spec.containers[0];
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(container.lifecycle.preStop.sleep.seconds);
      if (props.expose) {
        const delay = Number(/=(\d+)$/.exec(s.of('Ingress').metadata.annotations['alb.ingress.kubernetes.io/target-group-attributes'])![1]);
        expect(delay).toBeGreaterThanOrEqual(container.lifecycle.preStop.sleep.seconds);
        expect(delay).toBeLessThanOrEqual(spec.terminationGracePeriodSeconds);
      }

      // Never root, never privileged.
      expect(spec.securityContext.runAsNonRoot).toBe(true);
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
      });

      // Recovery starts well before Kubernetes' default 300 s.
      expect(spec.tolerations.every((t: any) => t.tolerationSeconds <= 300)).toBe(true);
    }), { numRuns: NUM_RUNS });
  });
});

describe('invalid props fail with our error, naming the prop', () => {
  const invalidCases: fc.Arbitrary<{ prop: string; overrides: Partial<HaMicroserviceProps> }> = fc.oneof(
    fc.integer({ min: -5, max: 2 }).map((replicas) => ({ prop: 'replicas', overrides: { replicas } })),
    fc.integer({ min: 3, max: 20 }).chain((min) => fc.integer({ min: 1, max: min - 1 })
      .map((max) => ({ prop: 'autoscaling.maxReplicas', overrides: { autoscaling: { minReplicas: min, maxReplicas: max } } }))),
    fc.oneof(fc.integer({ min: -100, max: 0 }), fc.integer({ min: 101, max: 1000 }))
      .map((t) => ({ prop: 'autoscaling.cpuTargetUtilization', overrides: { autoscaling: { cpuTargetUtilization: t, acceptZoneLossOverload: true } } })),
    fc.integer({ min: 46, max: 100 }).map((t) => ({ prop: 'autoscaling.cpuTargetUtilization', overrides: { autoscaling: { cpuTargetUtilization: t } } })),
    fc.oneof(fc.integer({ min: -100, max: 0 }), fc.integer({ min: 101, max: 1000 }))
      .map((t) => ({ prop: 'autoscaling.memoryTargetUtilization', overrides: { autoscaling: { memoryTargetUtilization: t } } })),
    fc.oneof(fc.integer({ min: -100, max: 0 }), fc.integer({ min: 65536, max: 1e6 })).map((port) => ({ prop: 'containerPort', overrides: { containerPort: port } })),
    fc.integer({ min: 5, max: 600 }).chain((preStop) => fc.integer({ min: 1, max: preStop })
      .map((grace) => ({ prop: 'terminationGracePeriod', overrides: { preStopSleep: Duration.seconds(preStop), terminationGracePeriod: Duration.seconds(grace) } }))),
    fc.string({ minLength: 1, maxLength: 70 }).filter((name) => !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63)
      .map((name) => ({ prop: 'name', overrides: { name } })),
    fc.integer({ min: 2, max: 4000 }).chain((request) => fc.integer({ min: 1, max: request - 1 })
      .map((limit) => ({ prop: 'cpuLimit', overrides: { cpu: Cpu.millis(request), cpuLimit: Cpu.millis(limit) } }))),
  );

  test('the error names the prop and the construct', () => {
    fc.assert(fc.property(invalidCases, ({ prop, overrides }) => {
      const attempt = () => new HaMicroservice(new Chart(Testing.app(), 'test'), 'Api', minimalProps(overrides));
      expect(attempt).toThrow(`HaMicroservice at 'test/Api': ${prop} = `);
      expect(attempt).toThrow(/ is invalid: .+ Fix: /s);
    }), { numRuns: NUM_RUNS });
  });
});
