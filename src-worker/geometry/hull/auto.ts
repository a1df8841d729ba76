/**
 * `auto`: the fastest exact route we know for a given input, chosen in O(√n)-ish time.
 *
 * The quadrant-dominance filter pays for itself when it throws away most points (uniform, clustered,
 * parabolic, disks, strokes) and costs two wasted passes when it cannot (every point on a circle). A strided
 * sample of ~2048 points decides (`quadrantFilterWorthwhile`); either way the survivors are radix-sorted and
 * chained, so the result is exactly the monotone chain's.
 */
import { monotoneChainGathered, monotoneHull } from './monotone';
import { quadrantFilter, quadrantFilterWorthwhile } from './quadrant-filter';
import { sortGatheredLex } from './sort';

const SMALL = 256;

let survivors = new Uint32Array(0);

export function autoHull(points: Float64Array): Uint32Array {
  const n = points.length >> 1;
  if (n < SMALL || !quadrantFilterWorthwhile(points)) return monotoneHull(points);
  if (survivors.length < n) survivors = new Uint32Array(n);
  const c = quadrantFilter(points, survivors);
  const sorted = sortGatheredLex(points, survivors, c);
  return monotoneChainGathered(sorted.x, sorted.y, sorted.index, c);
}
