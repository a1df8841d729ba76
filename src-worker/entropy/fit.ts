/**
 * Gradient descent on a surrogate (the training loop of Eq. 7 without a network): parameters Θ (anchors,
 * planes or rectangle cuts) and, optionally, the points themselves through a bounded displacement
 * S′ = S + σ·tanh(Δ) (the EntropyNet output layer, App. G.7, with Δ free per point instead of produced by a net).
 *
 *   L(Δ, Θ) = λ·H_⋆(S′; Θ) + μ·mean_i ‖x′_i − x_i‖²
 *
 * With the points frozen, minimising H_⋆ over Θ alone has a trivial optimum (every separator leaves the data,
 * every point lands in one cell, H → 0); the fitter allows it because that is what the surrogate rewards, and
 * the experiment reports which mode it ran. One `step()` runs inside `tf.tidy` and disposes what `minimize`
 * returns; values are read back only in `snapshot()`, with `await data()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerCoreGradients } from '../models/gradients';
import { hDiff, hRect, hSoft, rectParamsTensors, type RectParams64 } from './surrogates';

export type SurrogateFamily = 'ball' | 'halfspace' | 'rect';

export interface FitInit {
  family: SurrogateFamily;
  /** Flat points, dimension d. */
  points: Float64Array;
  d?: number;
  /** ball: k anchors, flat [k·d]. */
  anchors?: Float64Array;
  /** halfspace: m planes, flat rows (w_1 … w_d, b). */
  planes?: Float64Array;
  /** rect: cut parameters. */
  rect?: RectParams64;
  /** ball: α (can be changed per step). */
  alpha?: number;
  /** halfspace / rect: τ. */
  tau?: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Move the points too (S′ = S + σ·tanh(Δ)); σ = 0 freezes them. */
  sigma?: number;
  /** λ, weight of the entropy term. */
  lambda?: number;
  /** μ, weight of the displacement term. */
  mu?: number;
}

export interface FitSnapshot {
  /** Current S′ (flat, Float64 copy). */
  points: Float64Array;
  anchors?: Float64Array;
  planes?: Float64Array;
  rect?: RectParams64;
  /** Surrogate value at the snapshot, nats (float32 evaluation). */
  surrogateNats: number;
}

export class SurrogateFitter {
  readonly family: SurrogateFamily;
  readonly d: number;
  alpha: number;
  tau: number;
  private readonly base: tf.Tensor2D;
  private readonly delta: tf.Variable | null;
  private readonly vars: tf.Variable[];
  private readonly optimizer: tf.Optimizer;
  private readonly sigma: number;
  private readonly lambda: number;
  private readonly mu: number;
  private readonly rectR: number;
  private readonly anchorsVar: tf.Variable | null = null;
  private readonly planesW: tf.Variable | null = null;
  private readonly planesB: tf.Variable | null = null;
  private readonly rectStart: tf.Variable | null = null;
  private readonly rectGaps: tf.Variable | null = null;

  constructor(init: FitInit) {
    registerCoreGradients();
    this.family = init.family;
    const d = (this.d = init.d ?? 2);
    this.alpha = init.alpha ?? 10;
    this.tau = init.tau ?? 0.05;
    this.sigma = init.sigma ?? 0;
    this.lambda = init.lambda ?? 1;
    this.mu = init.mu ?? 0;
    const n = init.points.length / d;
    this.base = tf.tensor2d(Float32Array.from(init.points), [n, d]);
    this.delta = this.sigma > 0 ? tf.tidy(() => tf.variable(tf.zeros([n, d]), true)) : null;
    this.vars = this.delta ? [this.delta] : [];
    this.rectR = 0;
    if (init.family === 'ball') {
      if (!init.anchors) throw new Error('SurrogateFitter: ball family needs anchors');
      this.anchorsVar = tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from(init.anchors!), [init.anchors!.length / d, d]), true));
      this.vars.push(this.anchorsVar);
    } else if (init.family === 'halfspace') {
      if (!init.planes) throw new Error('SurrogateFitter: halfspace family needs planes');
      const m = init.planes.length / (d + 1);
      const w = new Float32Array(m * d);
      const b = new Float32Array(m);
      for (let t = 0; t < m; t++) {
        for (let a = 0; a < d; a++) w[t * d + a] = init.planes[t * (d + 1) + a];
        b[t] = init.planes[t * (d + 1) + d];
      }
      this.planesW = tf.tidy(() => tf.variable(tf.tensor2d(w, [m, d]), true));
      this.planesB = tf.tidy(() => tf.variable(tf.tensor1d(b), true));
      this.vars.push(this.planesW, this.planesB);
    } else {
      if (!init.rect) throw new Error('SurrogateFitter: rect family needs cut parameters');
      const rect = init.rect;
      this.rectR = rect.r;
      this.rectStart = tf.tidy(() => tf.variable(rectParamsTensors(rect).start, true));
      this.vars.push(this.rectStart);
      if (rect.r > 1) {
        this.rectGaps = tf.tidy(() => tf.variable(rectParamsTensors(rect).gaps!, true));
        this.vars.push(this.rectGaps);
      }
    }
    this.optimizer = tf.train.adam(init.learningRate);
  }

  /** S′ as a tensor (caller disposes / runs inside tidy). */
  private movedPoints(): tf.Tensor2D {
    return this.delta ? (tf.add(this.base, tf.mul(tf.tanh(this.delta), this.sigma)) as tf.Tensor2D) : this.base;
  }

  private surrogate(points: tf.Tensor2D): tf.Scalar {
    switch (this.family) {
      case 'ball':
        return hDiff(points, this.anchorsVar as tf.Variable<tf.Rank.R2>, this.alpha);
      case 'halfspace':
        return hSoft(points, this.planesW as tf.Variable<tf.Rank.R2>, this.planesB as tf.Variable<tf.Rank.R1>, this.tau);
      case 'rect':
        return hRect(points, { start: this.rectStart as tf.Variable<tf.Rank.R2>, gaps: this.rectGaps as tf.Variable<tf.Rank.R2> | null }, this.tau);
    }
  }

  private loss(): tf.Scalar {
    const moved = this.movedPoints();
    let loss = tf.mul(this.surrogate(moved), this.lambda) as tf.Scalar;
    if (this.delta && this.mu > 0) loss = tf.add(loss, tf.mul(tf.mean(tf.sum(tf.square(tf.sub(moved, this.base)), 1)), this.mu));
    return loss;
  }

  /** One optimiser step on L (module comment). */
  step(): void {
    tf.tidy(() => {
      const cost = this.optimizer.minimize(() => this.loss(), false, this.vars);
      cost?.dispose();
    });
  }

  /** Current state read back with `await data()`. */
  async snapshot(): Promise<FitSnapshot> {
    const [moved, value] = tf.tidy(() => {
      const p = this.movedPoints();
      return [p === this.base ? p.clone() : p, this.surrogate(p)];
    });
    const out: FitSnapshot = { points: Float64Array.from(await moved.data()), surrogateNats: (await value.data())[0] };
    moved.dispose();
    value.dispose();
    const d = this.d;
    if (this.anchorsVar) out.anchors = Float64Array.from(await this.anchorsVar.data());
    if (this.planesW && this.planesB) {
      const w = await this.planesW.data();
      const b = await this.planesB.data();
      const m = b.length;
      const planes = new Float64Array(m * (d + 1));
      for (let t = 0; t < m; t++) {
        for (let a = 0; a < d; a++) planes[t * (d + 1) + a] = w[t * d + a];
        planes[t * (d + 1) + d] = b[t];
      }
      out.planes = planes;
    }
    if (this.rectStart) {
      out.rect = {
        d,
        r: this.rectR,
        start: Float64Array.from(await this.rectStart.data()),
        gaps: this.rectGaps ? Float64Array.from(await this.rectGaps.data()) : new Float64Array(0),
      };
    }
    return out;
  }

  dispose(): void {
    this.base.dispose();
    for (const v of this.vars) v.dispose();
    this.optimizer.dispose();
  }
}
