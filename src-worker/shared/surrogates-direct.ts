/**
 * The entropy surrogates evaluated straight from their equations in Float64, one point at a time: the oracle
 * the tfjs versions (src-worker/entropy/surrogates.ts) are tested against, the value the entropy lab reports,
 * and the soft assignment the fit-state figure colours points by. No tfjs, so main and the renderer may use it.
 *
 *   ball       p_ij = softmax_j(−α‖x_i − c_j‖²)                                              (Eq. 2)
 *   halfspace  g_j(x) = Π_t h_t^{s_jt} (1 − h_t)^{1−s_jt}, h_t = σ((w_tᵀx − b_t)/τ), s_jt = bit t of j   (Eqs. 4–5)
 *   rect       g_c(x) = Π_a μ_{a,l_a}(x_a), μ_{a,l} = σ((x − θ_{a,l−1})/τ) − σ((x − θ_{a,l})/τ)   (App. H.4)
 *   masses     q_j = mean_i p_ij (Eqs. 3, 6), H = −Σ_j q_j log q_j in nats
 *
 * Points, anchors and cuts are flat row-major arrays of dimension d; planes are rows (w_1 … w_d, b).
 */

/** log σ(u) without overflow or cancellation. */
export function logSigmoid64(u: number): number {
  return u >= 0 ? -Math.log1p(Math.exp(-u)) : u - Math.log1p(Math.exp(u));
}

export function sigmoid64(u: number): number {
  return u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
}

export function softplus64(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function inverseSoftplus64(y: number): number {
  if (!(y > 0)) throw new RangeError(`cuts must be strictly increasing (gap ${y})`);
  return y > 30 ? y : Math.log(Math.expm1(y));
}

/** Shannon entropy in nats of a distribution, 0·log 0 = 0. */
export function entropyNats(masses: ArrayLike<number>): number {
  let h = 0;
  for (let j = 0; j < masses.length; j++) {
    const p = masses[j];
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

// ── Eq. 2: balls around anchors ──

/** Point i's row p_i· of Eq. 2 into `out` (length k). */
export function anchorRow(points: ArrayLike<number>, i: number, anchors: ArrayLike<number>, alpha: number, d: number, out: Float64Array): void {
  const k = anchors.length / d;
  let max = -Infinity;
  for (let j = 0; j < k; j++) {
    let d2 = 0;
    for (let a = 0; a < d; a++) {
      const diff = points[i * d + a] - anchors[j * d + a];
      d2 += diff * diff;
    }
    out[j] = -alpha * d2;
    if (out[j] > max) max = out[j];
  }
  let z = 0;
  for (let j = 0; j < k; j++) z += out[j] = Math.exp(out[j] - max);
  for (let j = 0; j < k; j++) out[j] /= z;
}

// ── Eqs. 4–5: sign patterns of halfspaces ──

/** Point i's row g_·(x_i) of Eqs. 4–5 into `out` (length 2^m). */
export function halfspaceRow(points: ArrayLike<number>, i: number, planes: ArrayLike<number>, tau: number, d: number, out: Float64Array): void {
  const m = planes.length / (d + 1);
  const cells = 1 << m;
  out[0] = 0;
  // Cells 0 … 2^t − 1 hold the log-patterns of planes 0 … t − 1; plane t doubles them: bit t = 1 ↔ log h_t.
  for (let t = 0; t < m; t++) {
    let s = -planes[t * (d + 1) + d];
    for (let a = 0; a < d; a++) s += planes[t * (d + 1) + a] * points[i * d + a];
    const lp = logSigmoid64(s / tau);
    const ln = logSigmoid64(-s / tau);
    const half = 1 << t;
    for (let j = 0; j < half; j++) {
      out[j + half] = out[j] + lp;
      out[j] += ln;
    }
  }
  for (let j = 0; j < cells; j++) out[j] = Math.exp(out[j]);
}

// ── App. H.4: axis-aligned rectangles ──

/**
 * Parameters of the rectangle family in Float64: per axis a, r cuts θ_{a,0} < … < θ_{a,r−1} kept sorted under
 * any gradient step by θ_{a,0} = start[a], θ_{a,l} = θ_{a,l−1} + softplus(gaps[a·(r−1) + l−1]).
 */
export interface RectParams64 {
  d: number;
  r: number;
  start: Float64Array;
  gaps: Float64Array;
}

/** Sorted cuts [d·r] (row-major) → raw parameters. */
export function rectParamsFromCuts(cuts: ArrayLike<number>, d: number, r: number): RectParams64 {
  const start = new Float64Array(d);
  const gaps = new Float64Array(d * (r - 1));
  for (let a = 0; a < d; a++) {
    start[a] = cuts[a * r];
    for (let l = 1; l < r; l++) gaps[a * (r - 1) + l - 1] = inverseSoftplus64(cuts[a * r + l] - cuts[a * r + l - 1]);
  }
  return { d, r, start, gaps };
}

/** Raw parameters → sorted cuts [d·r] (row-major). */
export function rectCuts64(params: RectParams64): Float64Array {
  const { d, r } = params;
  const cuts = new Float64Array(d * r);
  for (let a = 0; a < d; a++) {
    cuts[a * r] = params.start[a];
    for (let l = 1; l < r; l++) cuts[a * r + l] = cuts[a * r + l - 1] + softplus64(params.gaps[a * (r - 1) + l - 1]);
  }
  return cuts;
}

/**
 * Point i's row of App. H.4 into `out` (length (r+1)^d); cell c = Σ_a l_a·(r+1)^a. `mu` is scratch of
 * length d·(r+1).
 */
export function rectRow(points: ArrayLike<number>, i: number, cuts: ArrayLike<number>, r: number, tau: number, d: number, mu: Float64Array, out: Float64Array): void {
  for (let a = 0; a < d; a++) {
    const x = points[i * d + a];
    let prev = 1;
    for (let l = 0; l < r; l++) {
      const s = sigmoid64((x - cuts[a * r + l]) / tau);
      mu[a * (r + 1) + l] = prev - s;
      prev = s;
    }
    mu[a * (r + 1) + r] = prev;
  }
  const cells = (r + 1) ** d;
  for (let c = 0; c < cells; c++) {
    let g = 1;
    let rest = c;
    for (let a = 0; a < d; a++) {
      g *= mu[a * (r + 1) + (rest % (r + 1))];
      rest = Math.floor(rest / (r + 1));
    }
    out[c] = g;
  }
}

// ── Whole point sets ──

/** Soft cell memberships: p[i·cells + j] is point i's weight in cell j (rows sum to 1). */
export interface Memberships {
  n: number;
  cells: number;
  p: Float64Array;
}

type RowFn = (i: number, out: Float64Array) => void;

function membershipsOf(n: number, cells: number, row: RowFn): Memberships {
  const p = new Float64Array(n * cells);
  for (let i = 0; i < n; i++) row(i, p.subarray(i * cells, (i + 1) * cells));
  return { n, cells, p };
}

function massesOf(n: number, cells: number, row: RowFn): Float64Array {
  const q = new Float64Array(cells);
  const buf = new Float64Array(cells);
  for (let i = 0; i < n; i++) {
    row(i, buf);
    for (let j = 0; j < cells; j++) q[j] += buf[j];
  }
  for (let j = 0; j < cells; j++) q[j] /= n;
  return q;
}

const anchorRowFn = (points: ArrayLike<number>, anchors: ArrayLike<number>, alpha: number, d: number): RowFn => (i, out) => anchorRow(points, i, anchors, alpha, d, out);
const halfspaceRowFn = (points: ArrayLike<number>, planes: ArrayLike<number>, tau: number, d: number): RowFn => (i, out) => halfspaceRow(points, i, planes, tau, d, out);
function rectRowFn(points: ArrayLike<number>, cuts: ArrayLike<number>, r: number, tau: number, d: number): RowFn {
  const mu = new Float64Array(d * (r + 1));
  return (i, out) => rectRow(points, i, cuts, r, tau, d, mu, out);
}

export function anchorMemberships(points: ArrayLike<number>, anchors: ArrayLike<number>, alpha: number, d = 2): Memberships {
  return membershipsOf(points.length / d, anchors.length / d, anchorRowFn(points, anchors, alpha, d));
}

export function halfspaceMemberships(points: ArrayLike<number>, planes: ArrayLike<number>, tau: number, d = 2): Memberships {
  return membershipsOf(points.length / d, 1 << (planes.length / (d + 1)), halfspaceRowFn(points, planes, tau, d));
}

export function rectMemberships(points: ArrayLike<number>, cuts: ArrayLike<number>, r: number, tau: number, d = 2): Memberships {
  return membershipsOf(points.length / d, (r + 1) ** d, rectRowFn(points, cuts, r, tau, d));
}

/** q_j = mean_i p_ij of memberships. */
export function cellMasses(m: Memberships): Float64Array {
  const q = new Float64Array(m.cells);
  for (let i = 0; i < m.n; i++) for (let j = 0; j < m.cells; j++) q[j] += m.p[i * m.cells + j];
  for (let j = 0; j < m.cells; j++) q[j] /= m.n;
  return q;
}

/** Eq. 2 masses p_j (Eq. 3's argument). */
export function anchorMassesDirect(points: ArrayLike<number>, anchors: ArrayLike<number>, alpha: number, d = 2): Float64Array {
  return massesOf(points.length / d, anchors.length / d, anchorRowFn(points, anchors, alpha, d));
}

/** Eqs. 4–6 masses q_j; cell j has pattern bit t = s_jt. */
export function softCellMassesDirect(points: ArrayLike<number>, planes: ArrayLike<number>, tau: number, d = 2): Float64Array {
  return massesOf(points.length / d, 1 << (planes.length / (d + 1)), halfspaceRowFn(points, planes, tau, d));
}

/** App. H.4 masses of the rectangle family. */
export function rectCellMassesDirect(points: ArrayLike<number>, params: RectParams64, tau: number): Float64Array {
  const { d, r } = params;
  return massesOf(points.length / d, (r + 1) ** d, rectRowFn(points, rectCuts64(params), r, tau, d));
}

/** H_diff, Eqs. 2–3; nats. */
export function hDiffDirect(points: ArrayLike<number>, anchors: ArrayLike<number>, alpha: number, d = 2): number {
  return entropyNats(anchorMassesDirect(points, anchors, alpha, d));
}

/** H_soft, Eqs. 4–6; nats. */
export function hSoftDirect(points: ArrayLike<number>, planes: ArrayLike<number>, tau: number, d = 2): number {
  return entropyNats(softCellMassesDirect(points, planes, tau, d));
}

/** Rectangle-family surrogate (App. H.4); nats. */
export function hRectDirect(points: ArrayLike<number>, params: RectParams64, tau: number): number {
  return entropyNats(rectCellMassesDirect(points, params, tau));
}
