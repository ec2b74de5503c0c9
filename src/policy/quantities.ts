import { Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { invalid } from './errors';

/**
 * CPU in millicores. Kubernetes cannot represent less than 1m, so a finer
 * value is rejected rather than silently rounded by the API server.
 */
export function cpuMillicores(prop: string, cpu: Cpu): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(cpu.amount);
  const millis = match ? (match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000) : NaN;
  if (!Number.isInteger(millis) || millis <= 0) {
    invalid(prop, cpu.amount, 'must be a positive whole number of millicores (Kubernetes cannot express less than 1m)', 'use Cpu.millis(n) with a whole n >= 1, e.g. Cpu.millis(250)');
  }
  return millis;
}

/** The Kubernetes quantity for a CPU amount in millicores. */
export function cpuQuantity(millicores: number): string {
  return `${millicores}m`;
}

/** Memory in kibibytes; a positive whole number is required by the quantity format we emit. */
export function memoryKibibytes(prop: string, memory: Size): number {
  const kib = memory.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(kib) || kib <= 0) {
    invalid(prop, `${kib} KiB`, 'must be a positive whole number of KiB', 'use Size.mebibytes(n) or Size.gibibytes(n) with a positive n, e.g. Size.mebibytes(256)');
  }
  return kib;
}

/** The Kubernetes quantity for a memory amount, in the largest binary unit that keeps it whole. */
export function memoryQuantity(kibibytes: number): string {
  if (kibibytes % (1024 * 1024) === 0) return `${kibibytes / (1024 * 1024)}Gi`;
  if (kibibytes % 1024 === 0) return `${kibibytes / 1024}Mi`;
  return `${kibibytes}Ki`;
}
