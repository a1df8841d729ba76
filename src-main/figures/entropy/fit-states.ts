/** The fitted anchors, planes or rectangle cuts over the point set before and after a fit (`fit-states.json`). */
import type { EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts';
import { escapedTooltip } from '../escape-html';
import { formatNumber } from '../metric-line';
import { GRID_LINE_COLOR, MUTED_COLOR, PALETTE, TEXT_COLOR, baseOption } from '../theme';
import { anchorMemberships, cellMasses, entropyNats, halfspaceMemberships, rectCuts64, rectMemberships, type Memberships } from '../../../src-worker/shared/surrogates-direct';
import { type EstimatorFamily, surrogateOfFamily } from './summary';
import { fmt, gridTop, legendNames, num, obj, str } from './look';

export interface RectParams {
  d: number;
  r: number;
  start: Float64Array;
  gaps: Float64Array;
}

/** One snapshot of `fit-states.json`: the moved points S′ and the parameters of the fitted surrogate. */
export interface FitSnapshot {
  /** Flat [x0, y0, x1, y1, …]. */
  points: Float64Array;
  surrogateNats: number | null;
  /** Flat [x, y, …], k anchors. */
  anchors: Float64Array | null;
  /** Flat rows [w1, w2, b, …]; plane t is {x : w_tᵀx = b_t}. */
  planes: Float64Array | null;
  rect: RectParams | null;
}

export interface FitState {
  set: number;
  family: string;
  surrogate: EstimatorFamily;
  before: FitSnapshot;
  after: FitSnapshot;
}

function flat(v: unknown, stride: number): Float64Array | null {
  if (!Array.isArray(v)) return null;
  const out = new Float64Array(v.length - (v.length % stride));
  for (let i = 0; i < out.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return null;
    out[i] = x;
  }
  return out;
}

function parseSnapshot(v: unknown): FitSnapshot | null {
  const s = obj(v);
  if (!s) return null;
  const points = flat(s.points, 2);
  if (!points) return null;
  const r = obj(s.rect);
  let rect: RectParams | null = null;
  if (r) {
    const d = num(r.d);
    const rr = num(r.r);
    const start = flat(r.start, 1);
    const gaps = flat(r.gaps, 1);
    if (d === 2 && rr !== null && rr >= 1 && start && gaps && start.length === d && gaps.length === d * (rr - 1)) rect = { d, r: rr, start, gaps };
  }
  return { points, surrogateNats: num(s.surrogateNats), anchors: flat(s.anchors, 2), planes: flat(s.planes, 3), rect };
}

/** The `fit-states.json` artifact: one entry per fitted set; entries it cannot read are skipped. */
export function parseFitStates(json: unknown): FitState[] {
  if (!Array.isArray(json)) return [];
  const out: FitState[] = [];
  for (const item of json) {
    const e = obj(item);
    if (!e) continue;
    const surrogate = e.surrogate;
    if (surrogate !== 'ball' && surrogate !== 'halfspace' && surrogate !== 'rect') continue;
    const before = parseSnapshot(e.before);
    const after = parseSnapshot(e.after);
    if (!before || !after) continue;
    out.push({ set: num(e.set) ?? out.length, family: str(e.family, '?'), surrogate, before, after });
  }
  return out;
}

/** α of the cosine schedule (App. G.11, `alphaCosine`) after the last of `steps` fit steps: the α of the "after" snapshot. */
export function alphaAfterFit(steps: number, from: number, to: number, fraction = 0.5): number {
  const last = Math.max(0, steps - 1);
  const span = Math.max(1, fraction * steps);
  const s = Math.min(1, last / span);
  return to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * s));
}

/** Sorted cuts [d·r] of the rectangle family: θ_{a,0} = start[a], θ_{a,l} = θ_{a,l−1} + softplus(gap). */
export function rectCuts(rect: RectParams): Float64Array {
  return rectCuts64(rect);
}

export type { Memberships };

/** Number of cells of a snapshot's partition (k anchors, 2^m sign patterns, (r+1)² grid cells); 0 without parameters. */
export function cellCount(snap: FitSnapshot, surrogate: EstimatorFamily): number {
  if (surrogate === 'ball') return snap.anchors ? snap.anchors.length / 2 : 0;
  if (surrogate === 'halfspace') return snap.planes ? 1 << (snap.planes.length / 3) : 0;
  return snap.rect ? (snap.rect.r + 1) ** 2 : 0;
}

/**
 * The soft assignment of every point, from the snapshot's own parameters:
 *   ball       p_ij = softmax_j(−α‖x_i − c_j‖²)                          (Eq. 2)
 *   halfspace  g_j(x) = Π_t h_t^{s_jt} (1 − h_t)^{1−s_jt}, h_t = σ((w_tᵀx − b_t)/τ), s_jt = bit t of j   (Eqs. 4–5)
 *   rect       g_c(x) = Π_a μ_{a,l_a}(x_a), μ_{a,l} = σ((x − θ_{a,l−1})/τ) − σ((x − θ_{a,l})/τ)   (App. H.4)
 * Null when the snapshot has no parameters of that family (or more than 12 planes: 4096 cells per point).
 */
export function memberships(snap: FitSnapshot, surrogate: EstimatorFamily, params: { alpha: number; tau: number }): Memberships | null {
  if (surrogate === 'ball') return snap.anchors && snap.anchors.length > 0 ? anchorMemberships(snap.points, snap.anchors, params.alpha) : null;
  if (surrogate === 'halfspace') {
    const w = snap.planes;
    if (!w || w.length === 0 || w.length / 3 > 12) return null;
    return halfspaceMemberships(snap.points, w, params.tau);
  }
  return snap.rect ? rectMemberships(snap.points, rectCuts64(snap.rect), snap.rect.r, params.tau) : null;
}

/** H = −Σ_j q_j log q_j of the cell masses q_j = mean_i p_ij, nats: the surrogate value of the memberships. */
export function membershipEntropyNats(m: Memberships): number {
  return entropyNats(cellMasses(m));
}

/** The hard partition of the same parameters: nearest anchor, sign pattern (bit t iff w_tᵀx − b_t ≥ 0), grid cell. */
export function hardCells(snap: FitSnapshot, surrogate: EstimatorFamily): Uint32Array | null {
  const pts = snap.points;
  const n = pts.length / 2;
  const out = new Uint32Array(n);
  if (surrogate === 'ball') {
    const c = snap.anchors;
    if (!c || c.length === 0) return null;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < c.length / 2; j++) {
        const d = (pts[2 * i] - c[2 * j]) ** 2 + (pts[2 * i + 1] - c[2 * j + 1]) ** 2;
        if (d < bestD) ((bestD = d), (best = j));
      }
      out[i] = best;
    }
    return out;
  }
  if (surrogate === 'halfspace') {
    const w = snap.planes;
    if (!w || w.length === 0) return null;
    for (let i = 0; i < n; i++) {
      let cell = 0;
      for (let t = 0; t < w.length / 3; t++) if (w[3 * t] * pts[2 * i] + w[3 * t + 1] * pts[2 * i + 1] - w[3 * t + 2] >= 0) cell |= 1 << t;
      out[i] = cell >>> 0;
    }
    return out;
  }
  const rect = snap.rect;
  if (!rect) return null;
  const cuts = rectCuts(rect);
  const r = rect.r;
  for (let i = 0; i < n; i++) {
    let cell = 0;
    let scale = 1;
    for (let a = 0; a < 2; a++) {
      let l = 0;
      while (l < r && pts[2 * i + a] >= cuts[a * r + l]) l++;
      cell += l * scale;
      scale *= r + 1;
    }
    out[i] = cell;
  }
  return out;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Anchors farther than this many point-extents from the points' centre stay out of the box (and are counted). */
const ANCHOR_REACH = 3;

/**
 * The square box (equal scales) around the points of the given snapshots and their anchors, with a small margin.
 * An anchor that ran away (more than ANCHOR_REACH times the points' extent from their centre) does not stretch
 * the box: the figure counts it as outside instead of shrinking the point set to a dot.
 */
export function squareBox(snaps: readonly FitSnapshot[], marginFraction = 0.04): Box {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  const extend = (x: number, y: number): void => {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  for (const s of snaps) for (let i = 0; i + 1 < s.points.length; i += 2) extend(s.points[i], s.points[i + 1]);
  if (!Number.isFinite(minX)) return { x0: 0, y0: 0, x1: 1, y1: 1 };
  const reach = ANCHOR_REACH * Math.max(maxX - minX, maxY - minY, 1e-12);
  const [px, py] = [(minX + maxX) / 2, (minY + maxY) / 2];
  for (const s of snaps) {
    const a = s.anchors;
    if (!a) continue;
    for (let j = 0; j + 1 < a.length; j += 2) if (Math.abs(a[j] - px) <= reach && Math.abs(a[j + 1] - py) <= reach) extend(a[j], a[j + 1]);
  }
  const span = Math.max(maxX - minX, maxY - minY, 1e-12) * (1 + 2 * marginFraction);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  return { x0: cx - span / 2, y0: cy - span / 2, x1: cx + span / 2, y1: cy + span / 2 };
}

const inBox = (x: number, y: number, box: Box): boolean => x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1;

/**
 * The segment of the line {x : w1·x + w2·y = b} inside the box, or null when it misses it (Liang–Barsky on a
 * segment through the foot of the perpendicular, long enough to cross the whole box):
 *
 *      ┌──────────────┐
 *      │      ╱       │   p(t) = p0 + t·dir, dir = (−w2, w1), p0 = b·w/‖w‖²
 *      │    ╱         │   clipped to t ∈ [t_in, t_out] by the four edges
 *      └──╱───────────┘
 */
export function clipLineToBox(w1: number, w2: number, b: number, box: Box): [number, number, number, number] | null {
  const nn = w1 * w1 + w2 * w2;
  if (!(nn > 0) || !Number.isFinite(b)) return null;
  const px = (b * w1) / nn;
  const py = (b * w2) / nn;
  const len = Math.sqrt(nn);
  const dx = -w2 / len;
  const dy = w1 / len;
  let t0 = -Infinity;
  let t1 = Infinity;
  const edges: Array<[number, number]> = [
    [-dx, px - box.x0],
    [dx, box.x1 - px],
    [-dy, py - box.y0],
    [dy, box.y1 - py],
  ];
  for (const [pp, q] of edges) {
    if (pp === 0) {
      if (q < 0) return null;
      continue;
    }
    const t = q / pp;
    if (pp < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
  }
  if (!(t0 < t1) || !Number.isFinite(t0) || !Number.isFinite(t1)) return null;
  return [px + t0 * dx, py + t0 * dy, px + t1 * dx, py + t1 * dy];
}

/** Golden-angle hues after the theme palette: cell j keeps its colour in every snapshot. */
export function cellColor(j: number): string {
  if (j < PALETTE.length) return PALETTE[j];
  const h = ((j - PALETTE.length) * 137.508 + 20) % 360;
  return hslToHex(h, 0.62, 0.48);
}

function hslToHex(h: number, s: number, l: number): string {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return rgbHex((r + m) * 255, (g + m) * 255, (b + m) * 255);
}

function rgbHex(r: number, g: number, b: number): string {
  const h = (v: number): string => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

function hexRgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Colour of a point: the membership-weighted mean of its cells' colours (a point between cells looks mixed). */
export function blendedColors(m: Memberships): string[] {
  const rgb = Array.from({ length: m.cells }, (_, j) => hexRgb(cellColor(j)));
  const out = new Array<string>(m.n);
  for (let i = 0; i < m.n; i++) {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let j = 0; j < m.cells; j++) {
      const w = m.p[i * m.cells + j];
      if (w < 1e-6) continue;
      r += w * rgb[j][0];
      g += w * rgb[j][1];
      b += w * rgb[j][2];
    }
    out[i] = rgbHex(r, g, b);
  }
  return out;
}

export interface FitStateOptions {
  /** α of Eq. 2 for this snapshot (ball); τ of Eqs. 4 and H.4 (halfspace, rect). */
  alpha: number;
  tau: number;
  /** 'soft': blend of cell colours by soft membership; 'hard': nearest anchor / sign pattern / grid cell. */
  colorMode?: 'soft' | 'hard';
  /** Side of the square plot, px. */
  plotSize?: number;
  /** Axes box (equal scales); defaults to the snapshot's own square box. */
  box?: Box;
  title?: string;
}

/** What the overlay computed: the surrogate recomputed from the drawn parameters, to check against the run's. */
export interface FitStateFigure {
  option: EChartsOption;
  recomputedNats: number | null;
  colorMode: 'soft' | 'hard';
}

/**
 * The point set S′ of one snapshot with the fitted surrogate's parameters: anchors as large diamonds, planes as
 * lines clipped to the plot box, rectangle cuts as vertical/horizontal lines; points coloured by their soft
 * assignment under the same parameters (or by hard cell on request).
 */
export function fitStateFigure(state: FitState, which: 'before' | 'after', opts: FitStateOptions): FitStateFigure {
  const snap = state[which];
  const size = opts.plotSize ?? 320;
  const box = opts.box ?? squareBox([snap]);
  const soft = memberships(snap, state.surrogate, { alpha: opts.alpha, tau: opts.tau });
  const hard = hardCells(snap, state.surrogate);
  const colorMode: 'soft' | 'hard' = opts.colorMode === 'hard' || !soft ? 'hard' : 'soft';
  const colors = colorMode === 'soft' && soft ? blendedColors(soft) : null;
  const n = snap.points.length / 2;

  const pointData = new Array<{ value: [number, number, number, number]; itemStyle: { color: string } }>(n);
  for (let i = 0; i < n; i++) {
    let cell = hard ? hard[i] : 0;
    let pmax = 1;
    if (soft) {
      pmax = 0;
      for (let j = 0; j < soft.cells; j++) {
        const w = soft.p[i * soft.cells + j];
        if (w > pmax) ((pmax = w), (cell = j));
      }
    }
    pointData[i] = {
      value: [snap.points[2 * i], snap.points[2 * i + 1], cell, pmax],
      itemStyle: { color: colors ? colors[i] : hard ? cellColor(hard[i]) : '#94a3b8' },
    };
  }

  const series: Array<ScatterSeriesOption | LineSeriesOption> = [
    {
      type: 'scatter',
      name: 'points',
      data: pointData,
      symbolSize: n > 5000 ? 2.5 : n > 1500 ? 3.5 : 5,
      itemStyle: { opacity: 0.85 },
      emphasis: { disabled: true },
      z: 2,
    },
  ];
  const segments: Array<[number, number, number, number]> = [];
  let paramName = '';
  /** Anchors, planes or cuts that the plot box does not show. */
  let outside = 0;
  const addLine = (w1: number, w2: number, b: number): void => {
    const seg = clipLineToBox(w1, w2, b, box);
    if (seg) segments.push(seg);
    else outside++;
  };
  if (state.surrogate === 'ball' && snap.anchors) {
    paramName = 'anchors';
    const a = snap.anchors;
    const shown: Array<{ value: number[]; itemStyle: { color: string; borderColor: string; borderWidth: number } }> = [];
    for (let j = 0; j < a.length / 2; j++) {
      if (!inBox(a[2 * j], a[2 * j + 1], box)) {
        outside++;
        continue;
      }
      shown.push({ value: [a[2 * j], a[2 * j + 1], j, -1], itemStyle: { color: cellColor(j), borderColor: TEXT_COLOR, borderWidth: 1.5 } });
    }
    series.push({ type: 'scatter', name: 'anchors', data: shown, symbol: 'diamond', symbolSize: 16, z: 4 });
  } else if (state.surrogate === 'halfspace' && snap.planes) {
    paramName = 'planes';
    for (let t = 0; t < snap.planes.length / 3; t++) addLine(snap.planes[3 * t], snap.planes[3 * t + 1], snap.planes[3 * t + 2]);
  } else if (state.surrogate === 'rect' && snap.rect) {
    paramName = 'cuts';
    const cuts = rectCuts(snap.rect);
    const r = snap.rect.r;
    for (let l = 0; l < r; l++) addLine(1, 0, cuts[l]);
    for (let l = 0; l < r; l++) addLine(0, 1, cuts[r + l]);
  }
  for (const [x0, y0, x1, y1] of segments) {
    series.push({
      type: 'line',
      name: paramName,
      data: [
        [x0, y0],
        [x1, y1],
      ],
      showSymbol: false,
      lineStyle: { color: TEXT_COLOR, width: 1.5 },
      itemStyle: { color: TEXT_COLOR },
      emphasis: { disabled: true },
      z: 3,
    });
  }

  const sym = surrogateOfFamily(state.surrogate);
  const recomputed = soft ? membershipEntropyNats(soft) : null;
  const param = state.surrogate === 'ball' ? `α = ${formatNumber(opts.alpha)}` : `τ = ${formatNumber(opts.tau)}`;
  const colorLine =
    colorMode === 'soft'
      ? 'colour: soft assignment (cell colours blended by membership)'
      : `colour: hard cell (${state.surrogate === 'ball' ? 'nearest anchor' : state.surrogate === 'halfspace' ? 'sign pattern' : 'grid cell'})${opts.colorMode !== 'hard' ? ' — soft assignment not computable' : ''}`;
  const sub = [
    `${sym} = ${fmt(snap.surrogateNats, 4)} nats (run) · recomputed from the drawn parameters: ${fmt(recomputed, 4)} nats (${param})`,
    colorLine + (outside > 0 ? ` · ${outside} ${paramName === 'anchors' ? 'anchor' : paramName === 'planes' ? 'plane' : 'cut'}${outside === 1 ? '' : 's'} outside the plot` : ''),
  ];
  const axis = (lo: number, hi: number) => ({
    type: 'value' as const,
    min: lo,
    max: hi,
    axisLine: { onZero: false, lineStyle: { color: MUTED_COLOR } },
    axisLabel: { color: MUTED_COLOR, fontSize: 10, formatter: (v: number) => formatNumber(v), hideOverlap: true, showMinLabel: false, showMaxLabel: false },
    splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
  });
  const what = state.surrogate === 'ball' ? 'anchor' : 'cell';
  return {
    colorMode,
    recomputedNats: recomputed,
    option: {
      ...baseOption(opts.title ?? `${which === 'before' ? 'Before' : 'After'} fitting · set ${state.set} (${state.family}), n = ${n}`, sub.join('\n')),
      legend: { bottom: 0, left: 'center', textStyle: { fontSize: 11 }, data: legendNames(series) },
      grid: { width: size, height: size, left: 'center', top: gridTop(sub.length) },
      tooltip: {
        trigger: 'item',
        formatter: escapedTooltip((p) => {
          const one = Array.isArray(p) ? p[0] : p;
          const v = one.value as number[];
          if (one.seriesType === 'line') return paramName;
          if (one.seriesName === 'anchors') return `anchor ${v[2]}<br/>(${formatNumber(v[0])}, ${formatNumber(v[1])})`;
          const share = soft ? ` (membership ${formatNumber(v[3])})` : '';
          return `(${formatNumber(v[0])}, ${formatNumber(v[1])})<br/>${what} ${v[2]}${share}`;
        }),
      },
      xAxis: axis(box.x0, box.x1),
      yAxis: axis(box.y0, box.y1),
      series,
    },
  };
}
