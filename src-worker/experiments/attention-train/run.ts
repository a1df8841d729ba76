/**
 * attention-train, the heavy half: build the image sets, train each (method, λ, seed) model, evaluate it,
 * store its gallery and evaluation as artifacts, and return the final table as the run summary.
 *
 * Artifacts (all JSON):
 *   gallery/<prefix>.json   fixed test images (RGB + mask base64), CLS maps per layer/head, rollout, IoU
 *   eval/<prefix>.json      every measured number of that model (modes, IoU per image, corruption errors,
 *                           Theorem 2 samples δ / ‖y − ỹ‖ / 4Bδ, OOD accuracies)
 *   table.json              the final table (mean ± 95% CI over seeds), the model × mode grid, claim links
 * Metric keys: `<prefix>/train/{loss,ce,reg,grad_norm,lr,margin,key_entropy_hard,epoch_ms}` and
 * `<prefix>/val/{acc,loss}`, for models with learned anchors `<prefix>/collapse/…` (collapse.ts), prefix = model name ('none', 'l1', 'entropy' or 'entropy-<λ>') plus
 * `/seed-<seed>` when the run has several seeds.
 */
import * as tf from '../../models/tf';
import { initBackend } from '../../models/backend';
import { defaultAttentionImpl, disposeVit, tokenCount } from '../../models/vit';
import { kForAttention } from '../../entropy/anchors';
import { describeRule, type MaskRule } from '../../shared/masks';
import { CORRUPTIONS, SEVERITY_PARAMS } from '../../vision/corruptions';
import { exclusively, type ExperimentRun } from '../types';
import { entropyFloorNats, RECIPE_WHY, type AttentionTrainConfig } from './config';
import type { AttentionTrainResult } from '../../shared/results/attention-train';
import { buildData } from './data';
import { evaluateModel, type ModelEval } from './evaluate';
import { buildPruning, buildTable, claimLinks, COLUMNS, lemma2Link } from './table';
import { hasAnchors, trainModel, type ModelSpec } from './train';
import { measureStepCosts } from './step-cost';

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

export function modelSpecs(config: AttentionTrainConfig): ModelSpec[] {
  const specs: ModelSpec[] = [];
  const multi = config.seeds.length > 1;
  for (const seed of config.seeds) {
    const push = (name: string, method: ModelSpec['method'], lambda: number) =>
      specs.push({ name, method, lambda, seed, prefix: multi ? `${name}/seed-${seed}` : name });
    if (config.methods.includes('none') || config.methods.includes('top-b')) push('none', 'none', 0);
    if (config.methods.includes('l1')) push('l1', 'l1', config.l1Lambda);
    if (config.methods.includes('entropy')) {
      for (const lambda of config.entropyLambdas) push(config.entropyLambdas.length > 1 ? `entropy-${lambda}` : 'entropy', 'entropy', lambda);
    }
    for (const variant of ['entropy-floor', 'entropy-per-image'] as const) {
      if (!config.methods.includes(variant)) continue;
      for (const lambda of config.entropyLambdas) push(config.entropyLambdas.length > 1 ? `${variant}-${lambda}` : variant, variant, lambda);
    }
    if (config.methods.includes('label-smoothing')) push('label-smoothing', 'label-smoothing', 0);
    if (config.methods.includes('fgsm-at')) push('fgsm-at', 'fgsm-at', 0);
  }
  return specs;
}

export const run: ExperimentRun<AttentionTrainConfig, AttentionTrainResult> = async (config, ctx) => {
  const wall0 = performance.now();
  const info = await initBackend(config.backend === 'auto' ? undefined : config.backend);
  ctx.backend(info.name, { ...info });
  const impl = config.attentionImpl === 'auto' ? defaultAttentionImpl(info.name) : config.attentionImpl;
  ctx.log(`backend ${info.name} ${info.version} (threads ${info.threads}${info.simd !== undefined ? `, simd ${info.simd}` : ''}); attention product layout: ${impl}`);

  const data = buildData(config);
  const n = tokenCount(data.shape);
  const budget = Math.min(n, Math.ceil(config.keepFraction * n - 1e-9));
  const specs = modelSpecs(config);
  ctx.log(`data: train ${data.train.set.count}, val ${data.val.set.count}, test ${data.test.set.count}${Object.keys(data.ood).length ? `, OOD ${Object.keys(data.ood).join(', ')}` : ''}; ${specs.length} models; b = ${budget} of N = ${n} keys`);

  ctx.progress(0, 'training cost: steps of every method, interleaved');
  const stepCosts = await exclusively(ctx, 'training cost', () => measureStepCosts(specs, data, config, ctx, impl));
  ctx.log(`training step (median, interleaved): ${Object.entries(stepCosts).map(([name, c]) => `${name} ${c.medianMs.toFixed(0)} ms`).join(', ')}`);

  // Progress: each model is 70% training, 30% evaluation of its share.
  const share = 1 / specs.length;
  const evals: ModelEval[] = [];
  const artifacts: string[] = [];
  for (let m = 0; m < specs.length; m++) {
    const spec = specs[m];
    const base = m * share;
    const model = await trainModel(spec, data, config, ctx, impl, (done, total) =>
      ctx.progress(base + 0.7 * share * (done / total), `${spec.name} seed ${spec.seed}: step ${done}/${total}`),
    );
    try {
      const evaluated = await evaluateModel(model, data, config, ctx, impl, (f, msg) =>
        ctx.progress(base + share * (0.7 + 0.3 * f), `${spec.name} seed ${spec.seed}: ${msg}`),
      );
      const { gallery } = evaluated;
      const result: ModelEval = { ...evaluated.result, stepMs: stepCosts[spec.name]?.medianMs ?? null };
      evals.push(result);
      const meta = { model: spec.name, method: spec.method, lambda: spec.lambda, seed: spec.seed };
      ctx.artifact(`gallery/${spec.prefix}.json`, 'application/json', json({
        ...meta,
        imageSize: data.shape.image,
        patch: data.shape.patch,
        grid: data.shape.image / data.shape.patch,
        layers: data.shape.layers,
        heads: data.shape.heads,
        classNames: data.test.set.classNames,
        rules: (config.maskRules as MaskRule[]).map((r) => ({ ...r, description: describeRule(r) })),
        images: gallery,
      }), { kind: 'attention-gallery', ...meta });
      ctx.artifact(`eval/${spec.prefix}.json`, 'application/json', json({ ...meta, ...result }), { kind: 'attention-eval', ...meta });
      artifacts.push(`gallery/${spec.prefix}.json`, `eval/${spec.prefix}.json`);
      const dm = result.modes;
      ctx.log(
        `${spec.name} seed ${spec.seed}: acc dense ${(100 * dm.dense.accuracy).toFixed(1)}%, top-b ${(100 * dm['top-b'].accuracy).toFixed(1)}%, ` +
          `block-sparse ${(100 * dm['block-sparse'].accuracy).toFixed(1)}%; IoU(last) ${result.iou[0]?.lastLayerMean.mean.toFixed(3)}` +
          `${result.pgd ? `; PGD-${result.pgd.steps} ${(100 * result.pgd.accuracy).toFixed(1)}%` : ''}; train ${(model.trainMs / 1000).toFixed(1)} s`,
      );
    } finally {
      disposeVit(model.params);
      if (model.anchors) tf.dispose(model.anchors.flat());
    }
  }

  const entropyNames = [...new Set(specs.filter((s) => hasAnchors(s.method)).map((s) => s.name))];
  const { rows, grid } = buildTable(evals, config.methods, entropyNames);
  const paperEntropy = [...new Set(specs.filter((s) => s.method === 'entropy').map((s) => s.name))];
  const entropyRow = paperEntropy.includes('entropy-0.01') ? 'entropy-0.01' : (paperEntropy[0] ?? null);
  const rules = config.maskRules as MaskRule[];
  const fixed25 = rules.findIndex((r) => r.kind === 'fraction' && Math.abs(r.keep - 0.25) < 1e-9);
  const pruning = buildPruning(evals);
  const claims = claimLinks(rows, entropyRow, fixed25 >= 0 ? fixed25 : null, pruning, config.pruneClaimTargets);
  const lemma2 = lemma2Link(evals.map((e) => e.theorem2));
  if (lemma2) claims.push(lemma2);
  const protocol = {
    model: `tiny ViT: image ${data.shape.image}, patch ${data.shape.patch}, N = ${n} tokens (CLS + ${n - 1} patches), dim ${data.shape.dim}, ${data.shape.heads} heads, ${data.shape.layers} layers, MLP ${data.shape.mlp}`,
    data: `procedural shapes on texture: ${config.classes} classes, object radius ${config.objectRadius[0]}–${config.objectRadius[1]} px, texture contrast ${config.textureContrast}, ${config.distractors} distractors, textureBias ${config.textureBias} (train/val/test); ${config.freshTrainImages ? `a fresh draw of ${config.trainSize} training images every epoch` : `${config.trainSize} training images, the same every epoch`}; dataSeed ${config.dataSeed}`,
    recipe: `AdamW (β 0.9/0.999), peak rate ${config.lr}, batch ${config.batchSize}, linear warm-up over ${config.warmup} of the steps then cosine to 0, decoupled weight decay ${config.weightDecay} on weight matrices only, global-norm clip ${config.gradClip}; ${config.epochs} epochs = ${config.epochs * Math.ceil(config.trainSize / config.batchSize)} steps per model. ${RECIPE_WHY}`,
    shortcutChecks: 'the test images redrawn three ways, every model: background-only (object left out; a shape model is at chance, 100/classes %), flat-background (texture at contrast 0) and texture-swapped (each object over another image\'s background; object pose and mask unchanged). With textureBias 0 the texture is drawn independently of the label, so a shortcut can only show as background-only accuracy above chance or a drop on the other two',
    collapse: `models with learned anchors (entropy, entropy-floor, entropy-per-image): at every margin evaluation, on ${Math.min(64, config.valSize)} validation images with the anchors of that moment frozen, per layer and head the hard cluster-mass entropy H(m) of each image's keys, the tail mass δ outside the block-sparse support at b = ${budget}, and the tail outside each row's own top b; the model's block-sparse top-1 on those images. entropy-floor (ours, not the paper's): each head's H_diff counts only above ${entropyFloorNats(config, n).toFixed(3)} nats (${config.entropyFloor === undefined ? 'ln(N/b): N/b equal clusters of b keys' : 'entropyFloor'}), same λ, α, window and key budget as entropy. entropy-per-image (ours): per head, H_diff of each image's keys alone (block-sparse inference clusters each image separately, while the paper's term pools the batch), held at that value from both sides, Σ_heads mean_images |H_i − ${entropyFloorNats(config, n).toFixed(3)}|; same λ, α, window and key budget`,
    entropy: `loss = CE + λ·Σ_{layers,heads} H_diff(keys of the head over the batch; k = ${kForAttention(n)} learnable anchors per head; α = ${config.alpha}${config.alphaSchedule === 'cosine' ? ' (cosine 10 → α)' : ''}); anchors k-means++ on the first regularised batch; window ${config.regWindow[0]}–${config.regWindow[1]} of steps; margin-plateau stop after ${config.marginPatience} evaluations`,
    l1: 'L1 of each attention row rescaled to unit max, ‖w‖₁/‖w‖_∞ = Σ_j exp(s_j − max s) ∈ [1, N], normalised to [0, 1] and averaged (the plain L1 of a softmax row is always 1; |scores| would push towards uniform attention); same window as entropy; top-b at inference',
    inference: `same key budget b = ${budget} (keepFraction ${config.keepFraction}) for every sparse row; block-sparse: keys assigned to the nearest frozen anchor (learned for entropy models, k-means on ${config.calibrationSize} training images otherwise), clusters contiguous, each query ranks clusters by q·μ_C + log|C| and takes whole clusters until b keys (the last one cut to its most central keys); top-b: the b largest scores; all rows renormalise`,
    latency: `JS kernels (one family for dense, top-b, block-sparse), batch ${config.latencyBatch}, median of ${config.latencyRepeats} repeats, modes interleaved; model latency includes the tfjs projections/MLPs on ${info.name}`,
    memory: 'peakMB = tf.memory().numBytes at the high-water mark of one inference batch (weights included) + the JS kernel buffers. Every JS kernel works one query row at a time and never stores an N×N matrix (like FlashAttention), so JS rows differ only by the block-sparse key/value copies; the dense tfjs forward (eval JSON tfjsDense.peakBytes) keeps every layer\'s [B, H, N, N] weights alive',
    masks: rules.map(describeRule),
    corruptions: Object.fromEntries(CORRUPTIONS.map((c) => [c, SEVERITY_PARAMS[c]])),
    mce: 'Hendrycks & Dietterich: 100·mean_c Σ_s E_model / Σ_s E_none (same seed); raw mean error beside it',
    trainingCost: 'median time of one optimisation step (regulariser on, read-back included) on one batch, every method on a fresh model, methods taking turns step by step with a rotating start (7 timed rounds after 2 warm-up ones); ratio to the none model. Wall-clock training times are in trainSeconds but depend on what else ran',
    pruning: `magnitude pruning (Table 19): per layer, τ = the target quantile of the base kernel's weights on ${config.calibrationSize} training images (zeros off its support included); at inference weights < τ are dropped (the row's largest always kept) and the row renormalised; base = dense for every model, block-sparse (b = ${budget}) for entropy models; targets ${config.pruneTargets.join(', ')}; accuracy and sparsity measured on the table's ${config.sparseEvalSize} test images`,
    robustnessBaselines: `label smoothing ε = ${config.labelSmoothing}; fgsm-at = fast adversarial training (Wong et al. 2020), ε = ${(config.adversarialEps * 255).toFixed(1)}/255, step ${config.fgsmStep}ε from a uniform start, every step`,
    pgd: `PGD-${config.pgdSteps}: L∞ ε = ${(config.adversarialEps * 255).toFixed(1)}/255, step ${(config.pgdStep * 255).toFixed(1)}/255, random start, CLS slot untouched, pixels clipped to range; ${config.pgdSize} test images; dense tfjs forward`,
  };
  ctx.artifact('table.json', 'application/json', json({ protocol, columns: COLUMNS, rows, grid, pruning, claims }), { kind: 'attention-table' });
  artifacts.push('table.json');
  const wallSeconds = (performance.now() - wall0) / 1000;
  ctx.progress(1, 'done');
  return {
    kind: 'attention-train',
    analogue: 'small-scale analogue of Tables 4, 5, 18, 19, 24, 27 (not ImageNet/CIFAR, not ViT-S/B, no GPU kernels)',
    backend: { name: info.name, version: info.version, threads: info.threads, simd: info.simd ?? null, attentionImpl: impl },
    tokens: n,
    budgetKeys: budget,
    clustersPerHead: kForAttention(n),
    protocol,
    columns: COLUMNS,
    table: rows,
    pruning,
    claims,
    models: evals.map((e) => ({
      name: e.name,
      seed: e.seed,
      denseAccuracy: e.denseAccuracy,
      accuracy: Object.fromEntries(Object.entries(e.modes).map(([k, v]) => [k, v.accuracy])),
      trainSeconds: e.trainMs / 1000,
      stepMs: e.stepMs,
      regularisedSteps: e.regularisedSteps,
      marginStopStep: e.marginStopStep,
      theorem2: { rows: e.theorem2.rows, violations: e.theorem2.violations, meanDelta: e.theorem2.meanDelta, meanError: e.theorem2.meanError },
      pgd: e.pgd,
      anchors: e.anchorsSource,
    })),
    metricKeys: {
      pattern: '<prefix>/train/{loss,ce,reg,grad_norm,lr,margin,key_entropy_hard,epoch_ms}, <prefix>/val/{acc,loss}, <prefix>/collapse/{block_acc,l<l>h<h>/mass_entropy,l<l>h<h>/tail_mass} (models with learned anchors)',
      prefixes: specs.map((s) => s.prefix),
    },
    stepCosts,
    artifacts,
    wallSeconds,
  };
};
