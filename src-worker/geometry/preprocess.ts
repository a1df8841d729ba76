/**
 * Preprocessors: what runs in front of an algorithm (Table 2's "Method": Raw, Heuristic Sort, later
 * EntropyNet). A small registry keyed by name; a learned preprocessor registers itself here and adds its name
 * to `PREPROCESSOR_NAMES` (names.ts) so configs accept it.
 *
 * A preprocessor returns the point set the algorithm will see, and `order` mapping its positions back to input
 * indices (null when positions are unchanged), so outputs can be compared with the raw run's. `exact` says the
 * output is a permutation of the input (same multiset of points): then the point-set Hausdorff distance is 0
 * by construction and need not be measured.
 */
import { PREPROCESSOR_NAMES } from './names';
import { sortPointsLex } from './hull/heuristic-sort';
import { kMeans } from '../entropy/anchors';
import { createRng } from '../entropy/random';

export interface Preprocessed {
  points: Float64Array;
  order: Uint32Array | null;
}

export interface Preprocessor {
  name: string;
  description: string;
  exact: boolean;
  apply(points: Float64Array, dims: number): Preprocessed;
}

const registry = new Map<string, Preprocessor>();

export function registerPreprocessor(p: Preprocessor): void {
  registry.set(p.name, p);
}

export function getPreprocessor(name: string): Preprocessor {
  const p = registry.get(name);
  if (!p) throw new RangeError(`unknown preprocessor "${name}" (known: ${[...registry.keys()].join(', ')})`);
  return p;
}

export function preprocessorNames(): string[] {
  return [...registry.keys()];
}

/** Lexicographic order of points with any number of coordinates, ties by index. */
function sortPointsLexNd(points: Float64Array, dims: number): Preprocessed {
  const n = Math.floor(points.length / dims);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => {
    for (let d = 0; d < dims; d++) {
      const diff = points[i * dims + d] - points[j * dims + d];
      if (diff !== 0) return diff;
    }
    return i - j;
  });
  const out = new Float64Array(n * dims);
  for (let k = 0; k < n; k++) for (let d = 0; d < dims; d++) out[k * dims + d] = points[order[k] * dims + d];
  return { points: out, order };
}

registerPreprocessor({
  name: 'raw',
  description: 'The points as generated (after G.12 normalisation and de-duplication).',
  exact: true,
  apply: (points) => ({ points, order: null }),
});

registerPreprocessor({
  name: 'heuristic-sort',
  description:
    'Lexicographic (x, y[, z]) sort of the points, ties by index; our reading of the paper\'s undefined "Heuristic Sort".',
  exact: true,
  apply: (points, dims) => (dims === 2 ? sortPointsLex(points) : sortPointsLexNd(points, dims)),
});

/** Largest move of a point under k-means snapping: EntropyNet's σ (Alg. 1), per axis, in [0, 1]² units. */
export const KMEANS_SNAP_SIGMA = 0.1;

/**
 * Table 20's "k-means snapping with the same σ bound": k-means (k = min(16, ⌊n/4⌋), k-means++ seeded by n,
 * 20 Lloyd rounds) and every point moved toward its centre by at most σ per axis — the displacement budget
 * EntropyNet has, spent without learning. Not exact: the hull moves, and its error is measured like EntropyNet's.
 */
export function kMeansSnap(points: Float64Array, sigma = KMEANS_SNAP_SIGMA): Float64Array {
  const n = points.length >> 1;
  const k = Math.max(1, Math.min(16, Math.floor(n / 4)));
  const { centers, labels } = kMeans(points, k, createRng(n), 2, 20, 'kmeans++');
  const out = new Float64Array(points.length);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    for (let d = 0; d < 2; d++) {
      const x = points[2 * i + d];
      const delta = centers[2 * c + d] - x;
      out[2 * i + d] = x + Math.max(-sigma, Math.min(sigma, delta));
    }
  }
  return out;
}

registerPreprocessor({
  name: 'kmeans-snap',
  description: `k-means snapping: each point moved toward its k-means centre by at most σ = ${KMEANS_SNAP_SIGMA} per axis (Table 20 baseline).`,
  exact: false,
  apply: (points, dims) => {
    if (dims !== 2) throw new RangeError('kmeans-snap handles planar points only');
    return { points: kMeansSnap(points), order: null };
  },
});

for (const name of PREPROCESSOR_NAMES) {
  if (!registry.has(name)) throw new Error(`preprocessor "${name}" is named in names.ts but not registered`);
}
