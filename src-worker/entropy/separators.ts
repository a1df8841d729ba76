/**
 * Data-driven initial separators for H_soft and the rectangle family (App. H.5 suggests "maximum-margin
 * separators or principal directions"; these are the simplest deterministic choice): m planes with unit
 * normals at evenly spaced angles through the median projection, and per-axis quantile cuts.
 */
import { rectParamsFromCuts, type RectParams64 } from './surrogates';

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** m planes with unit normals at angles πt/m, each through the median projection of the points. */
export function canonicalPlanes(points: Float64Array, m: number): Float64Array {
  const n = points.length / 2;
  const planes = new Float64Array(3 * m);
  const proj = new Float64Array(n);
  for (let t = 0; t < m; t++) {
    const c = Math.cos((Math.PI * t) / m);
    const s = Math.sin((Math.PI * t) / m);
    for (let i = 0; i < n; i++) proj[i] = c * points[2 * i] + s * points[2 * i + 1];
    planes[3 * t] = c;
    planes[3 * t + 1] = s;
    planes[3 * t + 2] = median(proj);
  }
  return planes;
}

/** r cuts per axis at the (l+1)/(r+1) quantiles, nudged apart to stay strictly increasing. */
export function quantileCuts(points: Float64Array, r: number): RectParams64 {
  const n = points.length / 2;
  const cuts = new Float64Array(2 * r);
  for (let a = 0; a < 2; a++) {
    const coords = Float64Array.from({ length: n }, (_, i) => points[2 * i + a]).sort();
    for (let l = 0; l < r; l++) {
      let v = coords[Math.min(n - 1, Math.floor(((l + 1) * n) / (r + 1)))];
      if (l > 0 && v <= cuts[a * r + l - 1] + 1e-6) v = cuts[a * r + l - 1] + 1e-3;
      cuts[a * r + l] = v;
    }
  }
  return rectParamsFromCuts(cuts, 2, r);
}

