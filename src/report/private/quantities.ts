const BINARY: { [suffix: string]: number } = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };
const DECIMAL: { [suffix: string]: number } = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** Millicores of a CPU quantity ("250m", "1", "0.5"); 0 when unset. */
export function quantityMillicores(quantity: unknown): number {
  const text = String(quantity ?? '0');
  return text.endsWith('m') ? Number(text.slice(0, -1)) : Number(text) * 1000;
}

/** Mebibytes of a memory quantity ("256Mi", "1Gi", "512M", plain bytes); 0 when unset. */
export function quantityMebibytes(quantity: unknown): number {
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(String(quantity ?? '0'));
  if (!match) return 0;
  const [, amount, suffix] = match;
  if (suffix in BINARY) return Number(amount) * BINARY[suffix];
  return (Number(amount) * (DECIMAL[suffix] ?? 1)) / (1024 * 1024);
}

const DURATION_UNITS: { [unit: string]: number } = { h: 3600, m: 60, s: 1, ms: 1e-3 };

/** Seconds of a Go duration ("5m", "1h30m", "90s"); undefined when it is not one (e.g. "Never"). */
export function durationSeconds(duration: unknown): number | undefined {
  const text = String(duration ?? '');
  if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(text)) return undefined;
  return [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)].reduce((sum, [, amount, unit]) => sum + Number(amount) * DURATION_UNITS[unit], 0);
}
