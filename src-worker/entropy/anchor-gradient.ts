/**
 * The gradient of H_diff (Eqs. 2–3) with respect to the anchors, in Float64, three ways: as Appendix E.2
 * writes it, as it follows from Eqs. 2–3, and by central finite differences of the direct formula.
 *
 * With p_ij = softmax_j(−α‖x_i − c_j‖²), p_j = (1/n) Σ_i p_ij and H = −Σ_l p_l log p_l:
 *   ∂H/∂p_l = −(log p_l + 1),  ∂p_il/∂c_j = 2α p_il (δ_lj − p_ij)(x_i − c_j),
 * so, the +1 terms cancelling because Σ_l p_il = 1,
 *   ∇_{c_j} H = (2α/n) Σ_i p_ij (Σ_l p_il log p_l − log p_j)(x_i − c_j).           (derived)
 * Appendix E.2 prints ∇_{c_j} H = α Σ_i p_ij (p_ij − p_j)(x_i − c_j)                   (paper)
 * and, setting it to zero, the stationary anchors c_j = Σ_i p_ij² x_i / Σ_i p_ij².
 */
import { anchorMassesDirect, hDiffDirect } from './surrogates';

/** Soft assignments p_ij (row-major n × k), Float64, with the max-logit shift for stability. */
export function softAssignments(points: ArrayLike<number>, anchors: ArrayLike<number>, alpha: number, d = 2): Float64Array {
  const n = points.length / d;
  const k = anchors.length / d;
  const p = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) {
      let d2 = 0;
      for (let a = 0; a < d; a++) d2 += (points[i * d + a] - anchors[j * d + a]) ** 2;
      p[i * k + j] = -alpha * d2;
      if (p[i * k + j] > max) max = p[i * k + j];
    }
    let sum = 0;
    for (let j = 0; j < k; j++) sum += p[i * k + j] = Math.exp(p[i * k + j] - max);
    for (let j = 0; j < k; j++) p[i * k + j] /= sum;
  }
  return p;
}

/** The derived gradient (flat k × d). */
export function anchorGradientDerived(points: ArrayLike<number>, anchors: ArrayLike<number>, alpha: number, d = 2): Float64Array {
  const n = points.length / d;
  const k = anchors.length / d;
  const p = softAssignments(points, anchors, alpha, d);
  const mass = anchorMassesDirect(points, anchors, alpha, d);
  const logMass = Array.from(mass, (m) => Math.log(m));
  const g = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    let mix = 0;
    for (let l = 0; l < k; l++) mix += p[i * k + l] * logMass[l];
    for (let j = 0; j < k; j++) {
      const w = ((2 * alpha) / n) * p[i * k + j] * (mix - logMass[j]);
      for (let a = 0; a < d; a++) g[j * d + a] += w * (points[i * d + a] - anchors[j * d + a]);
    }
  }
  return g;
}

/** Appendix E.2's formula, as printed. */
export function anchorGradientPaper(points: ArrayLike<number>, anchors: ArrayLike<number>, alpha: number, d = 2): Float64Array {
  const n = points.length / d;
  const k = anchors.length / d;
  const p = softAssignments(points, anchors, alpha, d);
  const mass = anchorMassesDirect(points, anchors, alpha, d);
  const g = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const w = alpha * p[i * k + j] * (p[i * k + j] - mass[j]);
      for (let a = 0; a < d; a++) g[j * d + a] += w * (points[i * d + a] - anchors[j * d + a]);
    }
  }
  return g;
}

/** Central finite differences of the direct H_diff, step h per coordinate. */
export function anchorGradientFiniteDifference(points: ArrayLike<number>, anchors: ArrayLike<number>, alpha: number, d = 2, h = 1e-6): Float64Array {
  const c = Float64Array.from(anchors);
  const g = new Float64Array(c.length);
  for (let q = 0; q < c.length; q++) {
    const keep = c[q];
    c[q] = keep + h;
    const up = hDiffDirect(points, c, alpha, d);
    c[q] = keep - h;
    const down = hDiffDirect(points, c, alpha, d);
    c[q] = keep;
    g[q] = (up - down) / (2 * h);
  }
  return g;
}

/** E.2's stationary-point map c_j ← Σ_i p_ij² x_i / Σ_i p_ij². */
export function paperStationaryMap(points: ArrayLike<number>, anchors: ArrayLike<number>, alpha: number, d = 2): Float64Array {
  const n = points.length / d;
  const k = anchors.length / d;
  const p = softAssignments(points, anchors, alpha, d);
  const out = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    let w = 0;
    for (let i = 0; i < n; i++) {
      const q = p[i * k + j] ** 2;
      w += q;
      for (let a = 0; a < d; a++) out[j * d + a] += q * points[i * d + a];
    }
    for (let a = 0; a < d; a++) out[j * d + a] = w > 0 ? out[j * d + a] / w : anchors[j * d + a];
  }
  return out;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : Number.NaN;
}

/** ‖a − ref‖ / ‖ref‖. */
export function relativeError(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ref[i]) ** 2;
    den += ref[i] ** 2;
  }
  return den > 0 ? Math.sqrt(num / den) : Number.NaN;
}
