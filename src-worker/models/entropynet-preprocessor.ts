/**
 * A trained EntropyNet as a geometry preprocessor: `entropynet:<runId>` moves the points (S′ = S + tanh(Δ)·σ,
 * inference mode, in chunks), `entropynet-exact:<runId>` keeps only the points the network places near its
 * hull and certifies them (geometry/exact-mode.ts). It lives with the models because geometry/ knows no tfjs.
 *
 * Input: the bytes of a training run's `model.bin` (or any of its checkpoints). The network was trained on
 * point sets normalised to [0, 1]² (App. G.12); by default the input is mapped there per axis (min–max, the
 * same map as `normalizeUnitSquare`), moved, and mapped back, so σ is a fraction of each axis' range.
 */
import { exactHullFromKeep, selectKeep, type ExactHullResult, type KeepOptions } from '../geometry/exact-mode';
import type { HullAlgorithm } from '../geometry/hull/index';
import { registerPreprocessor, type Preprocessor } from '../geometry/preprocess';
import { decodeCheckpoint } from './checkpoint';
import { EntropyNet } from './entropynet';

export interface EntropyNetInferenceOptions {
  /** Points per inference chunk (default 16384). */
  chunk?: number;
  /** Map the input to [0, 1]² per axis before the network and back after (default true). */
  normalize?: boolean;
}

/** Network from `model.bin` / checkpoint bytes (weights and running batch-norm statistics). */
export function loadEntropyNet(bytes: Uint8Array): EntropyNet {
  const c = decodeCheckpoint(bytes);
  const model = new EntropyNet(c.model);
  try {
    model.load(c.weights);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}

/** S′ for planar points `[x0, y0, …]` (Float64 in, Float64 out); see module comment for `normalize`. */
export function moveWithEntropyNet(model: EntropyNet, points: Float64Array, options: EntropyNetInferenceOptions = {}): Float64Array {
  const n = points.length >> 1;
  const out = new Float64Array(points.length);
  if (n === 0) return out;
  if (options.normalize ?? true) {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = points[2 * i];
      const y = points[2 * i + 1];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    const sx = x1 > x0 ? x1 - x0 : 1;
    const sy = y1 > y0 ? y1 - y0 : 1;
    const unit = new Float32Array(points.length);
    for (let i = 0; i < n; i++) {
      unit[2 * i] = (points[2 * i] - x0) / sx;
      unit[2 * i + 1] = (points[2 * i + 1] - y0) / sy;
    }
    const moved = model.predict(unit, options.chunk);
    // Map the displacement back (not the float32 position), so unmoved coordinates keep their float64 value.
    for (let i = 0; i < n; i++) {
      out[2 * i] = points[2 * i] + (moved[2 * i] - unit[2 * i]) * sx;
      out[2 * i + 1] = points[2 * i + 1] + (moved[2 * i + 1] - unit[2 * i + 1]) * sy;
    }
    return out;
  }
  const input = Float32Array.from(points);
  const moved = model.predict(input, options.chunk);
  for (let i = 0; i < points.length; i++) out[i] = points[i] + (moved[i] - input[i]);
  return out;
}

/** Exact mode with a network: keep (selectKeep on S, S′), hull of the kept points, certificate. */
export function exactHullWithEntropyNet(
  model: EntropyNet,
  points: Float64Array,
  algorithm: HullAlgorithm,
  keep: KeepOptions = {},
  options: EntropyNetInferenceOptions = {},
): ExactHullResult {
  const moved = moveWithEntropyNet(model, points, options);
  return exactHullFromKeep(points, selectKeep(points, moved, { algorithm, ...keep }), algorithm);
}

export interface EntropyNetPreprocessors {
  moving: Preprocessor;
  exact: Preprocessor;
  model: EntropyNet;
  dispose(): void;
}

/**
 * The two preprocessors of a trained run. `entropynet-exact:<runId>` returns the certified kept subset in
 * original coordinates (with `order` = their input indices), or all points when the certificate fails, so the
 * algorithm that follows computes exactly the raw hull; inside a generic harness the kept hull is therefore
 * computed twice (once to certify, once by the timed algorithm).
 */
export function createEntropyNetPreprocessors(
  runId: string,
  bytes: Uint8Array,
  options: EntropyNetInferenceOptions & { keep?: KeepOptions } = {},
): EntropyNetPreprocessors {
  const model = loadEntropyNet(bytes);
  const moving: Preprocessor = {
    name: `entropynet:${runId}`,
    description: `EntropyNet of run ${runId}: every point moved by at most σ = ${model.options.sigma} (per axis, in [0, 1]² units).`,
    exact: false,
    apply: (points, dims) => {
      if (dims !== 2) throw new RangeError(`entropynet:${runId} handles planar points only (dims = ${dims})`);
      return { points: moveWithEntropyNet(model, points, options), order: null };
    },
  };
  const exact: Preprocessor = {
    name: `entropynet-exact:${runId}`,
    description: `EntropyNet of run ${runId} choosing which points to keep; certified to give the raw hull.`,
    exact: false,
    apply: (points, dims) => {
      if (dims !== 2) throw new RangeError(`entropynet-exact:${runId} handles planar points only (dims = ${dims})`);
      const moved = moveWithEntropyNet(model, points, options);
      const keep = selectKeep(points, moved, options.keep);
      const result = exactHullFromKeep(points, keep, options.keep?.algorithm ?? 'auto');
      const n = points.length >> 1;
      if (result.fallback) {
        const order = new Uint32Array(n);
        for (let i = 0; i < n; i++) order[i] = i;
        return { points, order };
      }
      const order = new Uint32Array(result.kept);
      const subset = new Float64Array(2 * result.kept);
      for (let i = 0, k = 0; i < n; i++) {
        if (!keep[i]) continue;
        order[k] = i;
        subset[2 * k] = points[2 * i];
        subset[2 * k + 1] = points[2 * i + 1];
        k++;
      }
      return { points: subset, order };
    },
  };
  return { moving, exact, model, dispose: () => model.dispose() };
}

/** Create and register both preprocessors of a run (geometry-timing's registry); returns their names. */
export function registerEntropyNetPreprocessors(runId: string, bytes: Uint8Array, options: EntropyNetInferenceOptions & { keep?: KeepOptions } = {}): string[] {
  const p = createEntropyNetPreprocessors(runId, bytes, options);
  registerPreprocessor(p.moving);
  registerPreprocessor(p.exact);
  return [p.moving.name, p.exact.name];
}
