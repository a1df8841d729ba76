/**
 * Saliency maps over patches from attention weights (F.4, Table 18): the CLS row of one layer and head, and
 * attention rollout (Abnar & Zuidema 2020). Token 0 is CLS, tokens 1..P are patches.
 *
 * Rollout: Ā_l = ½·mean_h A_l + ½·I (the residual path), rows renormalised to 1; R = Ā_L ⋯ Ā_1; the map is
 * R's CLS row over the patches. Plain Float64 code on one image's [H, N, N] weights per layer.
 */

/** CLS → patch weights of one head: row 0, columns 1..n−1. attn: [H, N, N] (flat) of one image. */
export function clsRow(attn: ArrayLike<number>, head: number, n: number, offset = 0): Float64Array {
  const out = new Float64Array(n - 1);
  const row = offset + head * n * n;
  for (let j = 1; j < n; j++) out[j - 1] = attn[row + j];
  return out;
}

/** Mean over heads of the CLS → patch weights. */
export function clsRowMean(attn: ArrayLike<number>, heads: number, n: number, offset = 0): Float64Array {
  const out = new Float64Array(n - 1);
  for (let h = 0; h < heads; h++) {
    const row = offset + h * n * n;
    for (let j = 1; j < n; j++) out[j - 1] += attn[row + j] / heads;
  }
  return out;
}

/**
 * Attention rollout of one image. layers[l] is that layer's [H, N, N] weights (flat, the image's block
 * starting at offsets[l] ?? 0). Returns the CLS row over patches (length n − 1).
 */
export function rollout(layers: ArrayLike<number>[], heads: number, n: number, offsets: number[] = []): Float64Array {
  let r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) r[i * n + i] = 1;
  const a = new Float64Array(n * n);
  const next = new Float64Array(n * n);
  layers.forEach((attn, l) => {
    const off = offsets[l] ?? 0;
    a.fill(0);
    for (let h = 0; h < heads; h++) for (let e = 0; e < n * n; e++) a[e] += attn[off + h * n * n + e] / heads;
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j < n; j++) {
        a[i * n + j] = 0.5 * a[i * n + j] + (i === j ? 0.5 : 0);
        z += a[i * n + j];
      }
      for (let j = 0; j < n; j++) a[i * n + j] /= z;
    }
    // R ← Ā_l · R (later layers multiply on the left).
    next.fill(0);
    for (let i = 0; i < n; i++) {
      for (let m = 0; m < n; m++) {
        const aim = a[i * n + m];
        if (aim === 0) continue;
        for (let j = 0; j < n; j++) next[i * n + j] += aim * r[m * n + j];
      }
    }
    r = Float64Array.from(next);
  });
  return r.slice(1, n);
}
