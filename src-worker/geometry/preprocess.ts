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

for (const name of PREPROCESSOR_NAMES) {
  if (!registry.has(name)) throw new Error(`preprocessor "${name}" is named in names.ts but not registered`);
}
