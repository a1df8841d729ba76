/**
 * Which experiment kinds link which claims, and why the others have no measurement: "not run" (an experiment
 * here links the claim, no finished run has measured it), "no experiment" (none can, with the reason) and "not
 * checkable" (a theory claim no numeric check covers, with the reason). A unit test keeps LINKED in step with
 * the link declarations of every experiment kind.
 */
import type { Claim } from './catalog';
import type { Unmeasured } from './verdict';

/** Claim ids each experiment kind can emit a link for. */
export const LINKED: Record<string, RegExp> = {
  'geometry-timing': /^(T2\.synthetic-(high|parabolic)\.(raw|heuristic-sort)\.(runtime|speedup|hull-error)|T23\.(hull|delaunay)\.scipy\.time|T23\.(hull\.entropynet-chan|delaunay\.entropynet-scipy)\.(time|speedup))$/,
  'entropynet-train':
    /^((T8|T9)\.entropynet\.(train-overhead|speedup|break-even)|T15\.(ball|halfspace|rectangles)\.(speedup|hull-error)|T16\.k(8|16|32|64)\.(speedup|hull-error|train-time)|T17\.(full|fixed-anchors|alpha1|lambda1)\.(speedup|hausdorff)|T2\.synthetic-(high|parabolic)\.entropynet\.(runtime|speedup|hull-error)|T22\.(synthetic-high|quickdraw-low)\.(entropynet-time|chan-time|total-time)|abs\.geometry\.(hull-delaunay\.speedup|hull-error-bound)|S4\.geometry\.(largest-gain|preprocess-overhead))$/,
  'entropy-validation': /^(S1\.geometry\.surrogate-r2|S3\.theory\.thm1\.tau-condition)$/,
  'theory-checks': /^(E2\.anchor-gradient|E2\.stationary-point|E4\.prop1\.mass-cover|E4\.lemma2\.truncation|H2\.entropy-continuity|H1\.sigmoid-lipschitz)$/,
  'attention-train':
    /^(T4|T5|T18|T19|T24|T27)\.|^(abs\.iou\.(der|magnitude)|S4\.iou-proxy\.(l1|relative-gain)|S4\.vit\.der-plus-magnitude\.sparsity|S4\.robust\.(adv-training\.mce|label-smoothing\.mce|der\.svhn|baseline\.svhn)|abs\.cifar100c\.(der|baseline)\.mce|E4\.lemma2\.truncation)$/,
};

export const linkedBy = (id: string): string[] => Object.entries(LINKED).filter(([, re]) => re.test(id)).map(([kind]) => kind);

const NO_EXPERIMENT: Array<{ match: RegExp; reason: string }> = [
  { match: /^(S4\.geometry\.(max-n|timing-repeats|software|n-seeds)|G12\.uniform\.sizes|G14\.(seeds|compute\.geometry))$/, reason: 'a statement of the paper\'s protocol (sizes, repeats, seeds, software, budget), not a result to measure' },
  { match: /^(T8\.entropynet\.break-even-days|T9\.entropynet\.(daily-batches|roi-days))$/, reason: 'days to break even depend on how many batches a user runs a day, an assumption of the paper (1.5K/day), not something a run measures; the arithmetic badges recompute them from the paper\'s numbers' },
  { match: /^S3\.hull\.hsoft\.speedup$/, reason: 'restates Table 15\'s halfspace row (4.82×), which an EntropyNet run with surrogate hSoft measures under T15.halfspace.speedup' },
  { match: /^F1\.k-robust\.speedup$/, reason: 'a range over Table 16\'s k rows (3.8–4.2×), each measured under T16.k<k>.speedup by an EntropyNet run with that k' },
  { match: /(^|\.)neuralsort(\.|-|$)/, reason: 'the NeuralSort baseline (Grover et al. 2019) is not built in this workbench' },
  { match: /^T20\.der\.entropy-reduction$/, reason: 'the paper does not define the entropy-reduction percentage (of which entropy, against what), so no run can measure it as stated' },
  { match: /^(S4\.fail\.highdim\.|F3\.highdim\.threshold$)/, reason: 'the dimension at which soft assignments collapse: no experiment here sweeps the embedding dimension d' },
  { match: /^A\.hyperparam-robustness$/, reason: '"robust to ±25 % hyper-parameter perturbation" names no metric or tolerance to measure' },
];

const NOT_CHECKABLE: Array<{ match: RegExp; reason: string }> = [
  { match: /^(S3\.theory\.cost-per-pass|B\.chan\.complexity|G4\.complexity)$/, reason: 'an asymptotic complexity statement: no finite measurement can confirm or refute an O(·)' },
  { match: /^S3\.theory\.cell-count$/, reason: 'the standard bound on the cells of an arrangement of m hyperplanes in R^d (Zaslavsky); the consistency checks confirm it, nothing here to measure' },
  { match: /^(S3\.theory\.bound-heuristic|H2\.thm3\.smoothing|H3\.rademacher|E1\.jl\.dimension)$/, reason: 'a bound with unspecified constants (c, C, C3): for any finite test a large enough constant makes it hold, so no numeric check can refute it' },
  { match: /^E2\.step-size$/, reason: 'the standard gradient-descent condition η < 1/L; the paper gives no L for H_diff, so there is nothing specific to test' },
  { match: /^E4\.thm2\.delta-range$/, reason: 'an arithmetic consequence of ε < B and C_align ≥ 1, verified in the consistency checks ("Theorem 2 delta range")' },
  { match: /^E4\.thm2\.flop-constant$/, reason: 'a FLOP-count constant of Theorem 2, which rests on Proposition 1 (a counterexample: see the theory checks and I24)' },
];

export function unmeasuredReason(c: Claim): Unmeasured {
  if (linkedBy(c.id).length) return {};
  const nc = NOT_CHECKABLE.find((x) => x.match.test(c.id));
  if (nc) return { notCheckable: nc.reason };
  const ne = NO_EXPERIMENT.find((x) => x.match.test(c.id));
  if (ne) return c.pillar === 'theory' ? { notCheckable: ne.reason } : { noExperiment: ne.reason };
  return c.pillar === 'theory'
    ? { notCheckable: 'no numeric check of this theory claim is built here' }
    : { noExperiment: 'no experiment kind of this workbench links this claim' };
}
