/**
 * `auto`: the fastest exact route we know for a given input, chosen in O(√n)-ish time.
 *
 * The Akl–Toussaint box filter pays for itself when it throws away most points (uniform, clustered,
 * parabolic, strokes) and costs two wasted passes when it cannot (every point on a circle). A strided sample
 * of ~2048 points decides (`filterLooksWorthwhile`); either way the survivors are radix-sorted and chained,
 * so the result is exactly the monotone chain's.
 */
import { aklToussaintHull, filterLooksWorthwhile } from './akl-toussaint';
import { monotoneHull } from './monotone';

const SMALL = 256;

export function autoHull(points: Float64Array): Uint32Array {
  const n = points.length >> 1;
  if (n >= SMALL && filterLooksWorthwhile(points)) return aklToussaintHull(points);
  return monotoneHull(points);
}
