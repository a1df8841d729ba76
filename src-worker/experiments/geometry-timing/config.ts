/**
 * `geometry-timing`: time exact geometry algorithms behind preprocessors on seeded point sets (paper Table 2,
 * App. G.12–G.14). Light on purpose: main imports this file for the schema and presets only.
 */
import { z } from 'zod';
import type { ExperimentDefinition } from '../types';
import {
  ALGORITHMS_BY_TASK,
  DATASET_NAMES,
  GEOMETRY_TASKS,
  HULL_ALGORITHMS,
  PREPROCESSOR_NAMES,
} from '../../geometry/names';

/** App. G.14: fixed seeds 42, 123, 456, 789, 999. */
export const PAPER_SEEDS = [42, 123, 456, 789, 999];

/** A preprocessor trained by an entropynet-train run, named by that run's id. */
export const LEARNED_PREPROCESSOR = /^entropynet(-exact)?:([\w-]+)$/;

/** The runs whose trained model (model.bin) a config's preprocessors read. */
export function learnedRuns(preprocessors: readonly string[]): string[] {
  return [...new Set(preprocessors.map((p) => LEARNED_PREPROCESSOR.exec(p)?.[2]).filter((x): x is string => Boolean(x)))];
}

export const configSchema = z
  .strictObject({
    task: z.enum(GEOMETRY_TASKS).default('hull'),
    datasets: z.array(z.enum(DATASET_NAMES)).min(1).default(['uniform-square', 'parabolic', 'quickdraw-like']),
    sizes: z.array(z.number().int().min(3).max(10_000_000)).min(1).default([10_000]),
    /** Per task: hull → monotone | quickhull | chan | akl-toussaint | heuristic-sort | auto; delaunay →
     * delaunator; maxima3d → sweep | output-sensitive. */
    algorithms: z.array(z.string().min(1)).min(1).default(['chan']),
    /** Run in front of each algorithm and timed with it (§4: "timings … include preprocessor time"). */
    /** raw, heuristic-sort, or a trained EntropyNet: `entropynet:<runId>` (moves points) or
     * `entropynet-exact:<runId>` (keeps a certified subset; exact hull). */
    preprocessors: z
      .array(z.union([z.enum(PREPROCESSOR_NAMES), z.string().regex(LEARNED_PREPROCESSOR, 'entropynet:<runId> or entropynet-exact:<runId>')]))
      .min(1)
      .default(['raw', 'heuristic-sort']),
    seeds: z.array(z.number().int()).min(1).default(PAPER_SEEDS),
    /** Samples per case (§4: one thousand runs), capped by `budgetMs`. */
    repeats: z.number().int().min(1).max(100_000).default(1000),
    warmup: z.number().int().min(0).max(1000).default(5),
    /** Time budget per case (dataset × n × seed × method), in ms of measured time. */
    budgetMs: z.number().positive().max(600_000).default(2000),
  })
  .superRefine((cfg, ctx) => {
    const valid = ALGORITHMS_BY_TASK[cfg.task];
    cfg.algorithms.forEach((a, i) => {
      if (!valid.includes(a)) {
        ctx.addIssue({
          code: 'custom',
          path: ['algorithms', i],
          message: `"${a}" is not a ${cfg.task} algorithm (one of: ${valid.join(', ')})`,
        });
      }
    });
    cfg.preprocessors.forEach((p, i) => {
      // Exact mode certifies a convex hull; it says nothing about a triangulation or maxima of the kept points.
      if (cfg.task !== 'hull' && p.startsWith('entropynet-exact:')) {
        ctx.addIssue({ code: 'custom', path: ['preprocessors', i], message: `${p} is for task hull only (it certifies a hull, not a ${cfg.task})` });
      }
    });
  });

export type GeometryTimingConfig = z.infer<typeof configSchema>;

export const definition: ExperimentDefinition<typeof configSchema> = {
  kind: 'geometry-timing',
  title: 'Geometry timing (hull, Delaunay, 3-D maxima)',
  description:
    'Times exact convex hulls, Delaunay triangulation or 3-D maxima on seeded point sets, raw and behind ' +
    'preprocessors; reports mean ± 95% CI, speedup vs raw with CI, paired t-test p-values across seeds, hull ' +
    'error and Hausdorff distance (paper Table 2, App. G.12–G.14).',
  configSchema,
  presets: {
    Quick: {
      task: 'hull',
      datasets: ['uniform-square', 'parabolic'],
      sizes: [1000],
      algorithms: ['monotone', 'chan'],
      preprocessors: ['raw', 'heuristic-sort'],
      seeds: [42, 123, 456],
      repeats: 30,
      warmup: 2,
      budgetMs: 200,
    },
    // Table 2 rows: Synthetic (High) = uniform, Synthetic (Parabolic); Table 22 adds QuickDraw (Low). The
    // paper gives no n for Table 2; 10⁴ keeps the run within minutes. Rows with a trained EntropyNet
    // in front name it as `entropynet:<runId>` in `preprocess`.
    'Paper Table 2 (geometry only)': {
      task: 'hull',
      datasets: ['uniform-square', 'parabolic', 'quickdraw-like'],
      sizes: [10_000],
      algorithms: HULL_ALGORITHMS.filter((a) => a !== 'heuristic-sort'),
      preprocessors: ['raw', 'heuristic-sort'],
      seeds: PAPER_SEEDS,
      repeats: 1000,
      warmup: 5,
      budgetMs: 400,
    },
    'Delaunay (Table 23 scale)': {
      task: 'delaunay',
      datasets: ['uniform-square', 'parabolic'],
      sizes: [100_000],
      algorithms: ['delaunator'],
      preprocessors: ['raw', 'heuristic-sort'],
      seeds: PAPER_SEEDS,
      repeats: 50,
      warmup: 2,
      budgetMs: 3000,
    },
    // Table 23's hull baseline at n = 10⁶ (uniform points, Chan's algorithm; monotone chain beside it), with the
    // parabolic set as the hull-heavy case. Fewer samples than Table 2: each call takes a second or so here.
    'Hulls at 10^6 (Table 23 scale)': {
      task: 'hull',
      datasets: ['uniform-square', 'parabolic'],
      sizes: [1_000_000],
      algorithms: ['chan', 'monotone'],
      preprocessors: ['raw', 'heuristic-sort'],
      seeds: PAPER_SEEDS,
      repeats: 20,
      warmup: 2,
      budgetMs: 3000,
    },
    '3-D maxima': {
      task: 'maxima3d',
      datasets: ['uniform-square', 'gaussian-clusters'],
      sizes: [10_000],
      algorithms: ['sweep', 'output-sensitive'],
      preprocessors: ['raw'],
      seeds: PAPER_SEEDS,
      repeats: 100,
      warmup: 3,
      budgetMs: 500,
    },
  },
  timing: true,
  inputs: (config) => learnedRuns(config.preprocessors).map((runId) => ({ runId, name: 'model.bin' })),
};
