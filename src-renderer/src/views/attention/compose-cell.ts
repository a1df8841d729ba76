/**
 * Compositing one gallery cell of the attention panel as RGBA pixels: the test image scaled up, the attention
 * map as a heatmap blended over it (matplotlib's viridis or inferno), and the ground-truth outline. Colour is the
 * renderer's business; main and the worker hand it scores and masks only.
 */

export type ColorMapName = 'viridis' | 'inferno';

/** Nine evenly spaced stops of matplotlib's maps, linearly interpolated between. */
const COLOR_MAPS: Record<ColorMapName, ReadonlyArray<readonly [number, number, number]>> = {
  viridis: [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]],
  inferno: [[0, 0, 4], [31, 12, 72], [85, 15, 109], [136, 34, 106], [186, 54, 85], [227, 89, 51], [249, 140, 10], [249, 201, 50], [252, 255, 164]],
};

export function colorAt(map: ColorMapName, t: number): [number, number, number] {
  const stops = COLOR_MAPS[map];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

/** Scores scaled to [0, 1] by their min and max (all 0 when flat). */
export function normalise(scores: ArrayLike<number>): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i])) ((lo = Math.min(lo, scores[i])), (hi = Math.max(hi, scores[i])));
  const span = hi - lo;
  return Array.from(scores, (v) => (Number.isFinite(v) && span > 0 ? (v - lo) / span : 0));
}

export interface CellOptions {
  imageSize: number;
  patch: number;
  /** Output pixels per image pixel (nearest neighbour). */
  scale: number;
  /** imageSize²·3 bytes, RGB row-major. */
  rgb: ArrayLike<number>;
  /** grid² scores, or null for no heatmap. */
  heat: ArrayLike<number> | null;
  alpha: number;
  colorMap: ColorMapName;
  /** 'patch': outline of the patch-level truth; 'pixel': of the pixel mask; 'none'. */
  outline: 'none' | 'patch' | 'pixel';
  patchTruth?: ArrayLike<number>;
  /** imageSize² bytes, non-zero = object. */
  mask?: ArrayLike<number>;
  outlineColor?: readonly [number, number, number];
}

/**
 * The RGBA pixels of one gallery cell at `scale`×: the image, the heatmap blended over it with `alpha`, and a
 * 1–2 px outline on the inside edge of the truth region (patch cells or mask pixels).
 */
export function composeCell(o: CellOptions): { width: number; height: number; data: Uint8ClampedArray } {
  const S = o.imageSize;
  const s = Math.max(1, Math.round(o.scale));
  const W = S * s;
  const data = new Uint8ClampedArray(W * W * 4);
  const g = Math.max(1, Math.round(S / o.patch));
  const heat = o.heat && o.heat.length === g * g ? normalise(o.heat).map((t) => colorAt(o.colorMap, t)) : null;
  const alpha = Math.min(1, Math.max(0, o.alpha));
  const [or, og, ob] = o.outlineColor ?? [255, 64, 64];
  const width = Math.max(1, Math.round(s / 3));
  const truthCell = o.outline === 'patch' ? o.patchTruth : o.outline === 'pixel' ? o.mask : undefined;
  const cellPx = o.outline === 'patch' ? o.patch * s : s;
  const cells = o.outline === 'patch' ? g : S;
  const inside = (cx: number, cy: number): boolean => cx >= 0 && cy >= 0 && cx < cells && cy < cells && !!truthCell && truthCell[cy * cells + cx] !== 0;
  for (let y = 0; y < W; y++) {
    const sy = Math.floor(y / s);
    for (let x = 0; x < W; x++) {
      const sx = Math.floor(x / s);
      const p = sy * S + sx;
      let r = o.rgb[p * 3] ?? 0;
      let gg = o.rgb[p * 3 + 1] ?? 0;
      let b = o.rgb[p * 3 + 2] ?? 0;
      if (heat && alpha > 0) {
        const c = heat[Math.floor(sy / o.patch) * g + Math.floor(sx / o.patch)];
        r = r * (1 - alpha) + c[0] * alpha;
        gg = gg * (1 - alpha) + c[1] * alpha;
        b = b * (1 - alpha) + c[2] * alpha;
      }
      if (truthCell) {
        const cx = Math.floor(x / cellPx);
        const cy = Math.floor(y / cellPx);
        if (inside(cx, cy)) {
          const lx = x - cx * cellPx;
          const ly = y - cy * cellPx;
          const edge =
            (lx < width && !inside(cx - 1, cy)) ||
            (lx >= cellPx - width && !inside(cx + 1, cy)) ||
            (ly < width && !inside(cx, cy - 1)) ||
            (ly >= cellPx - width && !inside(cx, cy + 1));
          if (edge) ((r = or), (gg = og), (b = ob));
        }
      }
      const k = (y * W + x) * 4;
      data[k] = r;
      data[k + 1] = gg;
      data[k + 2] = b;
      data[k + 3] = 255;
    }
  }
  return { width: W, height: W, data };
}
