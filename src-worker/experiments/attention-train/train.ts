/**
 * The training loop of one tiny-ViT model: AdamW with global-norm clipping, linear
 * warm-up then cosine decay (G.11), and the method's regulariser on during the configured window.
 *
 * - entropy: loss = CE + λ·Σ_{l,h} H_diff(K_{l,h}; A_{l,h}, α) (`entropyPenalty`), k = ⌊√N⌋ learnable
 *   anchors per head, initialised by k-means++ on the keys of the first regularised batch (the keys of
 *   the randomly initialised network at step 0 say nothing about the keys the regulariser will shape).
 *   G.11's stop rule is kept: the term is switched off once the key margin γ̂ (5th percentile of the
 *   per-key distance to the anchors' Voronoi boundaries, averaged over heads, on a fixed validation batch)
 *   has not improved by 1% for `marginPatience` evaluations.
 * - l1: loss = CE + λ·l1Penalty(attention), over the same window (so the two penalties share a protocol).
 * - label-smoothing: CE against (1 − ε)·onehot + ε/K on every step (Table 27's confidence regulariser).
 * - fgsm-at: fast adversarial training (Wong et al. 2020) on every step: CE on x + δ, δ one signed-gradient
 *   step of 1.25ε from a uniform start in the ε-ball (Table 27's "Efficient AT" row, measured here).
 * - none: CE only.
 * Same seed → same initial weights and batch order for every method, so methods differ only by the loss.
 */
import * as tf from '../../models/tf';
import { AdamW } from '../../models/optim';
import { fgsmRandomStart } from '../../models/adversarial';
import {
  createVit,
  crossEntropy,
  entropyPenalty,
  entropyPenaltyPerImage,
  headDim,
  l1Penalty,
  tokenCount,
  vitDecayedVariables,
  vitForward,
  vitKeys,
  vitVariables,
  type AttentionImpl,
  type VitParams,
} from '../../models/vit';
import { alphaCosine, initAnchorsKMeansPP, kForAttention } from '../../entropy/anchors';
import { anchorMargins, nearestAnchorLabels, partitionEntropyNats, robustMargin } from '../../entropy/margin';
import { createRng } from '../../entropy/random';
import { hash2 } from '../../vision/shapes';
import type { ExperimentContext } from '../types';
import { entropyFloorNats, keyBudget, type AttentionTrainConfig } from './config';
import { batchTensors, chunks, range, trainEpoch, type RunData, type Split } from './data';
import { collapseMetricRows, collapseSnapshot } from './collapse';

/** Validation images of the collapse probe (collapse.ts) at each margin evaluation. */
const COLLAPSE_BATCH = 64;

export type TrainedMethod = 'none' | 'l1' | 'entropy' | 'entropy-floor' | 'entropy-per-image' | 'label-smoothing' | 'fgsm-at';

/** Methods whose term is on only inside the regulariser window; the others act on every step. */
export const WINDOWED: ReadonlySet<TrainedMethod> = new Set(['l1', 'entropy', 'entropy-floor', 'entropy-per-image']);

/** Methods that train per-head anchors with the H_diff term (and are evaluated block-sparse from them). */
export function hasAnchors(method: TrainedMethod): boolean {
  return method === 'entropy' || method === 'entropy-floor' || method === 'entropy-per-image';
}

export interface ModelSpec {
  /** Row name in tables and the metric prefix's first part, e.g. 'none', 'entropy', 'entropy-0.03'. */
  name: string;
  method: TrainedMethod;
  lambda: number;
  seed: number;
  /** Metric key prefix: `${name}` or `${name}/seed-${seed}`. */
  prefix: string;
}

export interface TrainedModel {
  spec: ModelSpec;
  params: VitParams;
  /** [layer][head] anchors (entropy models only). */
  anchors: tf.Variable[][] | null;
  trainMs: number;
  steps: number;
  regularisedSteps: number;
  /** Step at which the margin rule switched the entropy term off, or null. */
  marginStopStep: number | null;
  finalValAccuracy: number;
}

/** Accuracy and mean CE of dense tfjs inference on a split. */
export async function evaluateDense(params: VitParams, s: Split, count: number, impl: AttentionImpl, batch = 128): Promise<{ accuracy: number; loss: number }> {
  let correct = 0;
  let loss = 0;
  const shape = params.shape;
  for (const [a, b] of chunks(count, batch)) {
    const { x, y } = batchTensors(s, range(a, b), shape);
    const [pred, ce] = tf.tidy(() => {
      const logits = vitForward(params, x, { impl }).logits;
      return [tf.argMax(logits, -1), tf.mul(crossEntropy(logits, y), b - a)];
    });
    const [p, c] = await Promise.all([pred.data(), ce.data()]);
    for (let i = 0; i < b - a; i++) if (p[i] === s.set.labels[a + i]) correct++;
    loss += c[0];
    tf.dispose([x, y, pred, ce]);
  }
  return { accuracy: correct / count, loss: loss / count };
}

function shuffle(n: number, random: () => number): Uint32Array {
  const a = range(0, n);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** Learning rate at `step`: linear warm-up over `warm` steps, then cosine to 0 (G.11). */
export function learningRate(step: number, total: number, peak: number, warmFraction: number): number {
  const warm = Math.floor(warmFraction * total);
  if (step < warm) return (peak * (step + 1)) / warm;
  const t = (step - warm) / Math.max(1, total - warm);
  return 0.5 * peak * (1 + Math.cos(Math.PI * Math.min(1, t)));
}

/** Per-head [B·N, d_h] key rows of one layer from a [B, H, N, d_h] array. */
export function headPoints(keys: Float32Array, b: number, heads: number, n: number, dh: number, head: number): Float32Array {
  const out = new Float32Array(b * n * dh);
  for (let i = 0; i < b; i++) out.set(keys.subarray(((i * heads + head) * n) * dh, ((i * heads + head) * n + n) * dh), i * n * dh);
  return out;
}

export interface StepParts {
  params: VitParams;
  anchors: tf.Variable[][] | null;
  opt: AdamW;
  impl: AttentionImpl;
  method: TrainedMethod;
  lambda: number;
  gradClip: number;
  /** label-smoothing: ε. */
  smoothing?: number;
  /** entropy-floor: each head's H_diff counts only above this many nats (`entropyPenalty`); entropy-per-image:
   * the per-image target (`entropyPenaltyPerImage`). */
  entropyFloor?: number;
  /** fgsm-at: radius ε, step α and the generator of the random starts. */
  adversarial?: { eps: number; alpha: number; random: () => number };
}

/**
 * One optimisation step: loss = CE + λ·penalty (penalty only when `reg`), gradients of the model's
 * variables (and of the anchors when the entropy term is on), global-norm clipping, AdamW. Returns
 * [loss, CE, penalty, gradient norm] as one tensor; nothing is read back here.
 */
export function makeTrainStep(parts: StepParts): (x: tf.Tensor3D, y: tf.Tensor1D, reg: boolean, alpha: number, lr: number) => tf.Tensor1D {
  const { params, anchors, opt, impl, method, lambda, gradClip } = parts;
  const modelVars = vitVariables(params);
  const anchorVars = anchors ? anchors.flat() : [];
  return (x, y, reg, alpha, lr) => {
    const entropy = reg && hasAnchors(method);
    const floor = method === 'entropy-floor' ? (parts.entropyFloor ?? 0) : 0;
    const perImage = method === 'entropy-per-image';
    const l1 = reg && method === 'l1';
    const smoothing = reg && method === 'label-smoothing' ? (parts.smoothing ?? 0) : 0;
    const adv = reg && method === 'fgsm-at' && parts.adversarial ? parts.adversarial : null;
    const input = adv ? fgsmRandomStart(params, x, y, adv.eps, adv.alpha, adv.random, impl) : x;
    const vars = entropy ? [...modelVars, ...anchorVars] : modelVars;
    let kept: tf.Tensor[] = [];
    const out = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const o = vitForward(params, input, { impl, keys: entropy, attention: l1 });
        const ce = crossEntropy(o.logits, y, smoothing);
        const penalty = !entropy
          ? l1
            ? l1Penalty(o.attention)
            : tf.scalar(0)
          : perImage
            ? entropyPenaltyPerImage(o.keys, anchors as tf.Tensor2D[][], alpha, parts.entropyFloor ?? 0)
            : entropyPenalty(o.keys, anchors as tf.Tensor2D[][], alpha, floor);
        kept = [tf.keep(ce), tf.keep(penalty)];
        return tf.add(ce, tf.mul(penalty, lambda)) as tf.Scalar;
      }, vars);
      const norm = opt.applyClipped(new Map(Object.entries(grads)), gradClip > 0 ? gradClip : Infinity, lr);
      return tf.stack([value, kept[0], kept[1], tf.scalar(norm)]) as tf.Tensor1D;
    });
    tf.dispose(kept);
    if (input !== x) input.dispose();
    return out;
  };
}

/** `spec`'s training step with the run's settings; `advSeed` seeds fgsm-at's random starts. */
export function specStep(
  spec: ModelSpec,
  params: VitParams,
  anchors: tf.Variable[][] | null,
  opt: AdamW,
  config: AttentionTrainConfig,
  impl: AttentionImpl,
  advSeed: number,
): ReturnType<typeof makeTrainStep> {
  const advRng = createRng(advSeed);
  return makeTrainStep({
    params,
    anchors,
    opt,
    impl,
    method: spec.method,
    lambda: spec.lambda,
    gradClip: config.gradClip,
    smoothing: config.labelSmoothing,
    entropyFloor: entropyFloorNats(config, tokenCount(params.shape)),
    adversarial: { eps: config.adversarialEps, alpha: config.fgsmStep * config.adversarialEps, random: () => advRng.next() },
  });
}

/** AdamW over a model's variables and its anchors; only weight matrices are decayed. */
export function makeOptimizer(params: VitParams, anchors: tf.Variable[][] | null, lr: number, weightDecay: number): AdamW {
  const decayed = new Set(vitDecayedVariables(params).map((v) => v.name));
  const all = new Map([...vitVariables(params), ...(anchors ? anchors.flat() : [])].map((v) => [v.name, v] as [string, tf.Variable]));
  return new AdamW(all, { lr, weightDecay }, [...all.keys()].filter((name) => !decayed.has(name)));
}

export async function trainModel(
  spec: ModelSpec,
  data: RunData,
  config: AttentionTrainConfig,
  ctx: ExperimentContext,
  impl: AttentionImpl,
  onStep: (done: number, total: number) => void,
): Promise<TrainedModel> {
  const shape = data.shape;
  const initRng = createRng(hash2(spec.seed, 1));
  const params = createVit(shape, () => initRng.next(), spec.name);
  const n = tokenCount(shape);
  const dh = headDim(shape);
  const k = kForAttention(n);
  const anchors =
    hasAnchors(spec.method)
      ? params.layers.map((_, l) => Array.from({ length: shape.heads }, (_, h) => tf.tidy(() => tf.variable(tf.zeros([k, dh]), true, `${spec.name}#anchors/l${l}h${h}#${spec.seed}`))))
      : null;
  const opt = makeOptimizer(params, anchors, config.lr, config.weightDecay);

  const batchRng = createRng(hash2(spec.seed, 2));
  const anchorRng = createRng(hash2(spec.seed, 3));
  const trainCount = data.train.set.count;
  const stepsPerEpoch = Math.ceil(trainCount / config.batchSize);
  const total = config.epochs * stepsPerEpoch;
  const regStart = Math.floor(config.regWindow[0] * total);
  const regEnd = Math.ceil(config.regWindow[1] * total);
  const marginEvery = Math.max(1, Math.floor(stepsPerEpoch / config.marginEvals));
  const marginBatch = range(0, Math.min(32, data.val.set.count));
  const collapseBatch = range(0, Math.min(COLLAPSE_BATCH, data.val.set.count));
  const budget = keyBudget(config.keepFraction, n);
  const recordCollapse = async (at: number): Promise<void> => {
    if (!anchors) return;
    const frozen = await Promise.all(anchors.map((row) => Promise.all(row.map(async (v) => (await v.data()) as Float32Array))));
    const { x, y } = batchTensors(data.val, collapseBatch, shape);
    try {
      const snap = await collapseSnapshot(params, frozen, x, data.val.set.labels.subarray(0, collapseBatch.length), budget);
      ctx.metrics(collapseMetricRows(P, at, snap));
    } finally {
      tf.dispose([x, y]);
    }
  };
  let anchorsReady = false;
  let marginStopStep: number | null = null;
  let bestMargin = -Infinity;
  let sinceBest = 0;
  let regularisedSteps = 0;
  const P = spec.prefix;

  const step = specStep(spec, params, anchors, opt, config, impl, hash2(spec.seed, 5));

  const t0 = performance.now();
  let done = 0;
  let valAcc = NaN;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    const e0 = performance.now();
    const order = shuffle(trainCount, () => batchRng.next());
    const trainSet = trainEpoch(data, config, epoch);
    for (const [a, b] of chunks(trainCount, config.batchSize)) {
      await ctx.tick();
      const inWindow = WINDOWED.has(spec.method) ? done >= regStart && done < regEnd && marginStopStep === null : spec.method !== 'none';
      const { x, y } = batchTensors(trainSet, order.subarray(a, b), shape);
      if (inWindow && anchors && !anchorsReady) {
        const keys = await vitKeys(params, x, impl);
        anchors.forEach((row, l) =>
          row.forEach((v, h) => {
            const pts = headPoints(keys[l], b - a, shape.heads, n, dh, h);
            tf.tidy(() => v.assign(tf.tensor2d(Float32Array.from(initAnchorsKMeansPP(pts, k, anchorRng, dh)), [k, dh])));
          }),
        );
        anchorsReady = true;
        ctx.log(`${spec.name} seed ${spec.seed}: anchors initialised by k-means++ at step ${done} (k = ${k} per head)`);
        await recordCollapse(done);
      }
      const alpha = config.alphaSchedule === 'cosine' ? alphaCosine(done - regStart, regEnd - regStart, 10, config.alpha) : config.alpha;
      const lr = learningRate(done, total, config.lr, config.warmup);
      const res = step(x, y, inWindow, alpha, lr);
      const [loss, ce, penalty, gradNorm] = await res.data();
      tf.dispose([x, y, res]);
      if (inWindow) regularisedSteps++;
      ctx.metrics([
        { key: `${P}/train/loss`, step: done, value: Number.isFinite(loss) ? loss : null },
        { key: `${P}/train/ce`, step: done, value: ce },
        { key: `${P}/train/reg`, step: done, value: inWindow && WINDOWED.has(spec.method) ? penalty : null },
        { key: `${P}/train/grad_norm`, step: done, value: gradNorm },
        { key: `${P}/train/lr`, step: done, value: lr },
      ]);
      done++;
      if (anchors && anchorsReady && inWindow && done % marginEvery === 0) {
        const { margin, hardEntropy } = await keyMargins(params, anchors, data.val, marginBatch, impl);
        ctx.metric(`${P}/train/margin`, done, margin);
        ctx.metric(`${P}/train/key_entropy_hard`, done, hardEntropy);
        if (margin > bestMargin * 1.01 || bestMargin === -Infinity) {
          bestMargin = margin;
          sinceBest = 0;
        } else if (config.marginPatience > 0 && ++sinceBest >= config.marginPatience) {
          marginStopStep = done;
          ctx.log(`${spec.name} seed ${spec.seed}: key margin plateaued for ${sinceBest} evaluations; entropy term off from step ${done} (G.11)`);
        }
      }
      // Also after the term is off (window end or margin stop): does the collapse persist?
      if (anchors && anchorsReady && (done % marginEvery === 0 || done === total)) await recordCollapse(done);
      onStep(done, total);
    }
    const val = await evaluateDense(params, data.val, data.val.set.count, impl);
    valAcc = val.accuracy;
    ctx.metrics([
      { key: `${P}/val/acc`, step: done, value: val.accuracy },
      { key: `${P}/val/loss`, step: done, value: val.loss },
      { key: `${P}/train/epoch_ms`, step: epoch, value: performance.now() - e0 },
    ]);
    ctx.log(`${spec.name} seed ${spec.seed}: epoch ${epoch + 1}/${config.epochs} val acc ${(100 * val.accuracy).toFixed(1)}% (${((performance.now() - e0) / 1000).toFixed(1)} s)`);
  }
  opt.dispose();
  return {
    spec,
    params,
    anchors,
    trainMs: performance.now() - t0,
    steps: total,
    regularisedSteps,
    marginStopStep,
    finalValAccuracy: valAcc,
  };
}

/** Mean over layers and heads of γ̂ (5th-percentile key margin) and of the hard key-partition entropy. */
export async function keyMargins(params: VitParams, anchors: tf.Variable[][], s: Split, indices: Uint32Array, impl: AttentionImpl): Promise<{ margin: number; hardEntropy: number }> {
  const shape = params.shape;
  const n = tokenCount(shape);
  const dh = headDim(shape);
  const { x, y } = batchTensors(s, indices, shape);
  const keys = await vitKeys(params, x, impl);
  tf.dispose([x, y]);
  let margin = 0;
  let entropy = 0;
  let count = 0;
  for (let l = 0; l < anchors.length; l++) {
    for (let h = 0; h < anchors[l].length; h++) {
      const pts = headPoints(keys[l], indices.length, shape.heads, n, dh, h);
      const a = (await anchors[l][h].data()) as Float32Array;
      margin += robustMargin(anchorMargins(pts, a, dh));
      entropy += partitionEntropyNats(nearestAnchorLabels(pts, a, dh));
      count++;
    }
  }
  return { margin: margin / count, hardEntropy: entropy / count };
}
