/**
 * Seeded pseudo-random numbers for point generators (App. G.14: fixed seeds 42, 123, 456, 789, 999).
 *
 * The generator is the project's one seeded PRNG (sfc32, in `shared/random.ts`); this module adds the
 * point-array helpers the generators need.
 */

export { gaussian, rng, rngUint32 } from '../shared/random';

/** In-place Fisher–Yates shuffle of the points (stride `dims`) of a flat coordinate array. */
export function shufflePoints(coords: Float64Array, dims: number, uniform: () => number): void {
  const n = Math.floor(coords.length / dims);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    if (j === i) continue;
    for (let d = 0; d < dims; d++) {
      const t = coords[i * dims + d];
      coords[i * dims + d] = coords[j * dims + d];
      coords[j * dims + d] = t;
    }
  }
}
