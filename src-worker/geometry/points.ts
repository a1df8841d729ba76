/**
 * Point sets: seeded generators by name, the App. G.12 preprocessing (normalise to [0, 1], drop duplicates),
 * and loaders for CSV, JSON and QuickDraw's simplified `.ndjson`.
 *
 * Points are flat Float64Arrays [x0, y0, x1, y1, …] (or [x0, y0, z0, …] with dims = 3).
 */
import { DATASET_NAMES, type DatasetName } from './names';
import { gaussian, rng, shufflePoints } from './random';
import { sortIndicesLex } from './hull/sort';
import { parsePointsText } from './csv-points';

export { DATASET_NAMES, type DatasetName };

export interface GeneratorOptions {
  /** gaussian-clusters: number of clusters (default 5). */
  clusters?: number;
  /** gaussian-clusters: σ of each cluster (default 0.05); parabolic: σ of the noise (default 0.1); quickdraw-like:
   * σ of the pen jitter (default 0.002). */
  sigma?: number;
  /** annulus: inner radius as a fraction of the outer (default 0.7). */
  innerRatio?: number;
  /** quickdraw-like: number of strokes (default 3–8, drawn from the seed). */
  strokes?: number;
}

export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

/**
 * n points of the named distribution, seeded. All live in [0, 1]² (no normalisation is needed, though the
 * experiment applies G.12's anyway):
 *  - uniform-square: x, y ~ U[0, 1).
 *  - uniform-disk: uniform in the disk of radius ½ centred at (½, ½) (r = ½√u).
 *  - gaussian-clusters: `clusters` centres ~ U[0.2, 0.8]², points N(centre, σ²·I), each cluster equally likely.
 *  - parabolic (App. G.12): x ~ U[−1, 1], y = x² + N(0, 0.01). We read N(μ, σ²) as the usual
 *    mean–variance notation, so the noise has σ = 0.1 (variance 0.01); `sigma` overrides. Then mapped
 *    affinely into [0, 1]² by x → (x + 1)/2, y → (y + 0.5)/2 (an affine map keeps the hull's combinatorics).
 *  - circle: every point on the hull. Angles φ + 2πk/n for k = 0 … n−1 with a random phase φ, in a random
 *    order; evenly spaced so that rounding cannot push a point inside the chord of its neighbours
 *    (sagitta ≈ π²/(2n²)·r ≫ ulp for n ≤ 10⁷), which random angles would occasionally do.
 *  - annulus: uniform in the ring ½·innerRatio ≤ r ≤ ½ around (½, ½).
 *  - quickdraw-like: 3–8 strokes, each a random-walk polyline of 3–12 vertices; points are placed uniformly
 *    by arc length along the strokes and jittered by N(0, σ²) (σ = 0.002): low-entropy, stroke-like sets in
 *    the spirit of QuickDraw sketches (Ha & Eck 2017), without the download.
 */
export function generatePoints(name: DatasetName, n: number, seed: number, opts: GeneratorOptions = {}): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`generatePoints: n must be a non-negative integer, got ${n}`);
  const u = rng(seed);
  const g = gaussian(u);
  const out = new Float64Array(2 * n);
  switch (name) {
    case 'uniform-square':
      for (let i = 0; i < 2 * n; i++) out[i] = u();
      return out;
    case 'uniform-disk':
      for (let i = 0; i < n; i++) {
        const r = 0.5 * Math.sqrt(u());
        const t = 2 * Math.PI * u();
        out[2 * i] = 0.5 + r * Math.cos(t);
        out[2 * i + 1] = 0.5 + r * Math.sin(t);
      }
      return out;
    case 'gaussian-clusters': {
      const k = Math.max(1, Math.floor(opts.clusters ?? 5));
      const sigma = opts.sigma ?? 0.05;
      const centres = new Float64Array(2 * k);
      for (let j = 0; j < 2 * k; j++) centres[j] = 0.2 + 0.6 * u();
      for (let i = 0; i < n; i++) {
        const c = Math.min(k - 1, Math.floor(u() * k));
        out[2 * i] = centres[2 * c] + sigma * g();
        out[2 * i + 1] = centres[2 * c + 1] + sigma * g();
      }
      return out;
    }
    case 'parabolic': {
      const sigma = opts.sigma ?? 0.1;
      for (let i = 0; i < n; i++) {
        const x = 2 * u() - 1;
        const y = x * x + sigma * g();
        out[2 * i] = (x + 1) / 2;
        out[2 * i + 1] = (y + 0.5) / 2;
      }
      return out;
    }
    case 'circle': {
      const phase = 2 * Math.PI * u();
      for (let i = 0; i < n; i++) {
        const t = phase + (2 * Math.PI * i) / n;
        out[2 * i] = 0.5 + 0.5 * Math.cos(t);
        out[2 * i + 1] = 0.5 + 0.5 * Math.sin(t);
      }
      shufflePoints(out, 2, u);
      return out;
    }
    case 'annulus': {
      const inner = 0.5 * (opts.innerRatio ?? 0.7);
      const r0 = inner * inner;
      const r1 = 0.25;
      for (let i = 0; i < n; i++) {
        const r = Math.sqrt(r0 + (r1 - r0) * u());
        const t = 2 * Math.PI * u();
        out[2 * i] = 0.5 + r * Math.cos(t);
        out[2 * i + 1] = 0.5 + r * Math.sin(t);
      }
      return out;
    }
    case 'quickdraw-like':
      return quickDrawLike(n, u, g, opts);
    default:
      throw new RangeError(`generatePoints: unknown dataset "${String(name)}"`);
  }
}

function quickDrawLike(n: number, u: () => number, g: () => number, opts: GeneratorOptions): Float64Array {
  const out = new Float64Array(2 * n);
  const strokes = Math.max(1, Math.floor(opts.strokes ?? 3 + Math.floor(u() * 6)));
  const sigma = opts.sigma ?? 0.002;
  const vx: number[] = [];
  const vy: number[] = [];
  const strokeStart: number[] = [];
  const cum: number[] = [];
  let total = 0;
  for (let s = 0; s < strokes; s++) {
    strokeStart.push(vx.length);
    let x = 0.15 + 0.7 * u();
    let y = 0.15 + 0.7 * u();
    let heading = 2 * Math.PI * u();
    const verts = 3 + Math.floor(u() * 10);
    for (let v = 0; v < verts; v++) {
      if (v > 0) {
        heading += 1.2 * (u() - 0.5);
        const step = 0.05 + 0.1 * u();
        x = Math.min(0.98, Math.max(0.02, x + step * Math.cos(heading)));
        y = Math.min(0.98, Math.max(0.02, y + step * Math.sin(heading)));
        total += Math.hypot(x - vx[vx.length - 1], y - vy[vy.length - 1]);
      }
      vx.push(x);
      vy.push(y);
      cum.push(total);
    }
  }
  strokeStart.push(vx.length);
  // Segments joining the last vertex of one stroke to the first of the next are not drawn: the pen is lifted.
  const isStrokeStart = new Uint8Array(vx.length);
  for (const s of strokeStart) if (s < vx.length) isStrokeStart[s] = 1;
  for (let i = 0; i < n; i++) {
    const target = u() * total;
    let lo = 1;
    let hi = vx.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    const seg = isStrokeStart[lo] ? Math.min(lo + 1, vx.length - 1) : lo;
    const len = cum[seg] - cum[seg - 1];
    const t = len > 0 ? Math.min(1, Math.max(0, (target - cum[seg - 1]) / len)) : 0;
    out[2 * i] = vx[seg - 1] + t * (vx[seg] - vx[seg - 1]) + sigma * g();
    out[2 * i + 1] = vy[seg - 1] + t * (vy[seg] - vy[seg - 1]) + sigma * g();
  }
  return out;
}

/**
 * 3-D points for the maxima task: x, y from the named 2-D generator (seed), z = the x coordinate of an
 * independent sample of the same generator (seed + 1). Keeps one dataset vocabulary for every task.
 */
export function generatePoints3d(name: DatasetName, n: number, seed: number, opts: GeneratorOptions = {}): Float64Array {
  const a = generatePoints(name, n, seed, opts);
  const b = generatePoints(name, n, seed + 1, opts);
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    out[3 * i] = a[2 * i];
    out[3 * i + 1] = a[2 * i + 1];
    out[3 * i + 2] = b[2 * i];
  }
  return out;
}

/**
 * App. G.12 "normalize coordinates to [0, 1] range": per-axis min–max scaling, a new array. An axis with zero
 * range maps to 0. Per-axis scaling is affine, so hull vertices stay hull vertices (up to rounding).
 */
export function normalizeUnitSquare(points: Float64Array, dims = 2): Float64Array {
  const n = Math.floor(points.length / dims);
  const out = new Float64Array(points.length);
  for (let d = 0; d < dims; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = points[i * dims + d];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const range = hi - lo;
    for (let i = 0; i < n; i++) {
      const v = (points[i * dims + d] - lo) / (range > 0 ? range : 1);
      // (v − lo)/range can round a hair above 1 only when range is subnormal; clamp keeps the promise.
      out[i * dims + d] = range > 0 ? Math.min(1, v) : 0;
    }
  }
  return out;
}

export interface Deduped {
  points: Float64Array;
  /** kept[k] = input index of output point k; the first (lowest-index) copy of each location, in input order. */
  kept: Uint32Array;
}

/** App. G.12 "remove duplicate points": keeps the first occurrence of every location, in input order. */
export function dedupe(points: Float64Array, dims = 2): Deduped {
  const n = Math.floor(points.length / dims);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (dims === 2) sortIndicesLex(points, order, n);
  else {
    order.sort((i, j) => {
      for (let d = 0; d < dims; d++) {
        const diff = points[i * dims + d] - points[j * dims + d];
        if (diff !== 0) return diff;
      }
      return i - j;
    });
  }
  const keep = new Uint8Array(n);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    let dup = k > 0;
    if (dup) {
      const j = order[k - 1];
      for (let d = 0; d < dims; d++) {
        if (points[i * dims + d] !== points[j * dims + d]) {
          dup = false;
          break;
        }
      }
    }
    if (!dup) {
      keep[i] = 1;
      count++;
    }
  }
  const kept = new Uint32Array(count);
  const out = new Float64Array(count * dims);
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    kept[c] = i;
    for (let d = 0; d < dims; d++) out[c * dims + d] = points[i * dims + d];
    c++;
  }
  return { points: out, kept };
}

/** G.12 in the paper's order: normalise, then drop the duplicates (normalising can create new ones). */
export function preparePoints(points: Float64Array, dims = 2): Deduped {
  return dedupe(normalizeUnitSquare(points, dims), dims);
}

// ─── Loaders ────────────────────────────────────────────────────────────────────────────────────────────────

/** A refused input file. `line` is the 1-based line of the file the problem was found on. */
export class PointsParseError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'PointsParseError';
    this.line = line;
  }
}

export interface LoadedPoints {
  points: Float64Array;
  dims: number;
  /** lines[k] = 1-based file line that point k came from. */
  lines: Uint32Array;
}

export interface LoadOptions {
  /** Required coordinates per row (2 or 3); CSV infers it from the first data row when absent. */
  dims?: 2 | 3;
  /** Fewest points accepted (default 1). */
  minPoints?: number;
}

function checkCount(count: number, minPoints: number, lastLine: number): void {
  if (count < minPoints) {
    throw new PointsParseError(lastLine, `too few points: ${count}, at least ${minPoints} needed`);
  }
}

/**
 * CSV rows `x,y` or `x,y,z` (comma, semicolon, tab or space separated), qhull `rbox` output too; see
 * `parsePointsText` for the rules (a first line is a header only when no field looks numeric). All or nothing:
 * the first bad row throws with its line and column.
 */
export function parseCsvPoints(text: string, opts: LoadOptions = {}): LoadedPoints {
  return parsePointsText(new TextEncoder().encode(text), opts);
}

/** Line (1-based) of character offset `pos`. */
function lineAt(text: string, pos: number): number {
  let line = 1;
  const end = Math.min(pos, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Offset of the first JSON syntax error in `text` (V8's messages do not always carry one: "Unexpected token
 * 'N', … is not valid JSON"). A recursive-descent recogniser of the JSON grammar; only called after
 * JSON.parse has already refused the text.
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m) fail();
      else i += m[0].length;
    }
  };
  const string = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return typeof at === 'number' ? at : 0;
  }
}

function jsonSyntaxLine(text: string): number {
  return lineAt(text, jsonErrorOffset(text));
}

/** Start offsets of the elements of the top-level JSON array (text already known to be valid JSON). */
function topLevelElementOffsets(text: string): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectElement && !/\s/.test(ch) && ch !== ']') {
      offsets.push(i);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return offsets;
}

function readJsonPoint(el: unknown, lineNo: number, dims: number): number[] {
  let coords: unknown[];
  if (Array.isArray(el)) coords = el;
  else if (el !== null && typeof el === 'object') {
    const o = el as Record<string, unknown>;
    coords = dims === 3 || 'z' in o ? [o.x, o.y, o.z] : [o.x, o.y];
  } else throw new PointsParseError(lineNo, `expected [x, y] or {"x": …, "y": …}, found ${JSON.stringify(el)}`);
  if (coords.length !== dims) throw new PointsParseError(lineNo, `expected ${dims} coordinates, found ${coords.length}`);
  return coords.map((v, c) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new PointsParseError(lineNo, `coordinate ${c + 1}: ${JSON.stringify(v) ?? 'undefined'} is not a finite number`);
    }
    return v;
  });
}

/** A JSON array of `[x, y]` / `[x, y, z]` pairs or `{x, y[, z]}` objects. */
export function parseJsonPoints(text: string, opts: LoadOptions = {}): LoadedPoints {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new PointsParseError(jsonSyntaxLine(text), `malformed JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!Array.isArray(data)) throw new PointsParseError(1, 'expected a JSON array of points');
  const offsets = topLevelElementOffsets(text);
  let dims = opts.dims ?? 0;
  if (dims === 0 && data.length > 0) {
    const first = data[0] as unknown;
    dims = Array.isArray(first) && first.length === 3 ? 3 : first !== null && typeof first === 'object' && 'z' in first ? 3 : 2;
  }
  if (dims === 0) dims = 2;
  const values = new Float64Array(data.length * dims);
  const lines = new Uint32Array(data.length);
  // Element offsets are increasing, so one forward pass over the text numbers all their lines.
  let line = 1;
  let pos = 0;
  for (let k = 0; k < data.length; k++) {
    const off = offsets[k] ?? 0;
    for (; pos < off; pos++) if (text.charCodeAt(pos) === 10) line++;
    lines[k] = line;
    const v = readJsonPoint(data[k], line, dims);
    for (let d = 0; d < dims; d++) values[k * dims + d] = v[d];
  }
  checkCount(data.length, opts.minPoints ?? 1, lineAt(text, text.length));
  return { points: values, dims, lines };
}

export interface QuickDrawPoints extends LoadedPoints {
  /** drawingStart[d] = index of drawing d's first point; a final entry equal to the point count closes it. */
  drawingStart: Uint32Array;
  /** Categories (`word`) per drawing, when present. */
  words: string[];
}

/**
 * QuickDraw's simplified `.ndjson`: one JSON object per line with `drawing: [[xs, ys], …]` (a stroke is a pair
 * of equally long coordinate arrays; a third timing array, as in the raw format, is ignored). All drawings'
 * points are concatenated; `drawingStart` separates them. Blank lines are skipped.
 */
export function parseQuickDrawNdjson(text: string, opts: LoadOptions = {}): QuickDrawPoints {
  const rows = text.split(/\r\n|\n|\r/);
  const values: number[] = [];
  const lines: number[] = [];
  const drawingStart: number[] = [];
  const words: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const lineNo = r + 1;
    const row = rows[r].trim();
    if (row === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(row);
    } catch (err) {
      throw new PointsParseError(lineNo, `malformed JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const drawing = obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>).drawing : undefined;
    if (!Array.isArray(drawing)) throw new PointsParseError(lineNo, 'missing "drawing": [[xs, ys], …]');
    drawingStart.push(lines.length);
    const word = (obj as Record<string, unknown>).word;
    words.push(typeof word === 'string' ? word : '');
    drawing.forEach((stroke: unknown, s: number) => {
      if (!Array.isArray(stroke) || stroke.length < 2 || !Array.isArray(stroke[0]) || !Array.isArray(stroke[1])) {
        throw new PointsParseError(lineNo, `stroke ${s + 1}: expected [xs, ys]`);
      }
      const xs = stroke[0] as unknown[];
      const ys = stroke[1] as unknown[];
      if (xs.length !== ys.length) {
        throw new PointsParseError(lineNo, `stroke ${s + 1}: ${xs.length} x values but ${ys.length} y values`);
      }
      for (let k = 0; k < xs.length; k++) {
        const x = xs[k];
        const y = ys[k];
        if (typeof x !== 'number' || !Number.isFinite(x) || typeof y !== 'number' || !Number.isFinite(y)) {
          throw new PointsParseError(lineNo, `stroke ${s + 1}, point ${k + 1}: (${String(x)}, ${String(y)}) is not finite`);
        }
        values.push(x, y);
        lines.push(lineNo);
      }
    });
  }
  checkCount(lines.length, opts.minPoints ?? 1, rows.length);
  drawingStart.push(lines.length);
  return {
    points: Float64Array.from(values),
    dims: 2,
    lines: Uint32Array.from(lines),
    drawingStart: Uint32Array.from(drawingStart),
    words,
  };
}
