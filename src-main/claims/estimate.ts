/**
 * How long a reproduction step should take on this machine, from what finished runs here measured:
 *
 * 1. a finished run of the same config: the median of their wall times;
 * 2. a sweep: the sum of its children's estimates (each child's config built as the sweep builds it);
 * 3. geometry-timing: per-call costs measured by earlier runs (ms per n·log₂n point, per task, algorithm and
 *    preprocessor) times the calls the config makes: warm-up and samples per case and seed, capped by its
 *    budget as the timer caps them, plus a few calls' worth per case for data and the reference hull. A step
 *    timing a trained model (`entropynet:<run id>`) takes the wall time of the same config with another model;
 *    without one it has no per-call estimate (the network's forward pass and the untimed quality step after
 *    the samples are in no hull's cost: Table 23's step took 2310 s here where raw hull costs gave 76 s);
 * 4. entropynet-train: the median training seconds per epoch · set · point, and evaluation seconds per evaluated
 *    point, of earlier runs, scaled to the config (an upper bound: early stopping can end training sooner);
 * 5. otherwise: the median wall time of other configs of the kind (or the plan's default, whichever is larger).
 */
import type { JsonObject, Run } from '../api/contract';
import { experiments } from '../../src-worker/experiments/registry';
import { expandGrid, withKey } from '../../src-worker/experiments/sweep/config';

export interface Estimate {
  seconds: number;
  from: string;
}

/** Key-order-independent JSON, so that a config read back from the database compares equal. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

const wallSeconds = (r: Run): number | null => (r.startedAt !== null && r.endedAt !== null ? (r.endedAt - r.startedAt) / 1000 : null);
const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];
const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const nums = (v: unknown): number[] => arr(v).filter((x): x is number => typeof x === 'number');
const nlogn = (n: number): number => n * Math.log2(Math.max(2, n));
const plural = (k: number, w: string): string => `${k} ${w}${k === 1 ? '' : 's'}`;

/** Calls' worth of time per case and seed beyond the timed ones: the point set, the reference hull, the error metrics. */
const SETUP_CALLS = 5;
/** The timer's floor of samples when the budget runs out (shared/timing's minRepeats). */
const MIN_SAMPLES = 3;

/** A preprocessor that runs a trained model: `entropynet:<run id>` or `entropynet-exact:<run id>`. */
const MODEL_PREPROCESSOR = /^(entropynet(?:-exact)?):.+$/;
const timesModel = (config: JsonObject): boolean => arr(config.preprocessors).some((p) => typeof p === 'string' && MODEL_PREPROCESSOR.test(p));
/** The config with its models' run ids dropped: the same step with another trained model. */
const withoutModel = (config: JsonObject): string =>
  stableJson({ ...config, preprocessors: arr(config.preprocessors).map((p) => (typeof p === 'string' ? p.replace(MODEL_PREPROCESSOR, '$1') : p)) });

function geometryEstimate(config: JsonObject, done: readonly Run[]): Estimate | null {
  if (timesModel(config)) return null;
  const task = String(config.task ?? 'hull');
  const costs = new Map<string, number[]>();
  for (const r of done) {
    if (r.kind !== 'geometry-timing') continue;
    for (const c of arr(r.summary?.cases)) {
      const k = c as Record<string, unknown>;
      if (k.task !== task || typeof k.meanMs !== 'number' || typeof k.n !== 'number' || k.n < 2) continue;
      // A trained model's cases are no estimate of a step without one (their calls are mostly the network).
      if (typeof k.preprocess === 'string' && MODEL_PREPROCESSOR.test(k.preprocess)) continue;
      for (const key of [`${k.algorithm}/${k.preprocess}`, '*']) costs.set(key, [...(costs.get(key) ?? []), k.meanMs / nlogn(k.n)]);
    }
  }
  const any = costs.get('*');
  if (!any?.length) return null;
  const budget = num(config.budgetMs, 2000);
  const repeats = num(config.repeats, 1000);
  const warmup = num(config.warmup, 5);
  const seeds = arr(config.seeds).length || 1;
  let ms = 0;
  for (const alg of arr(config.algorithms)) {
    for (const pre of arr(config.preprocessors)) {
      const c = median(costs.get(`${alg}/${pre}`) ?? any);
      for (const n of nums(config.sizes)) {
        const t = c * nlogn(n);
        // Warm-up runs at least `warmup` calls and until the time per call is steady, bounded by the budget.
        const warm = Math.min(budget, Math.max(warmup, 10) * t);
        const timed = Math.max(MIN_SAMPLES * t, Math.min(repeats * t, budget));
        ms += arr(config.datasets).length * seeds * (warm + timed + SETUP_CALLS * t);
      }
    }
  }
  return { seconds: ms / 1000, from: `per-call costs measured by ${plural(done.filter((r) => r.kind === 'geometry-timing').length, 'finished geometry-timing run')} (${task}), times the calls of this config` };
}

function entropyNetEstimate(config: JsonObject, done: readonly Run[]): Estimate | null {
  const refs = done.filter((r) => r.kind === 'entropynet-train' && typeof r.summary?.train_time_s === 'number' && wallSeconds(r) !== null);
  if (refs.length === 0) return null;
  const train = (c: JsonObject): number => num(c.epochs, 200) * num(c.trainSets, 1024) * num(c.n, 1024);
  const evalWork = (c: JsonObject): number =>
    nums(c.evalSizes).reduce((a, n) => a + nlogn(n), 0) * (arr(c.evalSeeds).length || 5) * (arr(c.evalDatasets).length || 2) * (arr(c.evalAlgorithms).length || 3) * (num(c.evalRepeats, 20) + num(c.evalWarmup, 2));
  // Medians over the runs here: a run that shared the machine with others costs more per unit than one alone.
  const trainRate = median(refs.map((r) => num(r.summary?.train_time_s, 0) / train(r.config)));
  const evalRate = median(refs.map((r) => Math.max(0, wallSeconds(r)! - num(r.summary?.train_time_s, 0)) / Math.max(1, evalWork(r.config))));
  const seconds = trainRate * train(config) + evalRate * evalWork(config);
  return { seconds, from: `median training cost per epoch · set · point and evaluation cost per point of ${plural(refs.length, 'finished entropynet-train run')}, scaled to this config (an upper bound: early stopping may end sooner)` };
}

/** The configs of a sweep's children, built as the sweep builds them (preset, then base, then the grid point). */
function sweepChildren(config: JsonObject): Array<{ kind: string; config: JsonObject }> | null {
  const def = experiments.find((e) => e.kind === config.kind);
  if (!def) return null;
  const presetName = typeof config.preset === 'string' ? Object.keys(def.presets).find((k) => k.toLowerCase() === String(config.preset).toLowerCase()) : undefined;
  const start = { ...(presetName ? def.presets[presetName] : {}), ...((config.base as JsonObject | undefined) ?? {}) };
  const grid = (config.grid ?? {}) as Record<string, unknown[]>;
  const variants = arr(config.variants) as Array<Record<string, unknown>>;
  return expandGrid(grid, variants).map((params) => {
    let c: Record<string, unknown> = start;
    for (const [k, v] of Object.entries(params)) if (k !== 'variant') c = withKey(c, k, v);
    const parsed = def.configSchema.safeParse(c);
    return { kind: def.kind, config: (parsed.success ? parsed.data : c) as JsonObject };
  });
}

export function estimateStep(kind: string, config: JsonObject, runs: readonly Run[], guessSeconds: number): Estimate {
  const done = runs.filter((r) => r.status === 'done');
  const key = stableJson(config);
  const same = done.filter((r) => r.kind === kind && stableJson(r.config) === key).map(wallSeconds).filter((s): s is number => s !== null);
  if (same.length) return { seconds: median(same), from: `median of ${plural(same.length, 'finished run')} of this config` };
  const model = kind === 'geometry-timing' && timesModel(config);
  if (model) {
    const key2 = withoutModel(config);
    const other = done.filter((r) => r.kind === kind && withoutModel(r.config) === key2).map(wallSeconds).filter((s): s is number => s !== null);
    if (other.length) return { seconds: median(other), from: `median of ${plural(other.length, 'finished run')} of this config with another trained model` };
  }
  if (kind === 'sweep') {
    const children = sweepChildren(config);
    if (children?.length) {
      const parts = children.map((c) => estimateStep(c.kind, c.config, runs, guessSeconds / children.length));
      return { seconds: parts.reduce((a, p) => a + p.seconds, 0), from: `sum over ${`${children.length} ${children.length === 1 ? 'child' : 'children'}`}: ${[...new Set(parts.map((p) => p.from))].join('; ')}` };
    }
  }
  const scaled = kind === 'geometry-timing' ? geometryEstimate(config, done) : kind === 'entropynet-train' ? entropyNetEstimate(config, done) : null;
  if (scaled) return scaled;
  const kindTimes = done.filter((r) => r.kind === kind).map(wallSeconds).filter((s): s is number => s !== null);
  const why = model ? 'a trained model\'s forward pass is in no measured per-call cost: ' : '';
  if (kindTimes.length) return { seconds: Math.max(guessSeconds, median(kindTimes)), from: `${why}${plural(kindTimes.length, `finished ${kind} run`)} of other configs (the larger of theirs and the default)` };
  return { seconds: guessSeconds, from: `${why}default estimate (no finished run of this kind here)` };
}
