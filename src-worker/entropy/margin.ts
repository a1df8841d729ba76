/**
 * Hard counterparts of the surrogates, empirical margins and the paper's approximation bounds
 * (Sec. 3 Theorem 1; App. H.2 Theorem 3, H.3 Theorem 4). Plain Float64 code on flat points.
 *
 * - Hard partitions: nearest anchor (the α → ∞ limit of Eq. 2), sign pattern (τ → 0 of Eqs. 4–5, cell
 *   index = Σ_t 2^t·[w_tᵀx − b_t ≥ 0], the same indexing as `softCellMasses`), grid rectangle.
 * - γ̂(S), App. H.3: the minimum over points of the normalised distance to the separators,
 *   min_i min_t |w_tᵀx_i − b_t| / ‖w_t‖. For anchors the separators are the Voronoi bisectors; for x with
 *   nearest anchor c_a the distance to the bisector of (c_a, c_b) is (‖x − c_b‖² − ‖x − c_a‖²)/(2‖c_a − c_b‖)
 *   and the distance to the cell boundary is the minimum over b (a Voronoi cell is the intersection of these
 *   halfspaces, so a ball around x stays inside it iff it stays inside each one).
 * - A robust margin: the 5th percentile of the per-point margins (linear interpolation between order
 *   statistics), so one point on a separator does not zero the summary.
 */
import { entropyNats, rectCuts64, type RectParams64 } from './surrogates';

// ------------------------------------------------------------------------------------------------------
// Hard partitions
// ------------------------------------------------------------------------------------------------------

/** Index of the nearest anchor for each point (ties → smaller index). */
export function nearestAnchorLabels(points: ArrayLike<number>, anchors: ArrayLike<number>, d = 2): Uint32Array {
  const n = points.length / d;
  const k = anchors.length / d;
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) {
        const diff = points[i * d + a] - anchors[j * d + a];
        s += diff * diff;
      }
      if (s < bestD) {
        bestD = s;
        best = j;
      }
    }
    labels[i] = best;
  }
  return labels;
}

/** Sign-pattern cell of each point: bit t set iff w_tᵀx − b_t ≥ 0. planes: flat rows (w_1 … w_d, b). */
export function signPatternLabels(points: ArrayLike<number>, planes: ArrayLike<number>, d = 2): Uint32Array {
  const n = points.length / d;
  const m = planes.length / (d + 1);
  if (m > 31) throw new RangeError('signPatternLabels: at most 31 planes');
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let cell = 0;
    for (let t = 0; t < m; t++) {
      let s = -planes[t * (d + 1) + d];
      for (let a = 0; a < d; a++) s += planes[t * (d + 1) + a] * points[i * d + a];
      if (s >= 0) cell |= 1 << t;
    }
    labels[i] = cell >>> 0;
  }
  return labels;
}

/** Grid-rectangle cell of each point: interval l_a = #{cuts θ_{a,l} ≤ x_a}, cell = Σ_a l_a·(r+1)^a. */
export function rectLabels(points: ArrayLike<number>, params: RectParams64): Uint32Array {
  const { d, r } = params;
  const cuts = rectCuts64(params);
  const n = points.length / d;
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let cell = 0;
    let scale = 1;
    for (let a = 0; a < d; a++) {
      let l = 0;
      while (l < r && points[i * d + a] >= cuts[a * r + l]) l++;
      cell += l * scale;
      scale *= r + 1;
    }
    labels[i] = cell;
  }
  return labels;
}

/** Cell masses |C_j ∩ S| / n of a labelling into `cells` cells. */
export function partitionMasses(labels: ArrayLike<number>, cells: number): Float64Array {
  const q = new Float64Array(cells);
  for (let i = 0; i < labels.length; i++) q[labels[i]] += 1;
  for (let j = 0; j < cells; j++) q[j] /= labels.length;
  return q;
}

/** Entropy in nats of the partition given by labels: Σ_k (|S_k|/n) ln(n/|S_k|). */
export function partitionEntropyNats(labels: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return entropyNats(Array.from(counts.values(), (c) => c / labels.length));
}

// ------------------------------------------------------------------------------------------------------
// Margins
// ------------------------------------------------------------------------------------------------------

/** Per-point normalised distance to the nearest plane, min_t |w_tᵀx − b_t| / ‖w_t‖. Planes with w = 0 are skipped. */
export function planeMargins(points: ArrayLike<number>, planes: ArrayLike<number>, d = 2): Float64Array {
  const n = points.length / d;
  const m = planes.length / (d + 1);
  const norms = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    let s = 0;
    for (let a = 0; a < d; a++) s += planes[t * (d + 1) + a] ** 2;
    norms[t] = Math.sqrt(s);
  }
  const out = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < m; t++) {
      if (norms[t] === 0) continue;
      let s = -planes[t * (d + 1) + d];
      for (let a = 0; a < d; a++) s += planes[t * (d + 1) + a] * points[i * d + a];
      const dist = Math.abs(s) / norms[t];
      if (dist < out[i]) out[i] = dist;
    }
  }
  return out;
}

/**
 * Per-point distance to the boundary of its Voronoi cell (see module comment). Anchors that coincide with
 * the nearest one define no bisector and are skipped; with a single distinct anchor the margin is +∞.
 */
export function anchorMargins(points: ArrayLike<number>, anchors: ArrayLike<number>, d = 2): Float64Array {
  const n = points.length / d;
  const k = anchors.length / d;
  const dist2 = new Float64Array(k);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const diff = points[i * d + c] - anchors[j * d + c];
        s += diff * diff;
      }
      dist2[j] = s;
      if (s < dist2[a]) a = j;
    }
    let best = Infinity;
    for (let b = 0; b < k; b++) {
      if (b === a) continue;
      let sep2 = 0;
      for (let c = 0; c < d; c++) sep2 += (anchors[a * d + c] - anchors[b * d + c]) ** 2;
      if (sep2 === 0) continue;
      const dist = (dist2[b] - dist2[a]) / (2 * Math.sqrt(sep2));
      if (dist < best) best = dist;
    }
    out[i] = best;
  }
  return out;
}

/** Per-point distance to the nearest axis-parallel cut line of the rectangle family. */
export function rectMargins(points: ArrayLike<number>, params: RectParams64): Float64Array {
  const { d, r } = params;
  const cuts = rectCuts64(params);
  const n = points.length / d;
  const out = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      for (let l = 0; l < r; l++) {
        const dist = Math.abs(points[i * d + a] - cuts[a * r + l]);
        if (dist < out[i]) out[i] = dist;
      }
    }
  }
  return out;
}

/** γ̂(S) of App. H.3: the smallest per-point margin. */
export function empiricalMargin(margins: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < margins.length; i++) if (margins[i] < m) m = margins[i];
  return m;
}

/** q-quantile of the per-point margins (default 5th percentile), linear interpolation of order statistics. */
export function robustMargin(margins: ArrayLike<number>, q = 0.05): number {
  if (margins.length === 0) return Infinity;
  const sorted = Float64Array.from(margins).sort();
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  if (!Number.isFinite(sorted[lo]) || !Number.isFinite(sorted[hi])) return sorted[lo];
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Temperature in distance units for the halfspace gating: h_t = σ((w_tᵀx − b_t)/τ) = σ(dist_t·‖w_t‖/τ), so a
 * point at normalised distance γ sees the sigmoid at γ/(τ/‖w_t‖). Theorem 1 is stated for unit normals; the
 * conservative (largest) effective temperature is τ / min_t ‖w_t‖.
 */
export function planeEffectiveTau(planes: ArrayLike<number>, tau: number, d = 2): number {
  const m = planes.length / (d + 1);
  let minNorm = Infinity;
  for (let t = 0; t < m; t++) {
    let s = 0;
    for (let a = 0; a < d; a++) s += planes[t * (d + 1) + a] ** 2;
    minNorm = Math.min(minNorm, Math.sqrt(s));
  }
  return minNorm > 0 ? tau / minNorm : Infinity;
}

/**
 * Effective temperature of the anchor softmax across Voronoi bisectors: the logit gap between anchors a, b
 * is α(‖x − c_b‖² − ‖x − c_a‖²) = 2α‖c_a − c_b‖·dist, i.e. τ_ab = 1/(2α‖c_a − c_b‖); the largest over pairs of
 * distinct anchors is returned. Using it in Theorem 1 is a heuristic transfer (the theorem is for halfspace
 * product gating, not a softmax over anchors).
 */
export function anchorEffectiveTau(anchors: ArrayLike<number>, alpha: number, d = 2): number {
  const k = anchors.length / d;
  let minSep = Infinity;
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (anchors[a * d + c] - anchors[b * d + c]) ** 2;
      if (s > 0) minSep = Math.min(minSep, Math.sqrt(s));
    }
  }
  return Number.isFinite(minSep) ? 1 / (2 * alpha * minSep) : Infinity;
}

// ------------------------------------------------------------------------------------------------------
// Bounds
// ------------------------------------------------------------------------------------------------------

export interface BoundInputs {
  /** Margin γ (Theorem 1) or γ̂(S) (Theorem 4), in the same distance units as τ. */
  gamma: number;
  /** Temperature in distance units (see `planeEffectiveTau`). */
  tau: number;
  n: number;
  /** Number of separators (m* in Theorem 1, m in Theorem 4). */
  m: number;
  /** Number of cells. */
  K: number;
  /** Ambient dimension (default 2). */
  d?: number;
  /** Failure probability (default 0.05). */
  delta?: number;
  /** The unspecified universal constant c of Theorem 1 / C of the Rademacher bound (default 1). */
  c?: number;
}

export interface BoundResult {
  /** ε as printed, in nats: x·ln(K/x) with x the bracketed deviation term. */
  valueNats: number;
  /** The bracketed ℓ1 deviation term x = smoothTerm + sampleTerm. */
  deviation: number;
  /** e^{−γ/(4τ)}. */
  smoothTerm: number;
  /** The sampling term (Theorem 1: c·√((d ln m + ln(2K/δ))/n); Theorem 4: 2·Rad + √(ln(2/δ)/(2n))). */
  sampleTerm: number;
  /** Both entropies lie in [0, ln K], so ln K bounds the error trivially. */
  trivialNats: number;
  /**
   * Whether the bound says anything: x < 1 (so x·ln(K/x) is in the regime where the continuity step is
   * used) and ε < ln K. Outside it the printed formula is not a useful (or not even a monotone) bound.
   */
  informative: boolean;
  /** τ ≤ γ/4, the theorem's hypothesis. */
  tauCondition: boolean;
  constants: { c: number; delta: number; d: number };
  theorem: 'Theorem 1' | 'Theorem 4';
}

function finish(smooth: number, sample: number, K: number, inp: BoundInputs, theorem: BoundResult['theorem']): BoundResult {
  const x = smooth + sample;
  const value = x > 0 ? x * Math.log(K / x) : 0;
  const trivial = Math.log(K);
  return {
    valueNats: value,
    deviation: x,
    smoothTerm: smooth,
    sampleTerm: sample,
    trivialNats: trivial,
    informative: x < 1 && value < trivial,
    tauCondition: inp.tau <= inp.gamma / 4,
    constants: { c: inp.c ?? 1, delta: inp.delta ?? 0.05, d: inp.d ?? 2 },
    theorem,
  };
}

/**
 * Theorem 1 (Sec. 3; = Theorem 3 of App. H.2 combined with its entropy-continuity step):
 *   ε = (e^{−γ/(4τ)} + c·√((d ln m* + ln(2K/δ))/n)) · ln(K / (e^{−γ/(4τ)} + c·√((d ln m* + ln(2K/δ))/n))).
 * The paper leaves c unspecified; the constants used are returned with the value.
 */
export function theorem1Bound(inp: BoundInputs): BoundResult {
  const d = inp.d ?? 2;
  const delta = inp.delta ?? 0.05;
  const c = inp.c ?? 1;
  const smooth = Math.exp(-inp.gamma / (4 * inp.tau));
  const sample = c * Math.sqrt((d * Math.log(Math.max(1, inp.m)) + Math.log((2 * inp.K) / delta)) / inp.n);
  return finish(smooth, sample, inp.K, inp, 'Theorem 1');
}

/**
 * Theorem 4 (App. H.3, Eq. 15) with γ̂(S):
 *   ε = (e^{−γ̂/(4τ)} + 2·Rad_n + √(ln(2/δ)/(2n))) · ln(K / (same)),   Rad_n ≤ C·(1/(4τ))·√(d ln m / n).
 * C is unspecified in the paper; `c` is used for it and returned.
 */
export function theorem4Bound(inp: BoundInputs): BoundResult {
  const d = inp.d ?? 2;
  const delta = inp.delta ?? 0.05;
  const c = inp.c ?? 1;
  const smooth = Math.exp(-inp.gamma / (4 * inp.tau));
  const rad = (c / (4 * inp.tau)) * Math.sqrt((d * Math.log(Math.max(1, inp.m))) / inp.n);
  const sample = 2 * rad + Math.sqrt(Math.log(2 / delta) / (2 * inp.n));
  return finish(smooth, sample, inp.K, inp, 'Theorem 4');
}
