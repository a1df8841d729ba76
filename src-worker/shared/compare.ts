/**
 * The one lexicographic order on 2-D points of the project: by x, then by y. Points live in a flat coordinate
 * array [x0, y0, x1, y1, …] and are named by index, so sorting index arrays allocates no point objects.
 */

/** Negative if point i comes before point j, positive if after, 0 when both coordinates are equal. */
export function compareLex(p: ArrayLike<number>, i: number, j: number): number {
  const xi = p[2 * i], xj = p[2 * j];
  if (xi !== xj) return xi < xj ? -1 : 1;
  const yi = p[2 * i + 1], yj = p[2 * j + 1];
  if (yi !== yj) return yi < yj ? -1 : 1;
  return 0;
}
