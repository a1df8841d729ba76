/**
 * The heavy half of `geometry-timing` (workers only).
 *
 * For every dataset × n × seed the point set is generated, normalised and de-duplicated (G.12), and every
 * method (preprocessor × algorithm) is timed with the preprocessor inside the timed call (§4). Each sample is
 * one `timings` row; each case's rows go out in one batch after its measurement, so emitting never disturbs a
 * sample. Quality (hull error, Hausdorff, h, precision/recall) is computed once per case from an untimed call:
 * the algorithms are deterministic.
 *
 * Summary per (task, dataset, n, algorithm, preprocess):
 *   - time: per-seed mean times; mean ± 95% Student-t CI across seeds (df = seeds − 1; with one seed, across
 *     that seed's samples), plus the median of all samples;
 *   - speedup vs raw (same algorithm): geometric mean of the per-seed ratios raw/method, with a 95% CI from the
 *     t-interval of the log ratios across seeds (paired by seed, so seed-to-seed variation in difficulty
 *     cancels); exp back-transforms keep the CI positive and asymmetric, as a ratio's should be;
 *   - p-value: paired t-test across seeds of per-seed mean times, method vs raw (G.13);
 *   - quality means across seeds.
 */
import type { ExperimentContext, ExperimentRun } from '../types';
import type { TimingRow } from '../../shared/protocol';
import { ciPositiveFromMoments } from '../../shared/stats';
import { learnedRuns, type GeometryTimingConfig } from './config';
import { table2Claims } from './claims';
import type { ModelTraining } from './claims';
import { configSchema as entropyNetConfigSchema } from '../entropynet-train/config';
import { trainingProtocol } from '../entropynet-train/protocol';
import { convexHull, isHullAlgorithm } from '../../geometry/hull/index';
import { delaunay } from '../../geometry/delaunay';
import { maxima3d, type Maxima3dAlgorithm } from '../../geometry/maxima';
import { generatePoints, generatePoints3d, preparePoints } from '../../geometry/points';
import { getPreprocessor, type Preprocessed } from '../../geometry/preprocess';
import {
  hausdorffBoundary,
  hausdorffPoints,
  hullErrorPercent,
  hullPolygon,
  hullVertexPrecisionRecall,
} from '../../geometry/metrics';
import { hostInfo, mean, median, pairedTTest, sampleSd, tCritical95, timeIt } from '../../geometry/timing';
import type { DatasetName, GeometryTask } from '../../geometry/names';
import type { GeometryCaseResult, GeometryTimingResult } from '../../shared/results/geometry-timing';

type Quality = Record<string, number | null>;

interface CaseResult {
  seed: number;
  samples: number[];
  quality: Quality;
}

/** One row of `summary.cases`: the shared result type, so the worker and the views cannot drift. */
export type MethodSummary = GeometryCaseResult;

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Between measurements, never inside one: waits until everything reported so far has been written to main,
 * then reads main's messages (a cancel ends the run here). The preview of a large set is about a megabyte; with
 * one turn of the event loop per case it left one pipe's worth per case, and the progress and rows behind it
 * reached main near the end of the run.
 */
async function settle(ctx: ExperimentContext): Promise<void> {
  await ctx.written?.();
  await ctx.tick();
}

/**
 * A case whose calls take seconds (an EntropyNet on 10⁶ points: tens of seconds per call here) reports between
 * its calls, at most this often; the report is a synchronous send of a few hundred bytes into a pipe that
 * `settle` left empty. A case of fast calls ends before its first report.
 */
const CASE_REPORT_MS = 1000;

/** The timed call: preprocess, then run the algorithm. Returns the output indices (positions in pre.points). */
function runTask(task: GeometryTask, algorithm: string, pre: Preprocessed): Uint32Array {
  if (task === 'hull') {
    if (!isHullAlgorithm(algorithm)) throw new RangeError(`unknown hull algorithm ${algorithm}`);
    return convexHull(pre.points, algorithm);
  }
  if (task === 'delaunay') return delaunay(pre.points).triangles;
  return maxima3d(pre.points, algorithm as Maxima3dAlgorithm);
}

function mapBack(idx: Uint32Array, order: Uint32Array | null): Uint32Array {
  if (!order) return idx;
  const out = new Uint32Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = order[idx[k]];
  return out;
}

interface Reference {
  hull: Uint32Array;
  polygon: Float64Array;
  maxima: Uint32Array | null;
}

function qualityOf(
  task: GeometryTask, algorithm: string, points: Float64Array, pre: Preprocessed, exact: boolean, ref: Reference,
): Quality {
  const count = task === 'maxima3d' ? points.length / 3 : points.length / 2;
  if (task === 'maxima3d') {
    const out = mapBack(maxima3d(pre.points, algorithm as Maxima3dAlgorithm), pre.order);
    const pr = hullVertexPrecisionRecall(ref.maxima ?? new Uint32Array(0), out);
    return { h: out.length, precision: pr.precision, recall: pr.recall, points: count };
  }
  let hullLocal: Uint32Array;
  let triangles: number | null = null;
  if (task === 'hull') hullLocal = runTask(task, algorithm, pre);
  else {
    const d = delaunay(pre.points);
    hullLocal = d.hull;
    triangles = d.triangles.length / 3;
  }
  const polygon = hullPolygon(pre.points, hullLocal);
  const hull = mapBack(hullLocal, pre.order);
  const pr = hullVertexPrecisionRecall(ref.hull, hull);
  // The same vertex set is the same polygon: no geometry needed (the common case, and h can be 10⁶).
  const sameVertices = pr.truePositives === hull.length && pr.truePositives === ref.hull.length;
  const q: Quality = {
    h: hull.length,
    hullErrorPct: sameVertices ? 0 : finite(hullErrorPercent(ref.polygon, polygon)),
    hausdorff: sameVertices ? 0 : finite(hausdorffBoundary(ref.polygon, polygon)),
    hausdorffPoints: exact ? 0 : finite(hausdorffPoints(points, pre.points)),
    precision: pr.precision,
    recall: pr.recall,
    points: count,
  };
  if (triangles !== null) q.triangles = triangles;
  return q;
}

function previewArtifact(ctx: ExperimentContext, dataset: string, n: number, seed: number, points: Float64Array, hull: Uint32Array): void {
  const count = points.length >> 1;
  const stride = Math.max(1, Math.ceil(count / 20_000));
  const sampled: number[] = [];
  for (let i = 0; i < count; i += stride) sampled.push(points[2 * i], points[2 * i + 1]);
  const hullXY = Array.from(hullPolygon(points, hull));
  const body = JSON.stringify({ dataset, n, seed, count, stride, points: sampled, hull: hullXY, hullIndices: Array.from(hull) });
  ctx.artifact('preview.json', 'application/json', new TextEncoder().encode(body), {
    dataset, n, seed, points: sampled.length / 2, hullVertices: hull.length,
  });
}

function summarise(
  task: GeometryTask, dataset: string, n: number, algorithm: string, preprocess: string,
  results: CaseResult[], raw: CaseResult[] | undefined,
): MethodSummary {
  const perSeed = results.map((r) => mean(r.samples));
  const all = results.flatMap((r) => r.samples);
  const across = perSeed.length >= 2 ? perSeed : all;
  const m = mean(across);
  const sd = sampleSd(across);
  const half = across.length >= 2 ? (tCritical95(across.length - 1) * sd) / Math.sqrt(across.length) : NaN;
  const positiveCi = across.every((v) => v > 0) ? ciPositiveFromMoments(m, sd, across.length) : null;

  let speedup: number | null = null;
  let speedupCi: [number | null, number | null] = [null, null];
  let t: number | null = null;
  let p: number | null = null;
  if (raw && raw.length === results.length) {
    const rawPerSeed = raw.map((r) => mean(r.samples));
    const logs = rawPerSeed.map((rm, i) => Math.log(rm / perSeed[i]));
    const lm = mean(logs);
    speedup = finite(Math.exp(lm));
    if (logs.length >= 2) {
      const lh = (tCritical95(logs.length - 1) * sampleSd(logs)) / Math.sqrt(logs.length);
      speedupCi = [finite(Math.exp(lm - lh)), finite(Math.exp(lm + lh))];
      const test = pairedTTest(perSeed, rawPerSeed);
      t = finite(test.t);
      p = finite(test.p);
    }
  }
  const q = (key: string): number | null => {
    const vs = results.map((r) => r.quality[key]).filter((v): v is number => typeof v === 'number');
    return vs.length ? finite(mean(vs)) : null;
  };
  let algorithmSpeedup: number | null = null;
  let algorithmSpeedupCi: [number | null, number | null] = [null, null];
  const algPerSeed = results.map((r) => r.quality.algorithmMs);
  if (raw && raw.length === results.length && algPerSeed.every((v): v is number => typeof v === 'number' && v > 0)) {
    // Geometric mean of per-seed ratios with a t-interval on their logs, as for the end-to-end speedup.
    const logs = raw.map((r, i) => Math.log(mean(r.samples) / (algPerSeed[i] as number)));
    const lm = mean(logs);
    algorithmSpeedup = finite(Math.exp(lm));
    if (logs.length >= 2) {
      const lh = (tCritical95(logs.length - 1) * sampleSd(logs)) / Math.sqrt(logs.length);
      algorithmSpeedupCi = [finite(Math.exp(lm - lh)), finite(Math.exp(lm + lh))];
    }
  }
  return {
    task, dataset, n, algorithm, preprocess,
    method: `${preprocess}+${algorithm}`,
    seeds: results.map((r) => r.seed),
    samples: all.length,
    truncatedCases: 0,
    perSeedMeanMs: perSeed,
    meanMs: finite(m),
    // A time cannot go below zero: the interval is the log-space (delta-method) one around the mean.
    ci95Ms: positiveCi ? [finite(positiveCi[0]), finite(positiveCi[1])] : [finite(m - half), finite(m + half)],
    medianMs: finite(median(all)),
    sdMs: finite(sd),
    speedup,
    speedupCi95: speedupCi,
    tVsRaw: t,
    pValueVsRaw: p,
    hullErrorPct: q('hullErrorPct'),
    hausdorff: q('hausdorff'),
    hausdorffPoints: q('hausdorffPoints'),
    h: q('h'),
    precision: q('precision'),
    recall: q('recall'),
    points: q('points'),
    algorithmOnlyMs: q('algorithmMs'),
    algorithmSpeedup,
    algorithmSpeedupCi95: algorithmSpeedupCi,
  };
}

/**
 * How a model.bin's recorded config trained it (model.bin files of earlier builds record none): its scale, and
 * the paper's settings it changed when the config still reads as this build's.
 */
function modelTrainingOf(config: unknown, training: { epoch: number } | undefined): ModelTraining | null {
  if (typeof config !== 'object' || config === null) return null;
  const { n, trainSets, epochs } = config as Record<string, unknown>;
  if (typeof n !== 'number' || typeof trainSets !== 'number' || typeof epochs !== 'number') return null;
  const parsed = entropyNetConfigSchema.safeParse(config);
  const ran = training && Number.isInteger(training.epoch) ? { epochsRun: training.epoch + 1 } : {};
  return parsed.success ? { n, trainSets, epochs, changed: trainingProtocol(parsed.data).changed, ...ran } : { n, trainSets, epochs, ...ran };
}

export const run: ExperimentRun<GeometryTimingConfig, GeometryTimingResult> = async (config, ctx) => {
  const host = hostInfo();
  const modelScales = new Map<string, ModelTraining | null>();
  const learned = learnedRuns(config.preprocessors);
  if (learned.length > 0) {
    // A trained EntropyNet in front of the algorithm: its forward pass runs on tfjs, so record that backend.
    const [{ initBackend }, { registerEntropyNetPreprocessors }, { decodeCheckpoint }] = await Promise.all([
      import('../../models/backend'),
      import('../../models/entropynet-preprocessor'),
      import('../../models/checkpoint'),
    ]);
    const info = await initBackend();
    ctx.backend(info.name, { ...info, geometry: 'js-cpu' });
    for (const runId of learned) {
      const bytes = ctx.input(runId, 'model.bin');
      registerEntropyNetPreprocessors(runId, bytes);
      const checkpoint = decodeCheckpoint(bytes);
      modelScales.set(runId, modelTrainingOf(checkpoint.config, checkpoint.training));
    }
  } else ctx.backend('js-cpu', { ...host });
  ctx.log(`host: ${host.cpuModel}, ${host.cores} cores, node ${host.node}`);
  const task = config.task;
  const dims = task === 'maxima3d' ? 3 : 2;
  const methods = config.preprocessors.flatMap((pre) => config.algorithms.map((alg) => ({ pre, alg })));
  const totalCases = config.datasets.length * config.sizes.length * config.seeds.length * methods.length;
  const results = new Map<string, CaseResult[]>();
  const truncated = new Map<string, number>();
  const key = (dataset: string, n: number, alg: string, pre: string): string => `${dataset}|${n}|${alg}|${pre}`;
  let done = 0;
  let previewSent = false;

  for (const dataset of config.datasets as DatasetName[]) {
    for (const n of config.sizes) {
      for (const seed of config.seeds) {
        await settle(ctx);
        const generated = dims === 3 ? generatePoints3d(dataset, n, seed) : generatePoints(dataset, n, seed);
        const points = preparePoints(generated, dims).points;
        const refHull = dims === 2 ? convexHull(points, 'monotone') : new Uint32Array(0);
        const ref: Reference = {
          hull: refHull,
          polygon: dims === 2 ? hullPolygon(points, refHull) : new Float64Array(0),
          maxima: dims === 3 ? maxima3d(points, 'sweep') : null,
        };
        if (!previewSent && dims === 2) {
          previewArtifact(ctx, dataset, n, seed, points, refHull);
          previewSent = true;
        }
        for (const { pre, alg } of methods) {
          await settle(ctx);
          const label = `${dataset} n=${n} seed=${seed} ${pre}+${alg}`;
          let reportedAt = performance.now();
          let longestMs = 0;
          const between = (stage: string) => (warmupCalls: number, taken: number, lastMs: number): void => {
            longestMs = Math.max(longestMs, lastMs);
            const now = performance.now();
            if (now - reportedAt < CASE_REPORT_MS) return;
            reportedAt = now;
            const call = taken === 0 ? `warm-up call ${warmupCalls}` : `sample ${taken} of at most ${config.repeats}`;
            ctx.progress(done / totalCases, `${label}: ${stage}${call} (${(lastMs / 1000).toFixed(1)} s per call)`);
          };
          const preprocessor = getPreprocessor(pre);
          const { samples, truncated: cut } = timeIt(() => runTask(task, alg, preprocessor.apply(points, dims)), {
            warmup: config.warmup,
            repeats: config.repeats,
            budgetMs: config.budgetMs,
            signal: ctx.signal,
            afterCall: between(''),
          });
          // Untimed: one more call, then the output's hull error and distances to the input (3 minutes together
          // for an EntropyNet at 10⁶ here, calls of 30–50 s, load 6–11). A log line, since a progress report right
          // after the last sample's is dropped by the worker's 100 ms progress interval; only where calls took
          // 10 s or more, so a preset of 40 cases of 1-second calls does not log 40 lines.
          if (longestMs >= 10 * CASE_REPORT_MS) ctx.log(`${label}: ${samples.length} samples taken; now the output's hull error and distances (untimed)`);
          const prepared = preprocessor.apply(points, dims);
          const quality = qualityOf(task, alg, points, prepared, preprocessor.exact, ref);
          // The same algorithm on the already-preprocessed points: its own time, apart from the preprocessor's.
          quality.algorithmMs =
            pre === 'raw'
              ? mean(samples)
              : mean(
                  timeIt(() => runTask(task, alg, prepared), {
                    warmup: config.warmup,
                    repeats: config.repeats,
                    budgetMs: config.budgetMs,
                    signal: ctx.signal,
                    afterCall: between('algorithm alone, '),
                  }).samples,
                );
          const rows: TimingRow[] = samples.map((ms, repeat) => ({
            task, dataset, n, algorithm: alg, preprocess: pre, seed, repeat, ms, quality,
          }));
          ctx.timing(rows);
          const k = key(dataset, n, alg, pre);
          if (!results.has(k)) results.set(k, []);
          results.get(k)!.push({ seed, samples, quality });
          if (cut) truncated.set(k, (truncated.get(k) ?? 0) + 1);
          done++;
          ctx.progress(done / totalCases, `${dataset} n=${n} seed=${seed} ${pre}+${alg}: ${samples.length} samples`);
        }
      }
    }
  }

  const cases: MethodSummary[] = [];
  for (const dataset of config.datasets) {
    for (const n of config.sizes) {
      for (const { pre, alg } of methods) {
        const k = key(dataset, n, alg, pre);
        const rs = results.get(k) ?? [];
        const raw = pre === 'raw' ? undefined : results.get(key(dataset, n, alg, 'raw'));
        const s = summarise(task, dataset, n, alg, pre, rs, pre === 'raw' ? rs : raw);
        s.truncatedCases = truncated.get(k) ?? 0;
        if (pre === 'raw') {
          s.speedup = 1;
          s.speedupCi95 = [1, 1];
          s.tVsRaw = null;
          s.pValueVsRaw = null;
          s.algorithmSpeedup = 1;
          s.algorithmSpeedupCi95 = [1, 1];
        }
        cases.push(s);
      }
    }
  }
  return { host: { ...host }, cases, claims: table2Claims(cases, (runId) => modelScales.get(runId) ?? null) };
};
