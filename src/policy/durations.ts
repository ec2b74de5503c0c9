import { Duration } from 'cdk8s';
import { invalid } from './errors';

/**
 * Kubernetes and ELB take whole seconds; a fractional Duration would be
 * rounded somewhere we cannot see, so it is rejected here instead.
 */
export function wholeSeconds(prop: string, duration: Duration): number {
  const millis = duration.toMilliseconds();
  if (millis % 1000 !== 0) {
    invalid(prop, `${millis} ms`, 'must be a whole number of seconds (Kubernetes and the load balancer only take seconds)', `use Duration.seconds(${Math.ceil(millis / 1000)})`);
  }
  return millis / 1000;
}
