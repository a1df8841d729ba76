/**
 * The shared output convention of every hull algorithm: vertex indices counter-clockwise, starting at the
 * lowest point (smallest y, then smallest x), no collinear vertices, one index per distinct location (the
 * lowest index among duplicates).
 */

/** The CCW vertex cycle rotated to start at its lowest-then-leftmost vertex (the input if it already does). */
export function rotateToLowest(points: Float64Array, cycle: Uint32Array): Uint32Array {
  const h = cycle.length;
  if (h < 2) return cycle;
  let start = 0;
  for (let j = 1; j < h; j++) {
    const a = cycle[j];
    const b = cycle[start];
    const ya = points[2 * a + 1];
    const yb = points[2 * b + 1];
    if (ya < yb || (ya === yb && points[2 * a] < points[2 * b])) start = j;
  }
  if (start === 0) return cycle;
  const out = new Uint32Array(h);
  for (let j = 0; j < h; j++) out[j] = cycle[(start + j) % h];
  return out;
}
