/**
 * One EntropyNet training step and the state it needs: network, surrogate parameters (anchors or planes,
 * trained jointly, Alg. 1 line 17), AdamW with clipping by global norm (Table 21, G.11). No tensor is read
 * back inside the step: the step returns scalar tensors that the caller reads (`await t.data()`) and disposes.
 */
import * as tf from '../../models/tf';
import { EntropyNet, type EntropyNetOptions } from '../../models/entropynet';
import { AdamW, type AdamWOptions } from '../../models/optim';
import { chamferDistance, entropyNetLoss, hullPreservingLoss, type EntropyRegularizer } from '../../models/losses';
import type { EntropyNetCheckpoint, TensorMap, TrainingState } from '../../models/checkpoint';

export type TaskLoss = 'chamfer' | 'hull';
export type SurrogateKind = 'hDiff' | 'hSoft' | 'hRect';

export interface TrainerOptions {
  model: Partial<EntropyNetOptions>;
  optimizer: Partial<AdamWOptions>;
  /** Max global gradient norm (Table 21: 1.0); 0 or Infinity disables clipping. */
  gradClip: number;
  taskLoss: TaskLoss;
  /** Weight μ of the outside-the-hull penalty of the hull-preserving loss. */
  hullOutsideWeight: number;
  surrogate: SurrogateKind;
  /** Train anchors/planes jointly with the network (Alg. 1 line 17); false keeps them fixed (Table 17). */
  learnSurrogate?: boolean;
}

/**
 * Initial surrogate parameters, flat Float64: anchors [k·d]; or planes w [m·d] and b [m]; or the rectangle
 * family's raw cut parameters (start [d], gaps [d·(r−1)], see `RectParams64`).
 */
export type SurrogateInit =
  | { kind: 'hDiff'; anchors: Float64Array }
  | { kind: 'hSoft'; planesW: Float64Array; planesB: Float64Array }
  | { kind: 'hRect'; start: Float64Array; gaps: Float64Array };

/** Per-step schedule values. */
export interface StepSchedule {
  lambda: number;
  alpha: number;
  tau: number;
  lr?: number;
}

/** Hull-loss constants of a batch (see `hullTargets`), as tensors owned by the caller. */
export interface HullBatch {
  weights: tf.Tensor2D;
  planes: tf.Tensor3D;
}

export interface StepResult {
  loss: tf.Scalar;
  task: tf.Scalar;
  /** Surrogate value of S′ when λ > 0 in this step, else null. */
  entropy: tf.Scalar | null;
  gradNorm: tf.Scalar;
}

export class EntropyNetTrainer {
  readonly options: TrainerOptions;
  readonly model: EntropyNet;
  readonly optimizer: AdamW;
  /** Surrogate variables by logical name: `anchors`; `planes_w` and `planes_b`; or `rect_start` and (r > 1) `rect_gaps`. */
  readonly surrogateVars = new Map<string, tf.Variable>();
  private readonly byFullName = new Map<string, string>();

  constructor(options: TrainerOptions, init: SurrogateInit) {
    this.options = options;
    this.model = new EntropyNet(options.model);
    const d = this.model.options.d;
    if (init.kind !== options.surrogate) throw new Error(`EntropyNetTrainer: surrogate "${options.surrogate}" initialised as "${init.kind}"`);
    const uid = Math.random().toString(36).slice(2, 10);
    if (init.kind === 'hDiff') {
      const k = init.anchors.length / d;
      this.surrogateVars.set('anchors', tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from(init.anchors), [k, d]), true, `surrogate-${uid}/anchors`)));
    } else if (init.kind === 'hRect') {
      const r = init.gaps.length / d + 1;
      this.surrogateVars.set('rect_start', tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from(init.start), [d, 1]), true, `surrogate-${uid}/rect_start`)));
      if (r > 1) this.surrogateVars.set('rect_gaps', tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from(init.gaps), [d, r - 1]), true, `surrogate-${uid}/rect_gaps`)));
    } else {
      const m = init.planesB.length;
      this.surrogateVars.set('planes_w', tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from(init.planesW), [m, d]), true, `surrogate-${uid}/planes_w`)));
      this.surrogateVars.set('planes_b', tf.tidy(() => tf.variable(tf.tensor1d(Float32Array.from(init.planesB)), true, `surrogate-${uid}/planes_b`)));
    }
    const trainable = new Map([...this.model.trainableVariables(), ...this.surrogateVars]);
    for (const [name, v] of trainable) this.byFullName.set(v.name, name);
    // Decoupled weight decay applies to the network's weights only; anchors and planes are positions in the
    // data's space, and decaying them would pull them towards the origin.
    this.optimizer = new AdamW(trainable, options.optimizer, this.surrogateVars.keys());
  }

  regularizer(schedule: StepSchedule): EntropyRegularizer {
    if (this.options.surrogate === 'hDiff') return { kind: 'hDiff', anchors: this.surrogateVars.get('anchors') as tf.Tensor2D, alpha: schedule.alpha };
    if (this.options.surrogate === 'hRect') {
      const gaps = this.surrogateVars.get('rect_gaps');
      return { kind: 'hRect', start: this.surrogateVars.get('rect_start') as tf.Tensor2D, gaps: gaps ? (gaps as tf.Tensor2D) : null, tau: schedule.tau };
    }
    return {
      kind: 'hSoft',
      planesW: this.surrogateVars.get('planes_w') as tf.Tensor2D,
      planesB: this.surrogateVars.get('planes_b') as tf.Tensor1D,
      tau: schedule.tau,
    };
  }

  /** The task loss L_task(S, S′) of Alg. 1 line 15. */
  taskLoss(points: tf.Tensor3D, moved: tf.Tensor3D, hull?: HullBatch): tf.Scalar {
    if (this.options.taskLoss === 'chamfer') return chamferDistance(points, moved);
    if (!hull) throw new Error('hull-preserving loss needs the hull targets of the batch');
    return hullPreservingLoss(points, moved, hull.weights, hull.planes, this.options.hullOutsideWeight);
  }

  /** One optimizer step on a batch [B, N, d] (training mode: batch statistics, dropout). */
  step(points: tf.Tensor3D, schedule: StepSchedule, hull?: HullBatch): StepResult {
    const reg = this.regularizer(schedule);
    let task: tf.Scalar | null = null;
    let entropy: tf.Scalar | null = null;
    const learn = schedule.lambda > 0 && (this.options.learnSurrogate ?? true);
    const trainable = [...this.model.trainableVariables().values(), ...(learn ? this.surrogateVars.values() : [])];
    const { value, grads } = tf.variableGrads(() => {
      const moved = this.model.forward(points, { training: true });
      const parts = entropyNetLoss(this.taskLoss(points, moved, hull), moved, reg, schedule.lambda);
      task = tf.keep(parts.task);
      entropy = parts.entropy ? tf.keep(parts.entropy) : null;
      return parts.total;
    }, trainable);
    const named = new Map<string, tf.Tensor>();
    for (const [fullName, g] of Object.entries(grads)) {
      const name = this.byFullName.get(fullName);
      if (!name) throw new Error(`EntropyNetTrainer: gradient for unknown variable "${fullName}"`);
      named.set(name, g);
    }
    const maxNorm = this.options.gradClip;
    const norm = this.optimizer.applyClipped(named, maxNorm > 0 && Number.isFinite(maxNorm) ? maxNorm : Infinity, schedule.lr);
    tf.dispose([...named.values()]);
    return { loss: value, task: task as unknown as tf.Scalar, entropy, gradNorm: tf.scalar(norm) };
  }

  /** Surrogate parameters as Float32 copies (for checkpoints). */
  async surrogateSnapshot(): Promise<TensorMap> {
    const out: TensorMap = new Map();
    for (const [name, v] of this.surrogateVars) out.set(name, { shape: v.shape.slice(), data: ((await v.data()) as Float32Array).slice() });
    return out;
  }

  /** Everything a resumed run needs (see checkpoint.ts). */
  async checkpoint(kind: 'checkpoint' | 'weights', training?: TrainingState, config?: unknown): Promise<EntropyNetCheckpoint> {
    const weights = await this.model.snapshot();
    const regularizer = await this.surrogateSnapshot();
    const base: EntropyNetCheckpoint = {
      kind,
      model: { ...this.model.options, pointWidths: [...this.model.options.pointWidths] },
      weights,
      regularizer,
      regularizerKind: this.options.surrogate,
    };
    if (kind === 'weights') return base;
    return {
      ...base,
      optimizer: { options: this.optimizer.options, state: await this.optimizer.getState() },
      training: training ? { ...training, dropoutCalls: this.model.dropoutCalls } : undefined,
      config,
    };
  }

  /** Restore network, surrogate parameters and (for a full checkpoint) optimizer state. */
  restore(c: EntropyNetCheckpoint): void {
    const mine = this.model.options;
    const diff = (Object.keys(mine) as Array<keyof typeof mine>).filter((key) => JSON.stringify(mine[key]) !== JSON.stringify(c.model[key]));
    if (diff.length > 0) throw new Error(`restore: the checkpoint's network differs in ${diff.join(', ')}`);
    this.model.load(c.weights);
    for (const [name, v] of this.surrogateVars) {
      const entry = c.regularizer.get(name);
      if (!entry || entry.data.length !== v.size) throw new Error(`restore: surrogate tensor "${name}" missing or of the wrong size`);
      tf.tidy(() => v.assign(tf.tensor(entry.data, v.shape)));
    }
    if (c.optimizer) this.optimizer.setState(c.optimizer.state);
    const calls = c.training?.dropoutCalls;
    if (typeof calls === 'number') this.model.dropoutCalls = calls;
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
    for (const v of this.surrogateVars.values()) v.dispose();
    this.surrogateVars.clear();
  }
}
