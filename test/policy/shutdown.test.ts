import { shutdownTimings } from '../../src/policy/shutdown';

const props = { preStop: 'preStopSleep', grace: 'terminationGracePeriod', deregistration: 'expose.deregistrationDelay' };

describe('shutdownTimings', () => {
  test('defaults: 15 s preStop, 45 s grace, ALB drains for the whole grace period', () => {
    const t = shutdownTimings({ props });
    expect([t.preStopSleepSeconds.value, t.terminationGracePeriodSeconds.value, t.deregistrationDelaySeconds.value]).toEqual([15, 45, 45]);
  });

  test('the grace period follows a longer preStop', () => {
    const t = shutdownTimings({ props, preStopSleepSeconds: 20 });
    expect(t.terminationGracePeriodSeconds.value).toBe(50);
    expect(t.deregistrationDelaySeconds.value).toBe(50);
  });

  test('the deregistration delay follows an explicit grace period', () => {
    expect(shutdownTimings({ props, terminationGracePeriodSeconds: 90 }).deregistrationDelaySeconds.value).toBe(90);
  });

  test.each([
    [{ preStopSleepSeconds: 30, terminationGracePeriodSeconds: 30 }, /terminationGracePeriod = 30 is invalid: must be longer than preStopSleep \(30 s\).*Fix: set terminationGracePeriod to at least 60 s/],
    [{ preStopSleepSeconds: 30, terminationGracePeriodSeconds: 10 }, /terminationGracePeriod = 10 is invalid/],
    [{ preStopSleepSeconds: 2 }, /preStopSleep = 2 is invalid: must be a whole number from 5 to 3599/],
    [{ terminationGracePeriodSeconds: 4000 }, /terminationGracePeriod = 4000 is invalid: must be a whole number from 16 to 3600/],
    [{ deregistrationDelaySeconds: 300 }, /expose.deregistrationDelay = 300 is invalid: must lie between preStopSleep \(15 s\) and terminationGracePeriod \(45 s\)/],
    [{ deregistrationDelaySeconds: 10 }, /expose.deregistrationDelay = 10 is invalid/],
  ])('%j is rejected', (request, message) => {
    expect(() => shutdownTimings({ props, ...request })).toThrow(message);
  });
});
