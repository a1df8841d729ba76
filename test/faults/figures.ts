import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src-main/paths';

/** `npm run test:faults` runs every probe long; `npm test` runs the short version. */
export const LONG = process.env.DER_FAULTS === 'long';
export const scale = (short: number, long: number): number => (LONG ? long : short);

/** Prints a probe's figure and keeps it in test-results/fault-figures.txt (one line per probe). */
export function figure(probe: string, text: string): void {
  const line = `[fault] ${probe}: ${text}`;
  console.log(line);
  const dir = join(projectRoot(), 'test-results');
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'fault-figures.txt'), `${new Date().toISOString()} ${LONG ? 'long ' : 'short'} ${line}\n`);
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** Every series of the run starts at step 0 and has no gap; and every step has all `keys`. */
export function seriesSound(series: Array<{ key: string; count: number; minStep: number | null; maxStep: number | null }>, keys: string[]): boolean {
  const byKey = new Map(series.map((s) => [s.key, s]));
  const counts = keys.map((k) => byKey.get(k)?.count ?? 0);
  return (
    series.every((s) => s.count === 0 || (s.minStep === 0 && s.maxStep !== null && s.maxStep - s.minStep + 1 === s.count)) &&
    counts.every((c) => c === counts[0])
  );
}
