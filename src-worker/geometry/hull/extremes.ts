/**
 * The extreme points of a set in the eight directions y, x−y, x, x+y, −y… and the box they prove interior, shared
 * by the Akl–Toussaint octagon filter (over every point) and the quadrant filter (over a strided sample).
 *
 * Box: with x1 = max(BL.x, TL.x), x2 = min(BR.x, TR.x), y1 = max(BL.y, BR.y), y2 = min(TL.y, TR.y), every p in the
 * open box (x1, x2) × (y1, y2) is interior to conv{BL, BR, TR, TL}: for any direction u one of the four corners
 * lies strictly further along u than p (the corner in u's quadrant beats p in both coordinates). Only
 * comparisons, so no rounding, whichever points the rounded diagonals x ± y pick.
 */

/** Indices of the extremes: lowest y (B), largest x − y (BR), largest x (R), largest x + y (TR), largest y (T),
 * smallest x − y (TL), smallest x (L), smallest x + y (BL); the first such point on ties. */
export interface Extremes {
  b: number;
  br: number;
  r: number;
  tr: number;
  t: number;
  tl: number;
  l: number;
  bl: number;
}

export interface InnerBox {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

/** Extremes over the points 0, step, 2·step, … (< n); n ≥ 1. */
export function extremePoints(points: Float64Array, n: number, step = 1): Extremes {
  let b = 0, br = 0, r = 0, tr = 0, t = 0, tl = 0, l = 0, bl = 0;
  let minY = points[1], maxY = minY, minX = points[0], maxX = minX;
  let minS = minX + minY, maxS = minS, minD = minX - minY, maxD = minD;
  for (let i = step; i < n; i += step) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    if (y < minY) ((minY = y), (b = i));
    else if (y > maxY) ((maxY = y), (t = i));
    if (x < minX) ((minX = x), (l = i));
    else if (x > maxX) ((maxX = x), (r = i));
    const s = x + y;
    if (s < minS) ((minS = s), (bl = i));
    else if (s > maxS) ((maxS = s), (tr = i));
    const d = x - y;
    if (d < minD) ((minD = d), (tl = i));
    else if (d > maxD) ((maxD = d), (br = i));
  }
  return { b, br, r, tr, t, tl, l, bl };
}

/** The open box that the diagonal extremes prove interior (see above); empty when they do not span one. */
export function innerBox(points: Float64Array, e: Extremes): InnerBox {
  return {
    x1: Math.max(points[2 * e.bl], points[2 * e.tl]),
    x2: Math.min(points[2 * e.br], points[2 * e.tr]),
    y1: Math.max(points[2 * e.bl + 1], points[2 * e.br + 1]),
    y2: Math.min(points[2 * e.tl + 1], points[2 * e.tr + 1]),
  };
}
