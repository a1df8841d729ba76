/**
 * Which of the paper's claims an entropy-validation run measures, as declared links (shared/claim-link.ts).
 *
 * The R² = 0.96 claim (Section 1, restated in Section 3 and Appendix E.3) is E.3's "R² = 0.96 between H_diff
 * and H_R across training": the fit part (b) logs H_diff and the structural entropy of the moving points at
 * every logged step, so the link is the R² of each fitted set's trajectory, averaged over the sets, with the
 * 95% Student-t CI of that mean (value and interval describe the same number; the R² of all steps pooled is in
 * the note). Only a fit with the ball surrogate (H_diff) links it. Our H_R is the best
 * triangulation upper bound (H_R itself is not computable exactly), which the link's quantity says.
 *
 * Theorem 1 is probed at every logged step (|H_hard − H_soft| against the bound at the measured margin, with
 * the constants c and δ the paper leaves open taken from the config): a check link reports whether it held,
 * and declares those constants as assumed, so holding reads as consistent, never as confirmed.
 */
import { linkFrom, type ClaimLink, type LinkSpec } from '../../shared/claim-link';
import { tCritical95 } from '../../geometry/timing';

export const LINKS: readonly LinkSpec[] = [
  { claim: 'S1.geometry.surrogate-r2', quantity: 'R² of H_diff against the triangulation upper bound of H_R across training (E.3), mean over fitted sets', unit: 'R^2', portability: 'portable' },
  { claim: 'S3.theory.thm1.tau-condition', quantity: 'fraction of logged steps at which |H_hard − H_soft| is within the Theorem 1 bound at the measured margin', unit: 'gamma (tau <= 0.25*gamma)', portability: 'portable' },
];
const spec = new Map(LINKS.map((l) => [l.claim, l]));

export interface AcrossTraining {
  /** Structural entropy (nats) and surrogate value (nats) at each logged step, and the fitted set it came from. */
  struct: readonly number[];
  surrogate: readonly number[];
  set: readonly number[];
}

function r2(x: readonly number[], y: readonly number[]): number | null {
  const pairs = x.map((xi, i) => [xi, y[i]] as const).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const n = pairs.length;
  if (n < 3) return null;
  const mx = pairs.reduce((s, [a]) => s + a, 0) / n;
  const my = pairs.reduce((s, [, b]) => s + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [a, b] of pairs) {
    sxx += (a - mx) ** 2;
    sxy += (a - mx) * (b - my);
    syy += (b - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : null;
}

/** The mean of the per-set R² values with its 95% CI (null below two sets), and the R² of all steps pooled. */
export function acrossTrainingR2(t: AcrossTraining): { mean: number | null; pooled: number | null; perSet: number[]; ci95: [number, number] | null } {
  const pooled = r2(t.struct, t.surrogate);
  const perSet: number[] = [];
  for (const s of [...new Set(t.set)]) {
    const idx = t.set.map((v, i) => (v === s ? i : -1)).filter((i) => i >= 0);
    const v = r2(idx.map((i) => t.struct[i]), idx.map((i) => t.surrogate[i]));
    if (v !== null) perSet.push(v);
  }
  if (perSet.length === 0) return { mean: null, pooled, perSet, ci95: null };
  const mean = perSet.reduce((a, b) => a + b, 0) / perSet.length;
  if (perSet.length < 2) return { mean, pooled, perSet, ci95: null };
  const sd = Math.sqrt(perSet.reduce((a, b) => a + (b - mean) ** 2, 0) / (perSet.length - 1));
  const half = (tCritical95(perSet.length - 1) * sd) / Math.sqrt(perSet.length);
  return { mean, pooled, perSet, ci95: [Math.max(0, mean - half), Math.min(1, mean + half)] };
}

export function entropyValidationClaims(opts: {
  surrogate: string;
  n: number;
  trace: AcrossTraining;
  boundHeld: number;
  boundSteps: number;
  boundConstants: { c: number; delta: number };
}): Record<string, ClaimLink> {
  const out: Record<string, ClaimLink> = {};
  const sets = new Set(opts.trace.set).size;
  if (opts.surrogate === 'ball') {
    const r = acrossTrainingR2(opts.trace);
    const s = spec.get('S1.geometry.surrogate-r2')!;
    if (r.mean !== null) {
      out[s.claim] = linkFrom(s, {
        value: r.mean,
        ci95: r.ci95,
        dataset: { name: 'synthetic point-set families', kind: 'real' },
        n: opts.n,
        method: 'H_diff (ball surrogate) fitted by Adam',
        seeds: r.perSet.length,
        scale: 'paper',
        note: `mean of the ${r.perSet.length} per-set R² values (${r.perSet.map((v) => v.toFixed(2)).join(', ')}) with their t-interval; all ${opts.trace.struct.length} logged steps pooled give R² = ${r.pooled === null ? 'n/a' : r.pooled.toFixed(3)}; H_R by its triangulation upper bound`,
      });
    }
  }
  // Theorem 1 is stated for halfspace cells (H_soft), so only a halfspace fit checks it.
  if (opts.boundSteps > 0 && opts.surrogate === 'halfspace') {
    const s = spec.get('S3.theory.thm1.tau-condition')!;
    out[s.claim] = linkFrom(s, {
      value: opts.boundHeld / opts.boundSteps,
      ci95: null,
      dataset: { name: 'synthetic point-set families', kind: 'real' },
      n: opts.n,
      method: `${opts.surrogate} surrogate fitted by Adam`,
      seeds: sets,
      scale: 'paper',
      check: opts.boundHeld === opts.boundSteps ? 'holds' : 'fails',
      assumed: [`c = ${opts.boundConstants.c} (the paper's universal constant, unstated)`, `δ = ${opts.boundConstants.delta}`],
      note: `the Theorem 1 bound (c = ${opts.boundConstants.c}, δ = ${opts.boundConstants.delta}, constants the paper leaves open) held at ${opts.boundHeld} of ${opts.boundSteps} logged steps`,
    });
  }
  return out;
}
