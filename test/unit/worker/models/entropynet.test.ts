// The cpu backend first: it loads @tensorflow/tfjs-core's main build before models/tf (see the report on tf.ts).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '../../../../src-worker/models/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { EntropyNet, entropyNetParamCount } from '../../../../src-worker/models/entropynet';
import { chamferDistance, hDiffBatch, hRectBatch, hSoftBatch, hullPreservingLoss, hullTargets } from '../../../../src-worker/models/losses';
import { AdamW } from '../../../../src-worker/models/optim';
import { decodeCheckpoint, encodeCheckpoint } from '../../../../src-worker/models/checkpoint';
import { hDiff, hRect, hRectDirect, hSoft, rectParamsFromCuts, rectParamsTensors } from '../../../../src-worker/entropy/surrogates';
import { EntropyNetTrainer, type TrainerOptions } from '../../../../src-worker/experiments/entropynet-train/trainer';
import { convexHull } from '../../../../src-worker/geometry/hull/index';
import { loadEntropyNet, moveWithEntropyNet } from '../../../../src-worker/models/entropynet-preprocessor';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function uniform(count: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 4294967296;
  }
  return out;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
}

const TRAINER: TrainerOptions = {
  model: { seed: 7 },
  optimizer: { lr: 1e-3 },
  gradClip: 1,
  taskLoss: 'chamfer',
  hullOutsideWeight: 1,
  surrogate: 'hDiff',
};

describe('EntropyNet shapes and parameters', () => {
  it('maps [B, N, 2] to [B, N, 2] in both modes and counts the paper network’s 108,610 parameters', () => {
    const net = new EntropyNet({ seed: 1 });
    const x = tf.tensor3d(uniform(3 * 50 * 2, 1), [3, 50, 2]);
    expect(net.forward(x).shape).toEqual([3, 50, 2]);
    expect(net.forward(x, { training: true }).shape).toEqual([3, 50, 2]);
    expect(entropyNetParamCount()).toBe(108_610);
    expect(net.countParams()).toBe(108_610);
    expect(entropyNetParamCount({ d: 3 })).toBe(108_610 + 64 + 128 + 1);
    net.dispose();
  });

  it('moves every coordinate by at most σ (tanh bound), whatever the input and the weights', () => {
    const net = new EntropyNet({ seed: 2, sigma: 0.1 });
    // Large weights saturate tanh: the bound must still hold.
    for (const v of net.variables.values()) if (v.trainable && v.rank === 2) v.assign(tf.mul(v, 50));
    for (const scale of [1, 1e3, -1e-3]) {
      const data = uniform(2 * 64 * 2, 3).map((u) => (u - 0.5) * scale);
      const x = tf.tensor3d(data, [2, 64, 2]);
      for (const training of [false, true]) {
        const moved = net.forward(x, { training }).dataSync();
        for (let i = 0; i < data.length; i++) {
          // float32 rounding of S + δ adds at most one ulp of |S′|.
          const ulp = Math.abs(moved[i]) * 2 ** -23;
          expect(Math.abs(moved[i] - data[i])).toBeLessThanOrEqual(0.1 * (1 + 1e-6) + ulp);
        }
      }
    }
    net.dispose();
  });

  it('batch-norm custom gradient matches autograd of the plain formula', () => {
    const net = new EntropyNet({ seed: 3, dropout: 0 });
    const x = tf.tensor3d(uniform(2 * 16 * 2, 4), [2, 16, 2]);
    const vars = [...net.trainableVariables().values()];
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(net.forward(x, { training: true }))) as tf.Scalar, vars);
    // Plain-ops reference of the same network (batch statistics), built from the same variables.
    const v = net.variables;
    const get = (name: string): tf.Tensor => v.get(name) as tf.Tensor;
    const bnRelu = (h: tf.Tensor, name: string): tf.Tensor => {
      const { mean, variance } = tf.moments(h, 0, true);
      return tf.relu(tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))), get(`${name}/bn/gamma`)), get(`${name}/bn/beta`)));
    };
    const reference = (): tf.Scalar => {
      let h: tf.Tensor = tf.reshape(x, [32, 2]);
      for (const name of ['point1', 'point2', 'point3']) h = bnRelu(tf.add(tf.matMul(h as tf.Tensor2D, get(`${name}/w`) as tf.Tensor2D), get(`${name}/b`)), name);
      const g = tf.max(tf.reshape(h, [2, 16, 256]), 1);
      const hp = tf.reshape(tf.add(tf.matMul(h as tf.Tensor2D, get('head1/w_point') as tf.Tensor2D), get('head1/b')), [2, 16, 128]);
      const hg = tf.reshape(tf.matMul(g as tf.Tensor2D, get('head1/w_global') as tf.Tensor2D), [2, 1, 128]);
      const h1 = bnRelu(tf.reshape(tf.add(hp, hg), [32, 128]), 'head1');
      const out = tf.add(tf.matMul(h1 as tf.Tensor2D, get('head2/w') as tf.Tensor2D), get('head2/b'));
      return tf.sum(tf.square(tf.add(tf.reshape(x, [32, 2]), tf.mul(tf.tanh(out), 0.1)))) as tf.Scalar;
    };
    const ref = tf.variableGrads(reference, vars);
    for (const [name, g] of Object.entries(grads)) close(g.dataSync(), ref.grads[name].dataSync(), 2e-3);
    net.dispose();
  });

  it('inference in chunks equals the single-batch forward', () => {
    const net = new EntropyNet({ seed: 4 });
    // Give the running statistics non-trivial values.
    net.forward(tf.tensor3d(uniform(4 * 100 * 2, 5), [4, 100, 2]), { training: true });
    const pts = uniform(1000 * 2, 6);
    const whole = net.forward(tf.tensor3d(pts, [1, 1000, 2])).dataSync();
    close(net.predict(pts, 1000), whole, 1e-5);
    close(net.predict(pts, 128), whole, 1e-5);
    close(net.predict(pts, 128, 0), whole, 1e-5);
    net.dispose();
  });
});

describe('losses', () => {
  it('Chamfer distance equals a direct evaluation, and its gradient the autograd gradient of the min formula', () => {
    const a = tf.tensor3d(uniform(2 * 9 * 2, 7), [2, 9, 2]);
    const b = tf.tensor3d(uniform(2 * 7 * 2, 8), [2, 7, 2]);
    const A = a.arraySync();
    const B = b.arraySync();
    let direct = 0;
    for (let s = 0; s < 2; s++) {
      const d2 = (p: number[], q: number[]): number => (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;
      direct += A[s].reduce((acc, p) => acc + Math.min(...B[s].map((q) => d2(p, q))), 0) / 9;
      direct += B[s].reduce((acc, q) => acc + Math.min(...A[s].map((p) => d2(p, q))), 0) / 7;
    }
    expect(chamferDistance(a, b).dataSync()[0]).toBeCloseTo(direct / 2, 5);
    const minFormula = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => {
      const d = tf.sum(tf.square(tf.sub(tf.expandDims(x, 2), tf.expandDims(y, 1))), 3);
      return tf.add(tf.mean(tf.min(d, 2)), tf.mean(tf.min(d, 1))) as tf.Scalar;
    };
    const g1 = tf.grads((x: tf.Tensor, y: tf.Tensor) => chamferDistance(x as tf.Tensor3D, y as tf.Tensor3D))([a, b]);
    const g2 = tf.grads(minFormula)([a, b]);
    close(g1[0].dataSync(), g2[0].dataSync(), 1e-4);
    close(g1[1].dataSync(), g2[1].dataSync(), 1e-4);
  });

  it('hDiffBatch and hSoftBatch equal hDiff and hSoft of each set, values and gradients', () => {
    const pts = tf.tensor3d(uniform(3 * 40 * 2, 9), [3, 40, 2]);
    const anchors = tf.tensor2d(uniform(5 * 2, 10), [5, 2]);
    const sets = tf.unstack(pts) as tf.Tensor2D[];
    close(hDiffBatch(pts, anchors, 10).dataSync(), sets.map((s) => hDiff(s, anchors, 10).dataSync()[0]), 1e-5);
    const w = tf.tensor2d([1, 0, 0.6, 0.8, -0.3, 1], [3, 2]);
    const bb = tf.tensor1d([0.5, 0.7, 0.1]);
    close(hSoftBatch(pts, w, bb, 0.05).dataSync(), sets.map((s) => hSoft(s, w, bb, 0.05).dataSync()[0]), 1e-5);
    const gBatch = tf.grads((p: tf.Tensor, c: tf.Tensor) => tf.sum(hDiffBatch(p as tf.Tensor3D, c as tf.Tensor2D, 10)))([pts, anchors]);
    const gLoop = tf.grads((p: tf.Tensor, c: tf.Tensor) =>
      tf.addN((tf.unstack(p) as tf.Tensor2D[]).map((s) => hDiff(s, c as tf.Tensor2D, 10))),
    )([pts, anchors]);
    close(gBatch[0].dataSync(), gLoop[0].dataSync(), 1e-4);
    close(gBatch[1].dataSync(), gLoop[1].dataSync(), 1e-4);
    // H_soft's gradient as training takes it: its inner tidy disposes u before backprop reaches log σ(u).
    const gSoft = tf.grads((p: tf.Tensor) => tf.sum(hSoftBatch(p as tf.Tensor3D, w, bb, 0.05)))([pts]);
    const gSoftLoop = tf.grads((p: tf.Tensor) => tf.addN((tf.unstack(p) as tf.Tensor2D[]).map((s) => hSoft(s, w, bb, 0.05))))([pts]);
    close(gSoft[0].dataSync(), gSoftLoop[0].dataSync(), 1e-4);
  });

  it('hRectBatch equals hRect of each set and the Float64 App. H.4 formula, values and gradients', () => {
    const data = uniform(3 * 40 * 2, 21);
    const pts = tf.tensor3d(data, [3, 40, 2]);
    const sets = tf.unstack(pts) as tf.Tensor2D[];
    for (const [cuts, r] of [[[0.2, 0.5, 0.8, 0.3, 0.45, 0.7], 3], [[0.4, 0.6], 1]] as const) {
      const params64 = rectParamsFromCuts(cuts, 2, r);
      const rect = rectParamsTensors(params64);
      const batch = hRectBatch(pts, rect.start, rect.gaps, 0.05).dataSync();
      close(batch, sets.map((s) => hRect(s, rect, 0.05).dataSync()[0]), 1e-5);
      // The oracle runs on the float32 points the tensors hold.
      close(batch, [0, 1, 2].map((b) => hRectDirect(Float64Array.from(data.subarray(b * 80, (b + 1) * 80)), params64, 0.05)), 1e-4);
      expect(Math.min(...batch)).toBeGreaterThan(0.5);
      const vars = rect.gaps ? [pts, rect.start, rect.gaps] : [pts, rect.start];
      const f = (...a: tf.Tensor[]): tf.Scalar => tf.sum(hRectBatch(a[0] as tf.Tensor3D, a[1] as tf.Tensor2D, (a[2] as tf.Tensor2D | undefined) ?? null, 0.05)) as tf.Scalar;
      const loop = (...a: tf.Tensor[]): tf.Scalar =>
        tf.addN((tf.unstack(a[0]) as tf.Tensor2D[]).map((s) => hRect(s, { start: a[1] as tf.Tensor2D, gaps: (a[2] as tf.Tensor2D | undefined) ?? null }, 0.05))) as tf.Scalar;
      const g = tf.grads(f)(vars);
      const gLoop = tf.grads(loop)(vars);
      g.forEach((t, i) => {
        expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
        close(t.dataSync(), gLoop[i].dataSync(), 1e-4);
      });
    }
    expect(() => hRectBatch(pts, tf.zeros([3, 1]) as tf.Tensor2D, null, 0.05)).toThrow(RangeError);
  });

  it('hull-preserving loss: zero without motion, weighted displacement, penalty outside the hull', () => {
    const square = Float64Array.from([0, 0, 1, 0, 1, 1, 0, 1, 0.5, 0.5]);
    const t = hullTargets([square], (p) => convexHull(p, 'monotone'), 10, 1);
    expect(Array.from(t.weights)).toEqual([10, 10, 10, 10, 1]);
    const s = tf.tensor3d(Float32Array.from(square), [1, 5, 2]);
    const w = tf.tensor2d(t.weights, [1, 5]);
    const p = tf.tensor3d(t.planes, [1, t.edges, 3]);
    expect(hullPreservingLoss(s, s, w, p).dataSync()[0]).toBeCloseTo(0, 7);
    // Move the interior point by 0.1 (inside): weighted displacement 1·0.01/41, no outside penalty.
    const inside = tf.tensor3d(Float32Array.from([0, 0, 1, 0, 1, 1, 0, 1, 0.6, 0.5]), [1, 5, 2]);
    expect(hullPreservingLoss(s, inside, w, p).dataSync()[0]).toBeCloseTo(0.01 / 41, 6);
    // Move a corner outward by 0.1 in x: displacement 10·0.01/41 plus outside penalty 0.01/5.
    const outside = tf.tensor3d(Float32Array.from([0, 0, 1.1, 0, 1, 1, 0, 1, 0.5, 0.5]), [1, 5, 2]);
    expect(hullPreservingLoss(s, outside, w, p).dataSync()[0]).toBeCloseTo(0.1 / 41 + 0.01 / 5, 6);
  });
});

describe('optimizer', () => {
  it('AdamW follows the decoupled update, clipping scales by the global norm', () => {
    const theta = tf.variable(tf.tensor1d([1, -2]), true, 'adamw-test/theta');
    const opt = new AdamW(new Map([['theta', theta]]), { lr: 0.1, weightDecay: 0.01 });
    const g = tf.tensor1d([0.5, 0.25]);
    opt.apply(new Map([['theta', g]]));
    // Step 1: m̂ = g, v̂ = g², update = g/(|g| + ε) = sign(g); θ ← θ(1 − lr·wd) − lr·sign(g).
    close(theta.dataSync(), [1 * (1 - 0.001) - 0.1, -2 * (1 - 0.001) - 0.1], 1e-6);
    // Clipped: the global norm of [5, 12] is 13; the step reports it.
    expect(opt.applyClipped(new Map([['theta', tf.tensor1d([5, 12])]]), 1)).toBeCloseTo(13, 5);
    opt.dispose();
    theta.dispose();
  });
});

describe('training', () => {
  const batch = (): tf.Tensor3D => tf.tensor3d(uniform(4 * 64 * 2, 11), [4, 64, 2]);
  const anchors = (): Float64Array => Float64Array.from(uniform(8 * 2, 12));

  it('one training step lowers the loss on a fixed batch', async () => {
    const trainer = new EntropyNetTrainer({ ...TRAINER, model: { seed: 7, dropout: 0 } }, { kind: 'hDiff', anchors: anchors() });
    const x = batch();
    const schedule = { lambda: 0.1, alpha: 10, tau: 0.05 };
    const first = trainer.step(x, schedule);
    const second = trainer.step(x, schedule);
    // step() reports the loss before its update: second.loss is the loss after the first update.
    expect((await second.loss.data())[0]).toBeLessThan((await first.loss.data())[0]);
    trainer.dispose();
  });

  it('does not leak tensors: a step after a warm-up step leaves numTensors unchanged', async () => {
    for (const taskLoss of ['chamfer', 'hull'] as const) {
      const trainer = new EntropyNetTrainer({ ...TRAINER, taskLoss }, { kind: 'hDiff', anchors: anchors() });
      const x = batch();
      const sets = tf.unstack(x).map((t) => Float64Array.from(t.dataSync()));
      const targets = hullTargets(sets, (p) => convexHull(p, 'monotone'));
      const hull = taskLoss === 'hull'
        ? { weights: tf.tensor2d(targets.weights, [4, 64]), planes: tf.tensor3d(targets.planes, [4, targets.edges, 3]) }
        : undefined;
      const once = async (): Promise<void> => {
        const r = trainer.step(x, { lambda: 0.1, alpha: 10, tau: 0.05 }, hull);
        await r.loss.data();
        tf.dispose([r.loss, r.task, r.gradNorm, ...(r.entropy ? [r.entropy] : [])]);
      };
      await once();
      const before = tf.memory().numTensors;
      await once();
      expect(tf.memory().numTensors).toBe(before);
      trainer.dispose();
    }
  });

  it('hRect regulariser: a step moves the cuts by finite gradients, does not leak tensors, and round-trips a checkpoint', async () => {
    const params = rectParamsFromCuts([0.25, 0.5, 0.75, 0.25, 0.5, 0.75], 2, 3);
    const trainer = new EntropyNetTrainer({ ...TRAINER, surrogate: 'hRect' }, { kind: 'hRect', start: params.start, gaps: params.gaps });
    expect([...trainer.surrogateVars.keys()]).toEqual(['rect_start', 'rect_gaps']);
    const before = await trainer.surrogateSnapshot();
    const x = batch();
    const once = async (): Promise<void> => {
      const r = trainer.step(x, { lambda: 0.1, alpha: 10, tau: 0.05 });
      const [loss, entropy, norm] = await Promise.all([r.loss.data(), (r.entropy as tf.Scalar).data(), r.gradNorm.data()]);
      expect(Number.isFinite(loss[0]) && Number.isFinite(norm[0]) && norm[0] > 0).toBe(true);
      expect(entropy[0]).toBeGreaterThan(0);
      expect(entropy[0]).toBeLessThanOrEqual(Math.log(16) + 1e-5);
      tf.dispose([r.loss, r.task, r.gradNorm, ...(r.entropy ? [r.entropy] : [])]);
    };
    await once();
    const count = tf.memory().numTensors;
    await once();
    expect(tf.memory().numTensors).toBe(count);
    const after = await trainer.surrogateSnapshot();
    const start0 = (before.get('rect_start') as { data: Float32Array }).data;
    const start1 = (after.get('rect_start') as { data: Float32Array }).data;
    expect(Array.from(start1).every(Number.isFinite)).toBe(true);
    expect(Array.from(start1)).not.toEqual(Array.from(start0));
    const c = decodeCheckpoint(encodeCheckpoint(await trainer.checkpoint('weights')));
    expect(c.regularizerKind).toBe('hRect');
    const copy = new EntropyNetTrainer({ ...TRAINER, surrogate: 'hRect' }, { kind: 'hRect', start: params.start, gaps: params.gaps });
    copy.restore(c);
    close((await copy.surrogateSnapshot()).get('rect_gaps')!.data, after.get('rect_gaps')!.data, 0);
    copy.dispose();
    trainer.dispose();
  });

  it('checkpoint save → load gives identical outputs, optimizer state and surrogate parameters', async () => {
    const trainer = new EntropyNetTrainer(TRAINER, { kind: 'hDiff', anchors: anchors() });
    const x = batch();
    for (let i = 0; i < 2; i++) {
      const r = trainer.step(x, { lambda: 0.1, alpha: 10, tau: 0.05 });
      await r.loss.data();
      tf.dispose([r.loss, r.task, r.gradNorm, ...(r.entropy ? [r.entropy] : [])]);
    }
    const bytes = encodeCheckpoint(await trainer.checkpoint('checkpoint', { epoch: 3, globalStep: 2 }, { note: 'test' }));
    const decoded = decodeCheckpoint(bytes);
    expect(decoded.training?.epoch).toBe(3);
    expect(decoded.optimizer?.state.step).toBe(2);
    const other = new EntropyNetTrainer(TRAINER, { kind: 'hDiff', anchors: anchors().map((v) => v + 1) });
    for (const v of other.model.variables.values()) v.assign(tf.add(v, 0.5));
    other.restore(decoded);
    expect(Array.from(other.model.forward(x).dataSync())).toEqual(Array.from(trainer.model.forward(x).dataSync()));
    expect(Array.from((other.surrogateVars.get('anchors') as tf.Variable).dataSync())).toEqual(
      Array.from((trainer.surrogateVars.get('anchors') as tf.Variable).dataSync()),
    );
    const [a, b] = [await trainer.optimizer.getState(), await other.optimizer.getState()];
    for (const [name, t] of a.m) expect(Array.from((b.m.get(name) as { data: Float32Array }).data)).toEqual(Array.from(t.data));
    // The same steps from both give the same weights (optimizer moments and dropout counter restored).
    const s1 = trainer.step(x, { lambda: 0.1, alpha: 10, tau: 0.05 });
    const s2 = other.step(x, { lambda: 0.1, alpha: 10, tau: 0.05 });
    expect((await s1.loss.data())[0]).toBe((await s2.loss.data())[0]);
    expect(Array.from(other.model.forward(x).dataSync())).toEqual(Array.from(trainer.model.forward(x).dataSync()));

    // The weights-only bundle drives the preprocessor with the same outputs.
    const weights = encodeCheckpoint(await trainer.checkpoint('weights'));
    expect(decodeCheckpoint(weights).optimizer).toBeUndefined();
    const net = loadEntropyNet(weights);
    const pts = Float64Array.from(uniform(300 * 2, 13));
    const viaNet = moveWithEntropyNet(net, pts, { normalize: false });
    const direct = trainer.model.forward(tf.tensor3d(Float32Array.from(pts), [1, 300, 2])).dataSync();
    close(viaNet, direct, 1e-6);
    net.dispose();
    trainer.dispose();
    other.dispose();
  });

  it('rejects corrupt checkpoint bytes and a checkpoint of another network', async () => {
    expect(() => decodeCheckpoint(new Uint8Array(20))).toThrow(/magic/);
    const a = new EntropyNetTrainer(TRAINER, { kind: 'hDiff', anchors: anchors() });
    const b = new EntropyNetTrainer({ ...TRAINER, model: { seed: 7, sigma: 0.2 } }, { kind: 'hDiff', anchors: anchors() });
    const c = decodeCheckpoint(encodeCheckpoint(await a.checkpoint('weights')));
    expect(() => b.restore(c)).toThrow(/sigma/);
    a.dispose();
    b.dispose();
  });
});
