import { disruptionBudget } from '../../src/policy/disruption';
import { notReadyTolerationSeconds } from '../../src/policy/recovery';
import { replicaFloor, zoneCount } from '../../src/policy/zones';

describe('zoneCount', () => {
  test('defaults to 3 with a reason', () => {
    expect(zoneCount(undefined, 'zoneCount')).toEqual({ value: 3, reason: expect.stringContaining('losing one still leaves two') });
  });
  test.each([2, 3, 6])('accepts %i', (zones) => expect(zoneCount(zones, 'zoneCount').value).toBe(zones));
  test.each([0, 1, 7, 2.5])('rejects %d', (zones) => {
    expect(() => zoneCount(zones, 'zoneCount')).toThrow(/zoneCount = .* is invalid: must be a whole number from 2 to 6 .*Fix:/);
  });
});

describe('replicaFloor', () => {
  test.each([[2, 3], [3, 3], [4, 4], [6, 6]])('%i zones need at least %i replicas', (zones, floor) => {
    expect(replicaFloor(zones).value).toBe(floor);
  });
});

describe('disruptionBudget', () => {
  test('one voluntary disruption at a time, unhealthy pods always evictable', () => {
    expect(disruptionBudget().value).toEqual({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });
});

describe('notReadyTolerationSeconds', () => {
  test('defaults to 30 s, far below Kubernetes\' 300 s', () => {
    expect(notReadyTolerationSeconds(undefined, 'nodeFailureToleration').value).toBe(30);
  });
  test.each([10, 60, 300])('accepts %i', (s) => expect(notReadyTolerationSeconds(s, 'p').value).toBe(s));
  test.each([0, 5, 301])('rejects %i', (s) => {
    expect(() => notReadyTolerationSeconds(s, 'nodeFailureToleration')).toThrow(/nodeFailureToleration = \d+ is invalid: must be a whole number from 10 to 300/);
  });
});
