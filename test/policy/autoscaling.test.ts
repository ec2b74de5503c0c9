import { HPA_TOLERANCE, maxStableUtilization, scalingBehavior, survivingShare } from '../../src/policy/autoscaling';

describe('survivingShare', () => {
  test.each([
    [3, 3, 2 / 3],
    [4, 3, 1 / 2],
    [6, 3, 2 / 3],
    [7, 3, 4 / 7],
    [4, 2, 1 / 2],
    [5, 2, 2 / 5],
  ])('%i replicas over %i zones keep %d after losing the fullest zone', (replicas, zones, share) => {
    expect(survivingShare(replicas, zones)).toBeCloseTo(share, 10);
  });
});

describe('maxStableUtilization', () => {
  test.each([
    // zones, min, max, bound: worst surviving share over [min, max] / 1.1, floored
    [3, 3, 3, 60], // 2/3 / 1.1 = 60.6
    [3, 3, 9, 45], // 4 replicas sit 2/1/1: 1/2 / 1.1 = 45.4
    [3, 6, 24, 51], // 7 replicas sit 3/2/2: 4/7 / 1.1 = 51.9
    [3, 6, 6, 60],
    [2, 3, 9, 30], // 3 replicas sit 2/1: 1/3 / 1.1 = 30.3 (an odd count over 2 zones is costly)
    [4, 4, 4, 68], // 3/4 / 1.1 = 68.2
  ])('%i zones, replicas %i-%i: at most %i%%', (zones, min, max, expected) => {
    const computed = maxStableUtilization(zones, min, max).value;
    // Recompute independently from the definition to keep the table honest.
    let worst = 1;
    for (let r = min; r <= max; r++) worst = Math.min(worst, (r - Math.ceil(r / zones)) / r);
    expect(computed).toBe(Math.floor((100 * worst) / (1 + HPA_TOLERANCE)));
    expect(computed).toBe(expected);
  });

  test('never exceeds the even-spread bound (N-1)/N', () => {
    for (let zones = 2; zones <= 6; zones++) {
      for (let min = zones; min <= 12; min++) {
        expect(maxStableUtilization(zones, min, min * 3).value).toBeLessThanOrEqual(Math.floor((100 * (zones - 1)) / zones));
      }
    }
  });

  test('explains itself with the worst replica count', () => {
    expect(maxStableUtilization(3, 3, 9).reason).toContain('at 4 replicas over 3 zones one zone holds 2');
  });
});

describe('scalingBehavior', () => {
  test('scales up without stabilisation and down slowly after 5 minutes', () => {
    const behavior = scalingBehavior();
    expect(behavior.scaleUp).toMatchObject({ stabilizationWindowSeconds: 0, selectPolicy: 'Max' });
    expect(behavior.scaleDown).toMatchObject({ stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 20, periodSeconds: 60 }] });
  });
});
