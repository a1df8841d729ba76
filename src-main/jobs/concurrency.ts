/**
 * How many local runs the job queue starts at once: one per core by default (os.availableParallelism), or the
 * number a user sets (`--concurrency N`, env DER_CONCURRENCY). Timing kinds still run alone whatever this is.
 */
import { availableParallelism } from 'node:os';

export const CONCURRENCY_ENV = 'DER_CONCURRENCY';
const MAX_CONCURRENCY = 256;

export class ConcurrencyError extends Error {}

/** A positive whole number of runs, or a ConcurrencyError naming where the bad value came from. */
export function parseConcurrency(value: string | number, source: string): number {
  const text = String(value).trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    throw new ConcurrencyError(`${source} must be a whole number of runs from 1 to ${MAX_CONCURRENCY}, got "${text}"`);
  }
  return n;
}

/** The explicit setting, else DER_CONCURRENCY when set and not empty, else the cores this process may use. */
export function resolveConcurrency(explicit?: string | number, env: NodeJS.ProcessEnv = process.env): number {
  if (explicit !== undefined) return parseConcurrency(explicit, '--concurrency');
  const fromEnv = env[CONCURRENCY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseConcurrency(fromEnv, CONCURRENCY_ENV);
  return Math.max(1, availableParallelism());
}
