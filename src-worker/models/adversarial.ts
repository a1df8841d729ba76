/**
 * L∞ adversarial perturbations of ViT inputs (Table 27 analogue): PGD (Madry et al. 2018) for evaluation,
 * and the random-start FGSM step of "Fast is better than free" (Wong et al. 2020) for adversarial training.
 *
 * Inputs are patch tensors [B, N, P²C] as `patchify` makes them: pixel/255 − ½, token 0 the (all-zero)
 * CLS slot. Patchify is a permutation of pixels, so an L∞ ball of radius ε in pixel units/255 is the same
 * ball here; the CLS slot is never perturbed, and x + δ is clipped to the valid range [−½, ½].
 */
import * as tf from './tf';
import { crossEntropy, vitForward, type AttentionImpl, type VitParams } from './vit';

export interface PgdOptions {
  /** Radius in pixel units / 255 (8/255 is the CIFAR convention). */
  eps: number;
  /** Step size per iteration (2/255 with 10 steps is PGD-10's convention). */
  stepSize: number;
  steps: number;
  /** Start from a uniform point of the ball (Madry et al.). */
  randomStart: boolean;
  impl?: AttentionImpl;
}

const LO = -0.5;
const HI = 0.5;

/** 1 on patch tokens, 0 on the CLS slot: [1, N, 1]. */
function patchMask(n: number): tf.Tensor3D {
  const m = new Float32Array(n).fill(1);
  m[0] = 0;
  return tf.tensor3d(m, [1, n, 1]);
}

/** Uniform noise in [−eps, eps] from a seeded JS generator (reproducible on every backend). */
function uniformBall(shape: [number, number, number], eps: number, random: () => number): tf.Tensor3D {
  const size = shape[0] * shape[1] * shape[2];
  const buf = new Float32Array(size);
  for (let i = 0; i < size; i++) buf[i] = (2 * random() - 1) * eps;
  return tf.tensor3d(buf, shape);
}

/** Project x + δ back to the ε-ball around x and the valid pixel range; CLS slot restored to x's. */
function project(xAdv: tf.Tensor3D, x: tf.Tensor3D, eps: number, mask: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const delta = tf.mul(tf.clipByValue(tf.sub(xAdv, x), -eps, eps), mask);
    return tf.clipByValue(tf.add(x, delta), LO, HI) as tf.Tensor3D;
  });
}

/** ∂ CE(f(x), y) / ∂x for the whole batch (sum of per-image losses, so each image's gradient is its own). */
export function inputGradient(params: VitParams, x: tf.Tensor3D, y: tf.Tensor1D, impl?: AttentionImpl): tf.Tensor3D {
  const b = x.shape[0];
  return tf.tidy(() => tf.grad((xi: tf.Tensor) => tf.mul(crossEntropy(vitForward(params, xi as tf.Tensor3D, { impl }).logits, y), b) as tf.Scalar)(x) as tf.Tensor3D);
}

/** PGD-`steps` adversarial examples for a batch; the caller disposes the result. */
export function pgd(params: VitParams, x: tf.Tensor3D, y: tf.Tensor1D, o: PgdOptions, random: () => number): tf.Tensor3D {
  const mask = patchMask(x.shape[1]);
  let adv: tf.Tensor3D = o.randomStart
    ? tf.tidy(() => project(tf.add(x, tf.mul(uniformBall(x.shape, o.eps, random), mask)) as tf.Tensor3D, x, o.eps, mask))
    : x.clone();
  for (let s = 0; s < o.steps; s++) {
    const next = tf.tidy(() => {
      const g = inputGradient(params, adv, y, o.impl);
      return project(tf.add(adv, tf.mul(tf.sign(g), o.stepSize)) as tf.Tensor3D, x, o.eps, mask);
    });
    adv.dispose();
    adv = next;
  }
  mask.dispose();
  return adv;
}

/**
 * Fast adversarial training's example (Wong et al. 2020): δ ~ U(−ε, ε), one signed-gradient step of size
 * `alpha` (1.25ε in the paper), projected to the ball and the pixel range. Caller disposes.
 */
export function fgsmRandomStart(params: VitParams, x: tf.Tensor3D, y: tf.Tensor1D, eps: number, alpha: number, random: () => number, impl?: AttentionImpl): tf.Tensor3D {
  return pgd(params, x, y, { eps, stepSize: alpha, steps: 1, randomStart: true, impl }, random);
}
