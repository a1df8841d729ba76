/**
 * The heavy half of `theory-checks` (workers only). Each check logs one metric row per configuration (step =
 * configuration index) and ends in a declared check link for its claim (./claims.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentRun } from '../types';
import type { TheoryChecksResult } from '../../shared/results/theory-checks';
import type { TheoryChecksConfig } from './config';
import { initBackend } from '../../models/backend';
import { createRng, type Rng } from '../../entropy/random';
import { hDiff } from '../../entropy/surrogates';
import {
  anchorGradientDerived,
  anchorGradientFiniteDifference,
  anchorGradientPaper,
  cosine,
  paperStationaryMap,
  relativeError,
} from '../../entropy/anchor-gradient';
import { adversarialMasses, entropyNatsOf, minimalCover, paperCoverBound, validCoverBound } from '../../entropy/mass-cover';
import { theoryClaims, type TheoryResults } from './claims';

const median = (v: number[]): number => {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : Number.NaN;
};
const min = (v: number[]): number => v.filter(Number.isFinite).reduce((a, b) => Math.min(a, b), Infinity);
const max = (v: number[]): number => v.filter(Number.isFinite).reduce((a, b) => Math.max(a, b), -Infinity);

function randomConfig(rng: Rng, c: TheoryChecksConfig): { points: Float64Array; anchors: Float64Array; alpha: number } {
  const n = 8 + rng.int(Math.max(1, c.maxPoints - 7));
  const k = 2 + rng.int(Math.max(1, c.maxAnchors - 1));
  const points = new Float64Array(2 * n);
  // Clustered points (a few Gaussian blobs) so that the soft assignments are neither uniform nor one-hot.
  const blobs = 1 + rng.int(4);
  const centres = Array.from({ length: blobs }, () => [rng.next(), rng.next()]);
  for (let i = 0; i < n; i++) {
    const [cx, cy] = centres[rng.int(blobs)];
    points[2 * i] = cx + 0.08 * rng.normal();
    points[2 * i + 1] = cy + 0.08 * rng.normal();
  }
  const anchors = new Float64Array(2 * k);
  for (let j = 0; j < 2 * k; j++) anchors[j] = rng.next();
  const [lo, hi] = c.alphaRange;
  const alpha = Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo)));
  return { points, anchors, alpha };
}

function dirichlet(rng: Rng, k: number, concentration: number): Float64Array {
  // Gamma(a) by Marsaglia–Tsang (a ≥ 1), boosted for a < 1.
  const gamma = (a: number): number => {
    if (a < 1) return gamma(a + 1) * Math.pow(rng.next() || 1e-300, 1 / a);
    const d = a - 1 / 3;
    const cc = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = rng.normal();
      const v = (1 + cc * x) ** 3;
      if (v <= 0) continue;
      const u = rng.next();
      if (Math.log(u || 1e-300) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  const p = Float64Array.from({ length: k }, () => gamma(concentration));
  const s = p.reduce((a, b) => a + b, 0);
  return p.map((x) => x / s);
}

export const run: ExperimentRun<TheoryChecksConfig, TheoryChecksResult> = async (config, ctx) => {
  const info = await initBackend(config.backend === 'auto' ? undefined : config.backend);
  ctx.backend(info.name, { ...info });
  const rng = createRng(config.seed);
  const total = config.gradientConfigs + 3;
  let done = 0;

  // ── E.2: anchor gradient ──
  const g = { paperCos: [] as number[], paperErr: [] as number[], derivedCos: [] as number[], derivedErr: [] as number[], autoCos: [] as number[], autoErr: [] as number[], stationaryRatio: [] as number[], stationaryConverged: 0, stationaryCollapsed: 0 };
  for (let s = 0; s < config.gradientConfigs; s++) {
    const { points, anchors, alpha } = randomConfig(rng, config);
    const fd = anchorGradientFiniteDifference(points, anchors, alpha, 2, config.finiteDifferenceStep);
    const paper = anchorGradientPaper(points, anchors, alpha);
    const derived = anchorGradientDerived(points, anchors, alpha);
    const n = points.length / 2;
    const k = anchors.length / 2;
    const x = tf.tensor2d(Float32Array.from(points), [n, 2]);
    const c = tf.tensor2d(Float32Array.from(anchors), [k, 2]);
    const auto = tf.grad((a: tf.Tensor) => hDiff(x, a as tf.Tensor2D, alpha))(c);
    const autoValues = Float64Array.from(await auto.data());
    tf.dispose([x, c, auto]);
    const row = {
      paperCos: cosine(paper, fd),
      paperErr: relativeError(paper, fd),
      derivedCos: cosine(derived, fd),
      derivedErr: relativeError(derived, fd),
      autoCos: cosine(autoValues, fd),
      autoErr: relativeError(autoValues, fd),
    };
    // E.2's stationary point: iterate its map, then measure the true gradient there against the start's.
    let cur: Float64Array = Float64Array.from(anchors);
    let step = Infinity;
    for (let it = 0; it < config.stationaryIterations && step > 1e-12; it++) {
      const next = paperStationaryMap(points, cur, alpha);
      step = relativeError(next, cur);
      cur = next;
    }
    const converged = step <= 1e-9;
    // Anchors that all merge into one point give uniform p_ij, a stationary point by symmetry alone: not a test.
    const mx = cur.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0) / k;
    const my = cur.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0) / k;
    let spread = 0;
    for (let j = 0; j < k; j++) spread = Math.max(spread, Math.hypot(cur[2 * j] - mx, cur[2 * j + 1] - my));
    const collapsed = spread < 1e-6;
    const ratio = Math.hypot(...anchorGradientDerived(points, cur, alpha)) / Math.hypot(...derived);
    if (converged && collapsed) g.stationaryCollapsed++;
    if (converged && !collapsed && Number.isFinite(ratio)) {
      g.stationaryRatio.push(ratio);
      g.stationaryConverged++;
    }
    for (const [key, v] of Object.entries(row)) (g[key as keyof typeof row] as number[]).push(v);
    ctx.metrics([
      { step: s, key: 'e2/paper_cos_fd', value: row.paperCos },
      { step: s, key: 'e2/paper_relerr_fd', value: row.paperErr },
      { step: s, key: 'e2/derived_cos_fd', value: row.derivedCos },
      { step: s, key: 'e2/derived_relerr_fd', value: row.derivedErr },
      { step: s, key: 'e2/autodiff_cos_fd', value: row.autoCos },
      { step: s, key: 'e2/autodiff_relerr_fd', value: row.autoErr },
      { step: s, key: 'e2/stationary_grad_ratio', value: converged && !collapsed ? ratio : Number.NaN },
    ]);
    done++;
    ctx.progress(done / total, `E.2 gradient: configuration ${s + 1}/${config.gradientConfigs}`);
    await ctx.tick();
  }

  // ── Proposition 1: mass cover ──
  const deltas = [0.01, 0.05, 0.1, 0.2, 0.3];
  let worst = { ratio: 0, R: 0, bound: 0, delta: 0, heavy: 0, light: 0, k: 0, entropy: 0 };
  let validHeld = 0;
  let cases = 0;
  const consider = (p: Float64Array, delta: number, heavy: number, light: number): void => {
    const R = minimalCover(p, delta);
    const bound = paperCoverBound(p, delta);
    if (R <= validCoverBound(p, delta)) validHeld++;
    cases++;
    if (R / bound > worst.ratio) worst = { ratio: R / bound, R, bound, delta, heavy, light, k: p.length, entropy: entropyNatsOf(p) };
  };
  let step = 0;
  for (let light = 10; light <= config.maxLightClusters; light *= 10) {
    for (const delta of deltas) {
      if (1 - 2 * delta <= 0) continue;
      const p = adversarialMasses(1 - 2 * delta, light);
      const before = worst.ratio;
      consider(p, delta, 1 - 2 * delta, light);
      ctx.metric('prop1/adversarial_ratio', step++, worst.ratio > before ? worst.ratio : minimalCover(p, delta) / paperCoverBound(p, delta));
    }
    await ctx.tick();
  }
  for (let s = 0; s < config.coverDistributions; s++) {
    const k = 2 + rng.int(500);
    const p = dirichlet(rng, k, Math.exp(-3 + 5 * rng.next()));
    consider(p, deltas[rng.int(deltas.length)], Number.NaN, Number.NaN);
    if (s % 200 === 0) await ctx.tick();
  }
  ctx.progress(++done / total, 'Proposition 1');

  // ── Theorem 3's continuity step: |H(p) − H(q)| ≤ ‖p − q‖₁ log(K/‖p − q‖₁) ──
  let worstContinuity = 0;
  let violationsAny = 0;
  let violationsHalf = 0;
  let pairsHalf = 0;
  for (let s = 0; s < config.continuityPairs; s++) {
    const k = 2 + rng.int(9);
    const p = dirichlet(rng, k, Math.exp(-2 + 3 * rng.next()));
    const q = dirichlet(rng, k, Math.exp(-2 + 3 * rng.next()));
    let l1 = 0;
    for (let i = 0; i < k; i++) l1 += Math.abs(p[i] - q[i]);
    if (l1 <= 0) continue;
    const lhs = Math.abs(entropyNatsOf(p) - entropyNatsOf(q));
    const rhs = l1 * Math.log(k / l1);
    const ratio = rhs > 0 ? lhs / rhs : lhs > 0 ? Infinity : 0;
    if (ratio > worstContinuity) worstContinuity = ratio;
    if (lhs > rhs + 1e-12) violationsAny++;
    if (l1 <= 0.5) {
      pairsHalf++;
      if (lhs > rhs + 1e-12) violationsHalf++;
    }
    if (s % 2000 === 0) await ctx.tick();
  }
  ctx.progress(++done / total, 'Theorem 3 continuity');

  // ── Lemma 2: ‖y − ỹ‖ ≤ 4Bδ for attention renormalised over a kept key set S with tail mass δ ≤ ½ ──
  let worstLemma = 0;
  let lemmaRows = 0;
  let lemmaViolations = 0;
  for (let s = 0; s < config.attentionRows; s++) {
    const nKeys = 4 + rng.int(60);
    const d = 2 + rng.int(15);
    const scale = Math.exp(-1 + 3 * rng.next());
    const w = Float64Array.from({ length: nKeys }, () => scale * rng.normal());
    const max = w.reduce((a, b) => Math.max(a, b), -Infinity);
    let z = 0;
    for (let j = 0; j < nKeys; j++) z += w[j] = Math.exp(w[j] - max);
    for (let j = 0; j < nKeys; j++) w[j] /= z;
    const v = Array.from({ length: nKeys }, () => Float64Array.from({ length: d }, () => rng.normal()));
    const B = v.reduce((a, x) => Math.max(a, Math.hypot(...x)), 0);
    // Keep the top keys (as top-b does) or a random subset (as a block-sparse kernel may), until δ ≤ ½.
    const order = [...w.keys()].sort((a, b) => (rng.next() < 0.5 ? w[b] - w[a] : rng.next() - 0.5));
    const keep = new Set<number>();
    let kept = 0;
    const target = 0.5 + 0.5 * rng.next();
    for (const j of order) {
      if (kept >= target) break;
      keep.add(j);
      kept += w[j];
    }
    const delta = 1 - kept;
    if (delta > 0.5 || delta <= 0) continue;
    const y = new Float64Array(d);
    const yt = new Float64Array(d);
    for (let j = 0; j < nKeys; j++) for (let a = 0; a < d; a++) {
      y[a] += w[j] * v[j][a];
      if (keep.has(j)) yt[a] += (w[j] / kept) * v[j][a];
    }
    const err = Math.hypot(...y.map((x, a) => x - yt[a]));
    const ratio = err / (4 * B * delta);
    lemmaRows++;
    if (ratio > 1 + 1e-12) lemmaViolations++;
    worstLemma = Math.max(worstLemma, ratio);
    if (s % 1000 === 0) await ctx.tick();
  }

  // ── The sigmoid cells' Lipschitz constant: max |d/dz σ(z/τ)| · τ over a fine grid ──
  let maxSlope = 0;
  for (const tau of [0.01, 0.05, 0.1, 0.5, 1]) {
    const h = 1e-6 * tau;
    for (let z = -10 * tau; z <= 10 * tau; z += tau / 500) {
      const s = (v: number): number => 1 / (1 + Math.exp(-v / tau));
      maxSlope = Math.max(maxSlope, (Math.abs(s(z + h) - s(z - h)) / (2 * h)) * tau);
    }
  }
  ctx.progress(1, 'done');

  const results: TheoryResults = {
    gradient: {
      configs: config.gradientConfigs,
      paper: { medianCos: median(g.paperCos), minCos: min(g.paperCos), medianRelErr: median(g.paperErr), maxRelErr: max(g.paperErr) },
      derived: { medianCos: median(g.derivedCos), minCos: min(g.derivedCos), medianRelErr: median(g.derivedErr), maxRelErr: max(g.derivedErr) },
      autodiff: { medianCos: median(g.autoCos), minCos: min(g.autoCos), medianRelErr: median(g.autoErr), maxRelErr: max(g.autoErr) },
      stationary: { converged: g.stationaryConverged, collapsed: g.stationaryCollapsed, medianGradRatio: median(g.stationaryRatio), maxGradRatio: max(g.stationaryRatio) },
    },
    cover: { cases, worst, validHeld },
    continuity: { pairs: config.continuityPairs, worstRatio: worstContinuity, violations: violationsAny, pairsHalf, violationsHalf },
    lipschitz: { maxSlopeTimesTau: maxSlope },
    lemma2: { rows: lemmaRows, violations: lemmaViolations, worstRatio: worstLemma },
  };
  return { backend: info.name, ...results, claims: theoryClaims(results) };
};
