/**
 * Proposition 1 (App. E.4): for cluster masses p (k clusters) and δ ∈ (0, 1), the smallest R whose R largest
 * masses sum to at least 1 − δ is claimed to satisfy R ≤ min{k, ⌈e^{H(p)}/δ⌉}. `minimalCover` computes R
 * exactly; `adversarialMasses` builds the distributions that break the bound: one heavy cluster of mass
 * 1 − 2δ and M light clusters sharing 2δ, so about M/2 light ones are needed while H(p) grows only like
 * 2δ·ln M. What does hold: the mass left after the R − 1 largest exceeds δ and sits on atoms of mass at
 * most 1/(R − 1), so H(p) ≥ δ·ln(R − 1), i.e. R ≤ 1 + e^{H(p)/δ} (`validCoverBound`).
 */

export function entropyNatsOf(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) h -= p[i] * Math.log(p[i]);
  return h;
}

/** The smallest R such that the R largest masses sum to ≥ 1 − δ (masses summing to 1). */
export function minimalCover(p: ArrayLike<number>, delta: number): number {
  const sorted = Float64Array.from(p).sort().reverse();
  let sum = 0;
  // A relative slack so that masses which sum to 1 − δ exactly in real arithmetic are not missed by rounding.
  const target = 1 - delta - 1e-12;
  for (let r = 0; r < sorted.length; r++) {
    sum += sorted[r];
    if (sum >= target) return r + 1;
  }
  return sorted.length;
}

export function paperCoverBound(p: ArrayLike<number>, delta: number): number {
  return Math.min(p.length, Math.ceil(Math.exp(entropyNatsOf(p)) / delta));
}

export function validCoverBound(p: ArrayLike<number>, delta: number): number {
  return Math.min(p.length, Math.floor(1 + Math.exp(entropyNatsOf(p) / delta)));
}

/** One heavy cluster of mass `heavy` and `light` equal clusters sharing the rest. */
export function adversarialMasses(heavy: number, light: number): Float64Array {
  const p = new Float64Array(light + 1);
  p[0] = heavy;
  p.fill((1 - heavy) / light, 1);
  return p;
}
