/** A number (or setting) the policy decided, with the reason a reviewer can check it against. */
export interface Decision<T> {
  readonly value: T;
  readonly reason: string;
}
