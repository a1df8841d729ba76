/**
 * Pipeline evaluation (paper Table 2, §4 "timings … include preprocessor time"): on held-out
 * point sets, time
 *   raw               hull(S)
 *   entropynet        EntropyNet forward (S → S′) + hull(S′)                       (perturbing, the paper's)
 *   entropynet-exact  forward + keep rule + hull(kept) + certificate (exact-mode.ts) (ours, error 0)
 * and report preprocessing, algorithm and end-to-end times, the end-to-end and the algorithm-only speedups
 * SEPARATELY (the forward costs ~10 µs per point on wasm while a hull costs ~0.1 µs per point, so the two
 * can tell opposite stories), hull error % and Hausdorff, each with a 95% Student-t CI over the seeds.
 *
 * Timing protocol. Raw and algorithm-only use the geometry lab's `timeIt` (warm-up, repeats capped by the
 * budget) on the fixed input: hull(S) and hull(S′) (exact mode: certified hull from the fixed keep set), so
 * the algorithm-only speedup compares like with like. End-to-end is measured per repeat as one pass of the
 * pipeline — forward (+ keep rule), then each algorithm on its output, two contiguous measurements with
 * nothing in between; the forward does not depend on the algorithm, so one forward serves the algorithms of
 * that repeat. A row's `ms` is that repeat's end-to-end time; `quality.preprocess_ms` / `algorithm_ms` are its
 * two parts (the algorithm part right after a forward can be slower than the warm algorithm-only time).
 * Rows: TimingRow with task 'hull'; `quality` holds hull_error_pct, hausdorff (hull boundaries),
 * hausdorff_points, h, preprocess_ms, algorithm_ms, and for exact mode certified, kept_fraction, matches_raw.
 */
import type { TimingRow } from '../../shared/protocol';
import { FRACTION, NON_NEGATIVE, boundedEstimate, positiveEstimate, type SeedEstimate } from '../../shared/stats';
import type { EntropyNet } from '../../models/entropynet';
import { convexHull, type HullAlgorithm } from '../../geometry/hull/index';
import { generatePoints, preparePoints, type DatasetName } from '../../geometry/points';
import { hausdorffBoundary, hausdorffPoints, hullErrorPercent, hullPolygon } from '../../geometry/metrics';
import { mean, timeIt } from '../../geometry/timing';
import { exactHullFromKeep, selectKeep, type KeepOptions } from '../../geometry/exact-mode';
import { moveWithEntropyNet } from '../../models/entropynet-preprocessor';

export interface PipelineOptions {
  datasets: readonly DatasetName[];
  sizes: readonly number[];
  algorithms: readonly HullAlgorithm[];
  seeds: readonly number[];
  repeats: number;
  warmup: number;
  /** Measured-time budget per (dataset, n, seed, mode), ms. */
  budgetMs: number;
  exact: boolean;
  keep: KeepOptions;
  signal?: AbortSignal;
  /** Called with each batch of rows as soon as they are measured. */
  emit?: (rows: TimingRow[]) => void;
  progress?: (fraction: number, message: string) => void;
}

export type PipelineMode = 'entropynet' | 'entropynet-exact';

/** In memory (NaN allowed), from shared/stats; checked against the result schema where the run returns it. */
export type Estimate = SeedEstimate;

export type PipelineSummaryRow = {
  dataset: string;
  n: number;
  algorithm: string;
  mode: PipelineMode;
  raw_ms: Estimate;
  preprocess_ms: Estimate;
  algorithm_ms: Estimate;
  end_to_end_ms: Estimate;
  /** raw / (forward + algorithm), per seed, then mean and CI over seeds. */
  end_to_end_speedup: Estimate;
  /** raw / algorithm on the network's output (both warm, `timeIt`), per seed. */
  algorithm_speedup: Estimate;
  /** Warm algorithm-only time on the network's output. */
  algorithm_warm_ms: Estimate;
  hull_error_pct: Estimate;
  hausdorff: Estimate;
  /** Exact mode: fraction of sets whose certificate held (no fallback), and whether every hull equalled raw. */
  certified_fraction?: number;
  all_match_raw?: boolean;
  kept_fraction?: Estimate;
};

function sameArray(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

interface SeedRecord {
  raw: number;
  pre: number;
  alg: number;
  warm: number;
  e2e: number;
  err: number;
  haus: number;
  certified?: boolean;
  match?: boolean;
  kept?: number;
}

/** Run the evaluation (see module comment); returns one summary row per (dataset, n, algorithm, mode). */
export function evaluatePipeline(model: EntropyNet, options: PipelineOptions): PipelineSummaryRow[] {
  const modes: PipelineMode[] = options.exact ? ['entropynet', 'entropynet-exact'] : ['entropynet'];
  const records = new Map<string, SeedRecord[]>();
  const keyOf = (ds: string, n: number, alg: string, mode: string): string => `${ds}|${n}|${alg}|${mode}`;
  const total = options.datasets.length * options.sizes.length * options.seeds.length;
  let done = 0;
  for (const dataset of options.datasets) {
    for (const size of options.sizes) {
      for (const seed of options.seeds) {
        if (options.signal?.aborted) throw new Error('cancelled');
        options.progress?.(done / total, `pipeline ${dataset} n=${size} seed=${seed}`);
        const points = preparePoints(generatePoints(dataset, size, seed)).points;
        const n = points.length >> 1;
        const rows: TimingRow[] = [];
        const rawMean = new Map<string, number>();
        const rawHull = new Map<string, Uint32Array>();
        const refHull = convexHull(points, 'monotone');
        const refPoly = hullPolygon(points, refHull);

        for (const alg of options.algorithms) {
          rawHull.set(alg, convexHull(points, alg));
          const { samples } = timeIt(() => convexHull(points, alg), {
            warmup: options.warmup, repeats: options.repeats, budgetMs: options.budgetMs, signal: options.signal,
          });
          rawMean.set(alg, mean(samples));
          samples.forEach((ms, repeat) => {
            rows.push({
              task: 'hull', dataset, n, algorithm: alg, preprocess: 'raw', seed, repeat, ms,
              quality: { hull_error_pct: 0, hausdorff: 0, hausdorff_points: 0, h: refHull.length, preprocess_ms: 0, algorithm_ms: ms },
            });
          });
        }

        for (const mode of modes) {
          // Quality is deterministic: computed once, outside the timed region.
          const moved = moveWithEntropyNet(model, points);
          const keep = mode === 'entropynet-exact' ? selectKeep(points, moved, options.keep) : null;
          const quality = new Map<string, Record<string, number | null>>();
          for (const alg of options.algorithms) {
            if (keep) {
              const res = exactHullFromKeep(points, keep, alg);
              const poly = hullPolygon(points, res.hull);
              quality.set(alg, {
                hull_error_pct: finiteOrNull(hullErrorPercent(refPoly, poly)),
                hausdorff: finiteOrNull(hausdorffBoundary(refPoly, poly)),
                hausdorff_points: 0,
                h: res.hull.length,
                certified: res.certified ? 1 : 0,
                kept_fraction: res.kept / n,
                matches_raw: sameArray(res.hull, rawHull.get(alg) as Uint32Array) ? 1 : 0,
              });
            } else {
              const hull = convexHull(moved, alg);
              const poly = hullPolygon(moved, hull);
              quality.set(alg, {
                hull_error_pct: finiteOrNull(hullErrorPercent(refPoly, poly)),
                hausdorff: finiteOrNull(hausdorffBoundary(refPoly, poly)),
                hausdorff_points: finiteOrNull(hausdorffPoints(points, moved)),
                h: hull.length,
              });
            }
          }
          const warm = new Map<string, number>();
          for (const a of options.algorithms) {
            const run = keep ? () => exactHullFromKeep(points, keep, a) : () => convexHull(moved, a);
            const { samples } = timeIt(run, { warmup: options.warmup, repeats: options.repeats, budgetMs: options.budgetMs, signal: options.signal });
            warm.set(a, mean(samples));
          }
          const pre: number[] = [];
          const alg: Map<string, number[]> = new Map(options.algorithms.map((a) => [a, []]));
          let spent = 0;
          for (let r = -Math.min(1, options.warmup); r < options.repeats; r++) {
            if (r >= 3 && (spent >= options.budgetMs || options.signal?.aborted)) break;
            const t0 = performance.now();
            const out = moveWithEntropyNet(model, points);
            const k = mode === 'entropynet-exact' ? selectKeep(points, out, options.keep) : null;
            const t1 = performance.now();
            let repeatMs = t1 - t0;
            for (const a of options.algorithms) {
              const s0 = performance.now();
              if (k) exactHullFromKeep(points, k, a);
              else convexHull(out, a);
              const ms = performance.now() - s0;
              repeatMs += ms;
              if (r >= 0) (alg.get(a) as number[]).push(ms);
            }
            if (r < 0) continue;
            pre.push(t1 - t0);
            spent += repeatMs;
          }
          for (const a of options.algorithms) {
            const q = quality.get(a) as Record<string, number | null>;
            const algSamples = alg.get(a) as number[];
            algSamples.forEach((ms, repeat) => {
              rows.push({
                task: 'hull', dataset, n, algorithm: a, preprocess: mode, seed, repeat, ms: pre[repeat] + ms,
                quality: { ...q, preprocess_ms: pre[repeat], algorithm_ms: ms },
              });
            });
            const raw = rawMean.get(a) as number;
            const record: SeedRecord = {
              raw,
              pre: mean(pre),
              alg: mean(algSamples),
              warm: warm.get(a) as number,
              e2e: mean(pre) + mean(algSamples),
              err: q.hull_error_pct ?? NaN,
              haus: q.hausdorff ?? NaN,
            };
            if (mode === 'entropynet-exact') {
              record.certified = q.certified === 1;
              record.match = q.matches_raw === 1;
              record.kept = q.kept_fraction ?? NaN;
            }
            const key = keyOf(dataset, size, a, mode);
            records.set(key, [...(records.get(key) ?? []), record]);
          }
        }
        options.emit?.(rows);
        done++;
      }
    }
  }

  const summary: PipelineSummaryRow[] = [];
  for (const dataset of options.datasets) {
    for (const size of options.sizes) {
      for (const a of options.algorithms) {
        for (const mode of modes) {
          const recs = records.get(keyOf(dataset, size, a, mode)) ?? [];
          const row: PipelineSummaryRow = {
            dataset, n: size, algorithm: a, mode,
            raw_ms: positiveEstimate(recs.map((r) => r.raw), 'mean'),
            preprocess_ms: positiveEstimate(recs.map((r) => r.pre), 'mean'),
            algorithm_ms: positiveEstimate(recs.map((r) => r.alg), 'mean'),
            end_to_end_ms: positiveEstimate(recs.map((r) => r.e2e), 'mean'),
            end_to_end_speedup: positiveEstimate(recs.map((r) => r.raw / r.e2e), 'geometric'),
            algorithm_speedup: positiveEstimate(recs.map((r) => r.raw / r.warm), 'geometric'),
            algorithm_warm_ms: positiveEstimate(recs.map((r) => r.warm), 'mean'),
            hull_error_pct: boundedEstimate(recs.map((r) => r.err), NON_NEGATIVE),
            hausdorff: boundedEstimate(recs.map((r) => r.haus), NON_NEGATIVE),
          };
          if (mode === 'entropynet-exact') {
            row.certified_fraction = recs.filter((r) => r.certified).length / Math.max(1, recs.length);
            row.all_match_raw = recs.every((r) => r.match);
            row.kept_fraction = boundedEstimate(recs.map((r) => r.kept ?? NaN), FRACTION);
          }
          summary.push(row);
        }
      }
    }
  }
  return summary;
}
