/**
 * Patch-level ground truth from exact pixel masks (F.4, Table 18); the binarisation rules and IoU that score
 * attention against it are in src-worker/shared/masks.ts.
 */

/**
 * Patch ground truth of one image: patch (py, px) is object iff the object covers at least half of its
 * pixels. mask: [size, size] 0/1 starting at `offset`; result [(size/patch)²], row-major.
 */
export function patchTruth(mask: ArrayLike<number>, size: number, patch: number, offset = 0): Uint8Array {
  const g = size / patch;
  const out = new Uint8Array(g * g);
  const half = (patch * patch) / 2;
  for (let py = 0; py < g; py++) {
    for (let px = 0; px < g; px++) {
      let s = 0;
      for (let dy = 0; dy < patch; dy++) {
        const row = offset + (py * patch + dy) * size + px * patch;
        for (let dx = 0; dx < patch; dx++) s += mask[row + dx];
      }
      out[py * g + px] = s >= half ? 1 : 0;
    }
  }
  return out;
}
