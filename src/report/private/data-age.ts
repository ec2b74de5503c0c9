/** How old one mechanism lets a data store's copy in the recovery region get, with the sum that says why. */
export interface DataAge {
  /** Minutes; Infinity when nothing bounds it. */
  readonly minutes: number;
  /** The terms of the sum, numbers shown, without its total. */
  readonly sum: string;
  /** How to bound it, when the mechanism can be fixed to hold an RPO. */
  readonly fix?: string;
}

/** Minutes for display: "no bound" when unbounded. */
export function minutesText(minutes: number): string {
  return Number.isFinite(minutes) ? `${minutes} min` : 'no bound';
}

/** The youngest worst case of several mechanisms protecting one store: a store is as fresh as its freshest copy. */
export function freshest(ages: DataAge[]): number {
  return Math.min(Infinity, ...ages.map((age) => age.minutes));
}

/** Minutes between runs of a regular 5-field cron ("*\/15 * * * *", "0 *\/2 * * *", "0 3 * * *"), if it is one. */
export function cronIntervalMinutes(cron: string): number | undefined {
  const [minute, hour, ...rest] = cron.trim().split(/\s+/);
  if (rest.length !== 3 || rest.some((field) => field !== '*')) return undefined;
  const every = (field: string) => (field === '*' ? 1 : /^\*\/(\d+)$/.test(field) ? Number(field.slice(2)) : undefined);
  if (hour === '*' && every(minute) !== undefined) return every(minute);
  if (/^\d+$/.test(minute) && every(hour) !== undefined) return 60 * every(hour)!;
  if (/^\d+$/.test(minute) && /^\d+$/.test(hour)) return 24 * 60;
  return undefined;
}

/** Minutes between runs of an AWS Backup schedule expression (6-field "cron(0 * * * ? *)"), if it is a regular one. */
export function scheduleExpressionIntervalMinutes(expression: unknown): number | undefined {
  const cron = /^cron\((.*)\)$/.exec(String(expression ?? '').trim())?.[1];
  if (cron === undefined) return undefined;
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 6 || fields[5] !== '*') return undefined;
  return cronIntervalMinutes(fields.slice(0, 5).map((field) => (field === '?' ? '*' : field)).join(' '));
}
