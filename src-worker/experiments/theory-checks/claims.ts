/**
 * The theory claims a theory-checks run tests, as check links (shared/claim-link.ts): each holds or fails,
 * with the numbers that decided it in the note.
 */
import { linkFrom, type ClaimLink, type LinkSpec } from '../../shared/claim-link';

export interface GradientStats {
  medianCos: number;
  minCos: number;
  medianRelErr: number;
  maxRelErr: number;
}

export interface TheoryResults {
  gradient: {
    configs: number;
    paper: GradientStats;
    derived: GradientStats;
    autodiff: GradientStats;
    stationary: { converged: number; collapsed: number; medianGradRatio: number; maxGradRatio: number };
  };
  cover: { cases: number; worst: { ratio: number; R: number; bound: number; delta: number; heavy: number; light: number; k: number; entropy: number }; validHeld: number };
  continuity: { pairs: number; worstRatio: number; violations: number; pairsHalf: number; violationsHalf: number };
  lipschitz: { maxSlopeTimesTau: number };
  lemma2: { rows: number; violations: number; worstRatio: number };
}

export const LINKS: readonly LinkSpec[] = [
  { claim: 'E2.anchor-gradient', quantity: 'cosine of E.2\'s printed anchor gradient to central finite differences (median over configurations)', unit: '', portability: 'portable' },
  { claim: 'E2.stationary-point', quantity: '‖∇H‖ at the fixed point of E.2\'s stationary map, relative to ‖∇H‖ at the start (median)', unit: '', portability: 'portable' },
  { claim: 'E4.prop1.mass-cover', quantity: 'worst ratio of the exact minimal cover R to the bound min{k, ⌈e^H/δ⌉}', unit: '', portability: 'portable' },
  { claim: 'H2.entropy-continuity', quantity: 'worst ratio |H(p) − H(q)| / (‖p − q‖₁ log(K/‖p − q‖₁)) over random pairs', unit: '', portability: 'portable' },
  { claim: 'E4.lemma2.truncation', quantity: 'worst ‖y − ỹ‖ / (4Bδ) over random attention rows with tail mass δ ≤ ½', unit: 'B*delta_t', portability: 'portable' },
  { claim: 'H1.sigmoid-lipschitz', quantity: 'largest slope of σ(z/τ) times τ', unit: '1/tau', portability: 'portable' },
];
const spec = new Map(LINKS.map((l) => [l.claim, l]));

const f = (v: number, digits = 4): string => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(v));
const stats = (s: GradientStats): string => `cosine median ${f(s.medianCos)} (min ${f(s.minCos)}), relative error median ${f(s.medianRelErr, 3)} (max ${f(s.maxRelErr, 3)})`;

export function theoryClaims(r: TheoryResults): Record<string, ClaimLink> {
  const base = { ci95: null, dataset: { name: 'random configurations', kind: 'real' as const }, n: null, scale: 'paper' as const };
  const out: Record<string, ClaimLink> = {};
  const put = (id: string, value: number, seeds: number, holds: boolean, note: string): void => {
    const s = spec.get(id);
    if (s && Number.isFinite(value)) out[id] = linkFrom(s, { ...base, value, seeds, method: 'numeric check (Float64)', check: holds ? 'holds' : 'fails', note });
  };
  const g = r.gradient;
  put(
    'E2.anchor-gradient',
    g.paper.medianCos,
    g.configs,
    g.paper.minCos > 0.999 && g.paper.maxRelErr < 1e-3,
    `${g.configs} configurations against central finite differences. The paper's formula: ${stats(g.paper)}. The derived (2α/n) Σ_i p_ij (Σ_l p_il log p_l − log p_j)(x_i − c_j): ${stats(g.derived)}. tfjs autodiff (float32): ${stats(g.autodiff)}`,
  );
  if (g.stationary.converged > 0) {
    put(
      'E2.stationary-point',
      g.stationary.medianGradRatio,
      g.stationary.converged,
      g.stationary.maxGradRatio < 1e-3,
      `E.2's map c_j ← Σ p_ij² x_i / Σ p_ij² converged to distinct anchors in ${g.stationary.converged} of ${g.configs} configurations (${g.stationary.collapsed} more merged every anchor into one point, stationary by symmetry alone, not counted); at those fixed points the true gradient keeps a median ${f(g.stationary.medianGradRatio, 3)} (max ${f(g.stationary.maxGradRatio, 3)}) of its norm at the start`,
    );
  }
  const w = r.cover.worst;
  put(
    'E4.prop1.mass-cover',
    w.ratio,
    r.cover.cases,
    w.ratio <= 1,
    `${r.cover.cases} distributions (adversarial: one cluster of mass 1 − 2δ and M light ones; random Dirichlet). Worst: R = ${w.R} against the bound ${w.bound} (δ = ${w.delta}, k = ${w.k}, H = ${f(w.entropy)} nats${Number.isFinite(w.light) ? `, M = ${w.light}` : ''}). The weaker R ≤ 1 + e^{H/δ} held in ${r.cover.validHeld} of ${r.cover.cases}`,
  );
  const c = r.continuity;
  put(
    'H2.entropy-continuity',
    c.worstRatio,
    c.pairs,
    c.violations === 0,
    `${c.violations} of ${c.pairs} random pairs violate the inequality as stated (no condition on ‖p − q‖₁); with ‖p − q‖₁ ≤ ½ (Cover & Thomas' condition): ${c.violationsHalf} of ${c.pairsHalf}`,
  );
  const l = r.lemma2;
  if (l.rows > 0) {
    put('E4.lemma2.truncation', l.worstRatio, l.rows, l.violations === 0, `${l.violations} of ${l.rows} random attention rows (top or random kept keys, δ ≤ ½) exceed 4Bδ; worst ‖y − ỹ‖/(4Bδ) = ${f(l.worstRatio)} (the tight constant is 2: the bound is valid and loose)`);
  }
  put('H1.sigmoid-lipschitz', r.lipschitz.maxSlopeTimesTau, 5, r.lipschitz.maxSlopeTimesTau <= 0.25 * (1 + 1e-6), `max slope × τ over τ ∈ {0.01 … 1} on a fine grid: ${f(r.lipschitz.maxSlopeTimesTau, 6)} (the claim: 1/4)`);
  return out;
}
