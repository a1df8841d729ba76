/**
 * `entropynet-train` (heavy half): train EntropyNet, checkpoint it, then evaluate the hull pipeline.
 *
 * Schedule (Table 21, G.11, App. A): epochs 0 … regStartEpoch−1 train on the task loss alone; from
 * regStartEpoch (until regEndEpoch, if set) the loss is task + λ·H with α cosine-annealed from alphaStart to
 * alphaEnd over the first alphaAnnealFraction of the regularised steps. After each epoch the validation sets
 * give the metrics below; while the regulariser is on, the validation margin (5th percentile of the per-point
 * margins — the minimum γ̂ itself is ≈0 on any dense set and would "plateau" at once) is watched, and after
 * `earlyStopPatience` epochs without a relative improvement of `earlyStopMinDelta` training stops (G.11) or
 * the regulariser is switched off (App. A).
 *
 * Metric keys (step = epoch): train/loss, train/task_loss, train/h_soft_nats (surrogate H_diff or H_soft of S′,
 * epochs with the regulariser on), train/grad_norm (before clipping), train/alpha, train/lambda, train/lr,
 * train/step_ms, val/task_loss, val/h_soft_nats, val/h_hard_nats, val/err_hard_soft_nats, val/margin (γ̂),
 * val/margin_p05, val/structural_bits (bound of S′), val/structural_bits_input (of S), val/hull_error_pct,
 * val/hausdorff (hull boundaries), val/hausdorff_points, val/objective (task + λ·H), epoch_time_s.
 *
 * Artifacts: checkpoint-last.bin (every epoch; resume from it after a cancel or crash),
 * checkpoint-epoch-NNNN.bin (every `checkpointEvery` epochs, G.14), checkpoint-best.bin (lowest val/objective
 * among epochs with the regulariser on), model.bin (weights of the best model, for `entropynet:<runId>`),
 * before-after.json (Fig. 10). Timing rows come from the pipeline evaluation (pipeline.ts).
 */
import { breakEvenInputs, entropyNetClaims } from './claims';
import { initBackend } from '../../models/backend';
import * as tf from '../../models/tf';
import { decodeCheckpoint, encodeCheckpoint, type EntropyNetCheckpoint } from '../../models/checkpoint';
import { hullTargets } from '../../models/losses';
import { alphaCosine, initAnchorsKMeansPP, initAnchorsRandom, kDefault } from '../../entropy/anchors';
import { createRng } from '../../entropy/random';
import { quantileCuts } from '../../entropy/separators';
import { convexHull } from '../../geometry/hull/index';
import { exclusively, type ExperimentRun } from '../types';
import type { EntropyNetTrainConfig } from './config';
import { trainingProtocol } from './protocol';
import type { EntropynetTrainResult } from '../../shared/results/entropynet-train';
import { makeSets, mixSeed, packBatch, permutation } from './data';
import { evaluatePipeline, type PipelineSummaryRow } from './pipeline';
import { EntropyNetTrainer, type HullBatch, type SurrogateInit } from './trainer';
import { structuralBits, validate, type ValidationResult } from './validate';

/** Loop state stored in checkpoints (`training` of the header). */
interface LoopState {
  epoch: number;
  globalStep: number;
  /** Steps taken with the regulariser on (the α schedule's clock). */
  regStep: number;
  bestObjective: number | null;
  bestEpoch: number | null;
  marginBest: number | null;
  marginStale: number;
  regDisabled: boolean;
  stoppedEarly: boolean;
  /** Seconds spent training so far (all runs of a resume chain). */
  trainSeconds: number;
}

/** Config keys that define the data, the network and the surrogate: a resumed run must not change them. */
const RESUME_KEYS = ['seed', 'datasets', 'n', 'trainSets', 'valSets', 'sigma', 'dropout', 'surrogate', 'k', 'planes', 'anchorInit', 'taskLoss'] as const;

function surrogateInit(config: EntropyNetTrainConfig, sets: Float64Array[], k: number): SurrogateInit {
  const rng = createRng(mixSeed(config.seed, 0xa11c, 0));
  const pooledCount = Math.min(sets.length, 16);
  const pool = new Float64Array(pooledCount * sets[0].length);
  for (let i = 0; i < pooledCount; i++) pool.set(sets[i], i * sets[0].length);
  if (config.surrogate === 'hDiff') {
    const anchors = config.anchorInit === 'kmeans++' ? initAnchorsKMeansPP(pool, k, rng) : initAnchorsRandom(pool, k, rng);
    return { kind: 'hDiff', anchors };
  }
  if (config.surrogate === 'hRect') {
    // App. H.4 gives no initialisation: the per-axis quantiles of the pooled training sets (deterministic).
    const rect = quantileCuts(pool, config.rectCuts);
    return { kind: 'hRect', start: rect.start, gaps: rect.gaps };
  }
  // m planes through random data points with uniformly random unit normals (H.5 leaves the choice open).
  const m = config.planes;
  const planesW = new Float64Array(2 * m);
  const planesB = new Float64Array(m);
  const count = pool.length / 2;
  for (let t = 0; t < m; t++) {
    const theta = 2 * Math.PI * rng.next();
    planesW[2 * t] = Math.cos(theta);
    planesW[2 * t + 1] = Math.sin(theta);
    const i = rng.int(count);
    planesB[t] = planesW[2 * t] * pool[2 * i] + planesW[2 * t + 1] * pool[2 * i + 1];
  }
  return { kind: 'hSoft', planesW, planesB };
}

/** Hull-loss tensors for the sets `indices` of precomputed targets (per-set rows of N weights and E planes). */
function hullBatch(targets: ReturnType<typeof hullTargets>, indices: ArrayLike<number>, n: number): HullBatch {
  const e = targets.edges;
  const w = new Float32Array(indices.length * n);
  const p = new Float32Array(indices.length * e * 3);
  for (let b = 0; b < indices.length; b++) {
    w.set(targets.weights.subarray(indices[b] * n, (indices[b] + 1) * n), b * n);
    p.set(targets.planes.subarray(indices[b] * e * 3, (indices[b] + 1) * e * 3), b * e * 3);
  }
  return { weights: tf.tensor2d(w, [indices.length, n]), planes: tf.tensor3d(p, [indices.length, e, 3]) };
}

function checkResumable(config: EntropyNetTrainConfig, c: EntropyNetCheckpoint): void {
  if (c.kind !== 'checkpoint' || !c.training || !c.optimizer) throw new Error('resumeFrom: the artifact is not a training checkpoint (model.bin holds weights only)');
  const old = (c.config ?? {}) as Record<string, unknown>;
  const diffs = RESUME_KEYS.filter((key) => JSON.stringify(old[key]) !== JSON.stringify(config[key]));
  if (diffs.length > 0) {
    throw new Error(`resumeFrom: the checkpoint was trained with different ${diffs.map((d) => `${d} (${JSON.stringify(old[d])} → ${JSON.stringify(config[d])})`).join(', ')}`);
  }
}

function validationMetrics(v: ValidationResult): Record<string, number> {
  return {
    'val/task_loss': v.taskLoss,
    'val/h_soft_nats': v.hSoft,
    'val/h_hard_nats': v.hHard,
    'val/err_hard_soft_nats': v.errHardSoft,
    'val/margin': v.margin,
    'val/margin_p05': v.marginP05,
    'val/structural_bits': v.structuralBits,
    'val/hull_error_pct': v.hullErrorPct,
    'val/hausdorff': v.hausdorff,
    'val/hausdorff_points': v.hausdorffPoints,
    'val/objective': v.objective,
  };
}

export const run: ExperimentRun<EntropyNetTrainConfig, EntropynetTrainResult> = async (config, ctx) => {
  const info = await initBackend(config.backend === 'auto' ? undefined : config.backend);
  ctx.backend(info.name, { ...info });
  ctx.log(`backend ${info.name} ${info.version} (${info.package}), threads ${info.threads}${info.simd === undefined ? '' : `, simd ${info.simd}`}`);

  const protocol = trainingProtocol(config).text;
  ctx.log(`protocol: ${protocol}`);

  const resume = config.resumeFrom ? decodeCheckpoint(ctx.input(config.resumeFrom.runId, config.resumeFrom.artifact)) : null;
  if (resume) checkResumable(config, resume);

  const n = config.n;
  const k = config.k ?? kDefault(n);
  const train = makeSets(config.datasets, config.trainSets, n, config.seed, 'train');
  const val = makeSets(config.datasets, config.valSets, n, config.seed, 'val');
  const init = surrogateInit(config, train.sets, k);
  const trainer = new EntropyNetTrainer(
    {
      model: { d: 2, sigma: config.sigma, dropout: config.dropout, seed: config.seed },
      optimizer: { lr: config.lr, weightDecay: config.weightDecay, beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon },
      gradClip: config.gradClip,
      taskLoss: config.taskLoss,
      hullOutsideWeight: config.hullOutsideWeight,
      surrogate: config.surrogate,
      learnSurrogate: config.learnAnchors,
    },
    init,
  );
  const hullAuto = (p: Float64Array): Uint32Array => convexHull(p, 'auto');
  const trainTargets = config.taskLoss === 'hull' ? hullTargets(train.sets, hullAuto, config.hullWeight) : null;
  const valTargets = config.taskLoss === 'hull' ? hullTargets(val.sets, hullAuto, config.hullWeight) : null;
  const valIndices = Array.from({ length: val.sets.length }, (_, i) => i);

  let state: LoopState = {
    epoch: -1, globalStep: 0, regStep: 0, bestObjective: null, bestEpoch: null, marginBest: null, marginStale: 0,
    regDisabled: false, stoppedEarly: false, trainSeconds: 0,
  };
  if (resume) {
    trainer.restore(resume);
    // The best model of the old run is not shipped with the checkpoint: "best" restarts within this run.
    state = { ...state, ...(resume.training as unknown as Partial<LoopState>), bestObjective: null, bestEpoch: null };
    ctx.log(`resumed from ${config.resumeFrom?.runId}/${config.resumeFrom?.artifact} after epoch ${state.epoch}`);
  }
  const stepsPerEpoch = Math.ceil(config.trainSets / config.batchSize);
  const regEpochs = Math.max(0, Math.min(config.epochs, config.regEndEpoch ?? config.epochs) - config.regStartEpoch);
  const regTotalSteps = Math.max(1, regEpochs * stepsPerEpoch);
  const alphaAt = (step: number): number => alphaCosine(step, regTotalSteps, config.alphaStart, config.alphaEnd, config.alphaAnnealFraction);
  const regActiveAt = (epoch: number): boolean =>
    config.lambda > 0 && !state.regDisabled && epoch >= config.regStartEpoch && (config.regEndEpoch === null || epoch < config.regEndEpoch);

  let best: EntropyNetCheckpoint | null = null;
  let lastValidation: ValidationResult | null = null;
  const inputBits = val.sets.map(structuralBits);
  const inputBitsMean = inputBits.reduce((a, b) => a + b, 0) / inputBits.length;
  const snapshot = async (): Promise<Uint8Array> =>
    encodeCheckpoint(await trainer.checkpoint('checkpoint', { ...state }, config));

  try {
    const startEpoch = state.epoch + 1;
    for (let epoch = startEpoch; epoch < config.epochs && !state.stoppedEarly; epoch++) {
      const t0 = performance.now();
      const regActive = regActiveAt(epoch);
      const perm = permutation(config.trainSets, mixSeed(config.seed, 0xe90c, epoch));
      const sums = { loss: 0, task: 0, h: 0, grad: 0, steps: 0, stepMs: 0 };
      for (let s = 0; s < stepsPerEpoch; s++) {
        await ctx.tick();
        const idx = perm.subarray(s * config.batchSize, Math.min(config.trainSets, (s + 1) * config.batchSize));
        const s0 = performance.now();
        const points = tf.tensor3d(packBatch(train.sets, idx), [idx.length, n, 2]);
        const hull = trainTargets ? hullBatch(trainTargets, idx, n) : undefined;
        const schedule = { lambda: regActive ? config.lambda : 0, alpha: alphaAt(state.regStep), tau: config.tau };
        const r = trainer.step(points, schedule, hull);
        const [loss, task, h, grad] = await Promise.all([r.loss.data(), r.task.data(), r.entropy ? r.entropy.data() : null, r.gradNorm.data()]);
        tf.dispose([points, r.loss, r.task, r.gradNorm, ...(r.entropy ? [r.entropy] : []), ...(hull ? [hull.weights, hull.planes] : [])]);
        sums.stepMs += performance.now() - s0;
        sums.loss += loss[0];
        sums.task += task[0];
        sums.h += h ? h[0] : 0;
        sums.grad += grad[0];
        sums.steps++;
        state.globalStep++;
        if (regActive) state.regStep++;
        ctx.progress((0.85 * (epoch - startEpoch + (s + 1) / stepsPerEpoch)) / Math.max(1, config.epochs - startEpoch), `epoch ${epoch + 1}/${config.epochs}`);
      }
      const alpha = alphaAt(state.regStep);
      const valHull = valTargets ? hullBatch(valTargets, valIndices, n) : undefined;
      const v = await validate(trainer, val.sets, { lambda: config.lambda, alpha, tau: config.tau }, config.lambda, valHull);
      if (valHull) tf.dispose([valHull.weights, valHull.planes]);
      lastValidation = v;
      const epochSeconds = (performance.now() - t0) / 1000;
      state.trainSeconds += epochSeconds;
      const m: Record<string, number> = {
        'train/loss': sums.loss / sums.steps,
        'train/task_loss': sums.task / sums.steps,
        'train/grad_norm': sums.grad / sums.steps,
        'train/alpha': alpha,
        'train/lambda': regActive ? config.lambda : 0,
        'train/lr': config.lr,
        'train/step_ms': sums.stepMs / sums.steps,
        ...validationMetrics(v),
        'val/structural_bits_input': inputBitsMean,
        epoch_time_s: epochSeconds,
      };
      if (regActive) m['train/h_soft_nats'] = sums.h / sums.steps;
      ctx.metrics(Object.entries(m).map(([key, value]) => ({ key, step: epoch, value: Number.isFinite(value) ? value : null })));

      state.epoch = epoch;
      if (regActive) {
        // G.11 early stopping on a margin plateau (see module comment).
        const improved = state.marginBest === null || v.marginP05 > state.marginBest + config.earlyStopMinDelta * Math.abs(state.marginBest);
        if (improved) {
          state.marginBest = v.marginP05;
          state.marginStale = 0;
        } else state.marginStale++;
        if (state.bestObjective === null || v.objective < state.bestObjective) {
          state.bestObjective = v.objective;
          state.bestEpoch = epoch;
          best = await trainer.checkpoint('checkpoint', { ...state }, config);
          ctx.artifact('checkpoint-best.bin', 'application/octet-stream', encodeCheckpoint(best), { epoch, objective: v.objective });
        }
        if (config.earlyStopPatience > 0 && state.marginStale >= config.earlyStopPatience) {
          if (config.earlyStopAction === 'stop') {
            state.stoppedEarly = true;
            ctx.log(`early stop after epoch ${epoch}: validation margin flat for ${state.marginStale} epochs`);
          } else {
            state.regDisabled = true;
            ctx.log(`regulariser off after epoch ${epoch}: validation margin flat for ${state.marginStale} epochs`);
          }
        }
      }
      const bytes = await snapshot();
      ctx.artifact('checkpoint-last.bin', 'application/octet-stream', bytes, { epoch });
      if (config.checkpointEvery > 0 && (epoch + 1) % config.checkpointEvery === 0) {
        ctx.artifact(`checkpoint-epoch-${String(epoch + 1).padStart(4, '0')}.bin`, 'application/octet-stream', bytes, { epoch });
      }
    }

    // The model that is evaluated and exported: the best one when the regulariser ever ran, else the last.
    if (best) trainer.restore({ ...best, optimizer: undefined });
    // The config and the training state ride along so that a geometry-timing run using this model knows its
    // training scale and how many epochs ran (G.11's early stop may end training before config.epochs).
    ctx.artifact('model.bin', 'application/octet-stream', encodeCheckpoint({ ...(await trainer.checkpoint('weights')), config, training: { ...state } }), {
      bestEpoch: state.bestEpoch,
      lastEpoch: state.epoch,
      params: trainer.model.countParams(),
    });

    const before = val.sets[0];
    const after = Float64Array.from(trainer.model.predict(before));
    const body = {
      dataset: val.datasets[0],
      n,
      seed: val.seeds[0],
      hullEncoding: 'indices into before / after',
      before: Array.from(before),
      after: Array.from(after),
      hullBefore: Array.from(hullAuto(before)),
      hullAfter: Array.from(hullAuto(after)),
    };
    ctx.artifact('before-after.json', 'application/json', new TextEncoder().encode(JSON.stringify(body)), { dataset: val.datasets[0], n, epoch: state.bestEpoch ?? state.epoch });

    // Training runs share the cores; the pipeline timings (Table 2) take the machine alone, on the trained
    // model (the forward's output, hence the hull's size and cost, depends on the weights).
    const pipeline: PipelineSummaryRow[] = await exclusively(ctx, 'pipeline timing', async () => evaluatePipeline(trainer.model, {
      datasets: config.evalDatasets,
      sizes: config.evalSizes,
      algorithms: config.evalAlgorithms,
      seeds: config.evalSeeds,
      repeats: config.evalRepeats,
      warmup: config.evalWarmup,
      budgetMs: config.evalBudgetMs,
      exact: config.evalExact,
      keep: { rule: config.keepRule, margin: config.keepMargin },
      signal: ctx.signal,
      emit: (rows) => ctx.timing(rows),
      progress: (f, message) => ctx.progress(0.85 + 0.15 * f, message),
    }));

    const finalVal = lastValidation ? validationMetrics(lastValidation) : null;
    // Headline: the first dataset and algorithm at the largest evaluated n.
    const largest = Math.max(...config.evalSizes);
    const headline = pipeline.find((r) => r.mode === 'entropynet' && r.n === largest) ?? null;
    const headlineExact = headline ? pipeline.find((r) => r.mode === 'entropynet-exact' && r.dataset === headline.dataset && r.n === headline.n && r.algorithm === headline.algorithm) : null;
    return {
      backend: info.name,
      backend_version: info.version,
      threads: info.threads,
      params: trainer.model.countParams(),
      k: config.surrogate === 'hDiff' ? k : null,
      epochs_completed: state.epoch + 1,
      stopped_early: state.stoppedEarly,
      regularizer_disabled: state.regDisabled,
      best_epoch: state.bestEpoch,
      best_objective: state.bestObjective,
      train_time_s: state.trainSeconds,
      protocol,
      structural_bits_input: inputBitsMean,
      final_validation: finalVal,
      resumed_from: config.resumeFrom ? { ...config.resumeFrom, epoch: resume?.training?.epoch ?? null } : null,
      headline: headline
        ? {
            dataset: headline.dataset,
            n: headline.n,
            algorithm: headline.algorithm,
            end_to_end_speedup: headline.end_to_end_speedup,
            algorithm_speedup: headline.algorithm_speedup,
            hull_error_pct: headline.hull_error_pct,
            exact_end_to_end_speedup: headlineExact?.end_to_end_speedup ?? null,
            exact_all_match_raw: headlineExact?.all_match_raw ?? null,
          }
        : null,
      pipeline,
      claims: entropyNetClaims(pipeline, info.name, { n: config.n, trainSets: config.trainSets, epochs: config.epochs, epochsRun: state.epoch + 1 }, {
        surrogate: config.surrogate,
        k: config.k ?? Math.min(16, Math.floor(config.n / 4)),
        learnAnchors: config.learnAnchors,
        alphaStart: config.alphaStart,
        alphaEnd: config.alphaEnd,
        lambda: config.lambda,
        trainSeconds: state.trainSeconds,
      }),
      breakEven: breakEvenInputs(pipeline, state.trainSeconds),
    };
  } catch (err) {
    if (ctx.signal.aborted && state.epoch >= 0) ctx.log(`cancelled; resume from checkpoint-last.bin (epoch ${state.epoch})`, 'warn');
    throw err;
  } finally {
    trainer.dispose();
  }
};
