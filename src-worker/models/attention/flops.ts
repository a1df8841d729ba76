/**
 * Analytic FLOPs of one attention head on n tokens (a multiply–add counts 2), for the kernels of
 * kernels.ts. Softmax, selection and sorting are O(n) or O(k log k) per row and not counted.
 *
 *   dense         QKᵀ 2n²d + WV 2n²d                                   = 4n²d
 *   top-b         QKᵀ 2n²d (every score is needed to rank) + WV 2nbd
 *   block-sparse  assignment of keys to anchors 2nkd + centroids nd + centroid scores 2nkd
 *                 + QKᵀ on kept keys 2nbd + WV 2nbd
 * (Theorem 2, Eq. 10 bounds only the last two terms: C_FLOP·(R/k)·n²d.)
 */
export type KernelKind = 'dense' | 'top-b' | 'block-sparse';

export function headFlops(kind: KernelKind, n: number, d: number, b = n, k = 0): number {
  switch (kind) {
    case 'dense':
      return 4 * n * n * d;
    case 'top-b':
      return 2 * n * n * d + 2 * n * b * d;
    case 'block-sparse':
      return 4 * n * k * d + n * d + 4 * n * b * d;
  }
}
