/**
 * A prop that breaks a resilience rule. The message always says four things:
 * which prop, which value, which rule and how to fix it, so the person who
 * reads it at synth time never has to open the source.
 */
export class PropValidationError extends Error {
  constructor(
    public readonly prop: string,
    public readonly value: unknown,
    public readonly rule: string,
    public readonly fix: string,
  ) {
    super(`${prop} = ${describe(value)} is invalid: ${rule}. Fix: ${fix}.`);
    this.name = 'PropValidationError';
  }
}

/** Throws a {@link PropValidationError}. Reads better than `throw new` at each check. */
export function invalid(prop: string, value: unknown, rule: string, fix: string): never {
  throw new PropValidationError(prop, value, rule, fix);
}

/** Requires an integer within [min, max]; the rule text explains why the bounds exist. */
export function requireIntegerInRange(prop: string, value: number, min: number, max: number, why: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    invalid(prop, value, `must be a whole number from ${min} to ${max} (${why})`, `set ${prop} to a whole number between ${min} and ${max}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
