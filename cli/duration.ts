import { UsageError } from './options.ts';

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `12h`, `7d` (or bare seconds) in milliseconds; anything else is a usage error. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!m) throw new UsageError(`${option} must be a duration such as 30m, 12h or 7d, got '${text}'`);
  return Math.round(Number(m[1]) * units[m[2] || 's']);
}
