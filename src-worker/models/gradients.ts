/**
 * Gradients. `@tensorflow/tfjs-core`'s Node build (dist/tf-core.node.js) ships no gradient configs: the
 * umbrella `@tensorflow/tfjs` registers them, and its per-file ESM sources cannot be loaded by Node (they use
 * extensionless and directory imports). So the gradients of the kernels this project differentiates through
 * are registered here, ported from tfjs-core 4.22 `src/gradients/*_grad.ts`, with two deliberate changes
 * for speed on wasm: BatchMatMul's backward uses explicit `transpose` + a flag-free matMul (XNNPACK's fast
 * path), and Tile's backward is one reshape + sum instead of a Slice/Add per tile.
 * A kernel that already has a gradient (e.g. registered by a native backend package) is left alone.
 */
import * as tf from '@tensorflow/tfjs-core';

type Saved = tf.Tensor[];
type Attrs = tf.NamedAttrMap;
type GradMap = Record<string, () => tf.Tensor>;

function unbroadcast(grad: tf.Tensor, shape: number[], outShape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, outShape);
  return tf.reshape(axes.length > 0 ? tf.sum(grad, axes) : grad, shape);
}

/** Transpose of the last two axes (rank ≥ 2). */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = x.rank;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

function expandReduced(t: tf.Tensor, xShape: number[], axes: number[]): tf.Tensor {
  return t.rank < xShape.length ? tf.reshape(t, tf.backend_util.expandShapeToKeepDim(t.shape, axes)) : t;
}

function minMaxGrad(dy: tf.Tensor, y: tf.Tensor, x: tf.Tensor, axes: number[]): GradMap {
  const yk = expandReduced(y, x.shape, axes);
  const dyk = expandReduced(dy, x.shape, axes);
  return { x: () => tf.mul(dyk, tf.cast(tf.equal(x, yk), dy.dtype)) };
}

type Partial2 = (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

function binary(kernelName: string, da: Partial2, db: Partial2): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as Saved;
      const out = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const g = dy as tf.Tensor;
      return { a: () => unbroadcast(da(g, a, b), a.shape, out), b: () => unbroadcast(db(g, a, b), b.shape, out) };
    },
  };
}

function unaryX(kernelName: string, fn: (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor): tf.GradConfig {
  return { kernelName, inputsToSave: ['x'], gradFunc: (dy, saved) => ({ x: () => fn(dy as tf.Tensor, (saved as Saved)[0]) }) };
}

function unaryY(kernelName: string, fn: (dy: tf.Tensor, y: tf.Tensor) => tf.Tensor): tf.GradConfig {
  return { kernelName, outputsToSave: [true], gradFunc: (dy, saved) => ({ x: () => fn(dy as tf.Tensor, (saved as Saved)[0]) }) };
}

function reduceExpand(kernelName: string, axisAttr: string, divide: boolean): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [x] = saved as Saved;
      const axes = tf.util.parseAxisParam(attrs[axisAttr] as number | number[], x.shape);
      const shape = x.shape.slice();
      for (const a of axes) shape[a] = 1;
      const size = axes.reduce((s, a) => s * x.shape[a], 1);
      return {
        x: () => {
          const g = tf.mul(tf.reshape(dy as tf.Tensor, shape), tf.ones(x.shape, 'float32'));
          return divide ? tf.div(g, size) : g;
        },
      };
    },
  };
}

const gradientConfigs: tf.GradConfig[] = [
  binary(tf.Add, (dy) => dy, (dy) => dy),
  binary(tf.Sub, (dy) => dy, (dy) => tf.neg(dy)),
  binary(tf.Multiply, (dy, _a, b) => tf.mul(dy, tf.cast(b, 'float32')), (dy, a) => tf.mul(dy, tf.cast(a, 'float32'))),
  binary(tf.RealDiv, (dy, _a, b) => tf.div(dy, b), (dy, a, b) => tf.neg(tf.div(tf.mul(dy, a), tf.square(b)))),
  binary(tf.Maximum, (dy, a, b) => tf.mul(dy, tf.cast(tf.greaterEqual(a, b), 'float32')), (dy, a, b) => tf.mul(dy, tf.cast(tf.less(a, b), 'float32'))),
  binary(tf.Minimum, (dy, a, b) => tf.mul(dy, tf.cast(tf.lessEqual(a, b), 'float32')), (dy, a, b) => tf.mul(dy, tf.cast(tf.greater(a, b), 'float32'))),
  binary(tf.SquaredDifference, (dy, a, b) => tf.mul(dy, tf.mul(2, tf.sub(a, b))), (dy, a, b) => tf.mul(dy, tf.mul(2, tf.sub(b, a)))),
  binary(
    tf.Pow,
    (dy, a, b) => tf.mul(dy, tf.mul(tf.cast(b, 'float32'), tf.pow(a, tf.sub(tf.cast(b, 'float32'), 1)))),
    (dy, a, b) => tf.mul(dy, tf.mul(tf.pow(a, b), tf.where(tf.greater(a, 0), tf.log(a), tf.zerosLike(a)))),
  ),
  {
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [a, b] = saved as Saved;
      const g = dy as tf.Tensor;
      const tA = Boolean(attrs.transposeA);
      const tB = Boolean(attrs.transposeB);
      // y = op(a)·op(b); every product below is flag-free (see the section comment).
      if (!tA && !tB) return { a: () => tf.matMul(g, swapLast(b)), b: () => tf.matMul(swapLast(a), g) };
      if (!tA && tB) return { a: () => tf.matMul(g, b), b: () => tf.matMul(swapLast(g), a) };
      if (tA && !tB) return { a: () => tf.matMul(b, swapLast(g)), b: () => tf.matMul(a, g) };
      return { a: () => tf.matMul(swapLast(b), swapLast(g)), b: () => tf.matMul(swapLast(g), swapLast(a)) };
    },
  },
  unaryX(tf.Abs, (dy, x) => tf.mul(dy, tf.step(tf.cast(x, 'float32'), -1))),
  unaryY(tf.Exp, (dy, y) => tf.mul(dy, y)),
  unaryX(tf.Expm1, (dy, x) => tf.mul(dy, tf.exp(x))),
  unaryX(tf.Log, (dy, x) => tf.div(dy, tf.cast(x, 'float32'))),
  unaryX(tf.Log1p, (dy, x) => tf.div(dy, tf.add(x, 1))),
  unaryX(tf.Square, (dy, x) => tf.mul(dy, tf.mul(tf.cast(x, 'float32'), 2))),
  unaryX(tf.Sqrt, (dy, x) => tf.div(dy, tf.mul(tf.sqrt(tf.cast(x, 'float32')), 2))),
  unaryX(tf.Rsqrt, (dy, x) => tf.neg(tf.div(dy, tf.mul(tf.pow(x, 1.5), 2)))),
  unaryX(tf.Reciprocal, (dy, x) => tf.div(dy, tf.neg(tf.square(x)))),
  unaryY(tf.Sigmoid, (dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y)))),
  unaryX(tf.Softplus, (dy, x) => tf.mul(dy, tf.sigmoid(x))),
  unaryY(tf.Tanh, (dy, y) => tf.mul(dy, tf.sub(1, tf.square(y)))),
  unaryX(tf.Relu, (dy, x) => tf.mul(dy, tf.cast(tf.step(x), 'float32'))),
  unaryX(tf.Relu6, (dy, x) => tf.mul(dy, tf.cast(tf.logicalAnd(tf.greater(x, 0), tf.lessEqual(x, 6)), 'float32'))),
  {
    kernelName: tf.LeakyRelu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [x] = saved as Saved;
      const g = dy as tf.Tensor;
      return { x: () => tf.where(tf.greater(x, 0), g, tf.mul(g, attrs.alpha as number)) };
    },
  },
  { kernelName: tf.Neg, gradFunc: (dy) => ({ x: () => tf.neg(dy as tf.Tensor) }) },
  { kernelName: tf.Cast, gradFunc: (dy) => ({ x: () => (dy as tf.Tensor).clone() }) },
  { kernelName: tf.Identity, gradFunc: (dy) => ({ x: () => tf.cast(dy as tf.Tensor, 'float32') }) },
  { kernelName: tf.Step, gradFunc: (dy) => ({ x: () => tf.zerosLike(dy as tf.Tensor) }) },
  { kernelName: tf.ZerosLike, gradFunc: (dy) => ({ x: () => tf.zerosLike(dy as tf.Tensor) }) },
  { kernelName: tf.OnesLike, gradFunc: (dy) => ({ x: () => tf.zerosLike(dy as tf.Tensor) }) },
  {
    kernelName: tf.AddN,
    saveAllInputs: true,
    gradFunc: (dy, saved) => Object.fromEntries((saved as Saved).map((_, i) => [i, () => (dy as tf.Tensor).clone()])),
  },
  {
    kernelName: tf.ClipByValue,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [x] = saved as Saved;
      const g = dy as tf.Tensor;
      const inside = tf.logicalAnd(tf.greaterEqual(x, attrs.clipValueMin as number), tf.lessEqual(x, attrs.clipValueMax as number));
      return { x: () => tf.where(inside, g, tf.zerosLike(g)) };
    },
  },
  {
    kernelName: tf.Select,
    inputsToSave: ['condition'],
    gradFunc: (dy, saved) => {
      const [c] = saved as Saved;
      const g = dy as tf.Tensor;
      return {
        condition: () => tf.cast(tf.zerosLike(c), 'float32'),
        t: () => tf.mul(g, tf.cast(c, g.dtype)),
        e: () => tf.mul(g, tf.cast(tf.logicalNot(c), g.dtype)),
      };
    },
  },
  reduceExpand(tf.Sum, 'axis', false),
  reduceExpand(tf.Mean, 'axis', true),
  {
    kernelName: tf.Max,
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [x, y] = saved as Saved;
      return minMaxGrad(dy as tf.Tensor, y, x, tf.util.parseAxisParam(attrs.reductionIndices as number | number[], x.shape));
    },
  },
  {
    kernelName: tf.Min,
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [x, y] = saved as Saved;
      return minMaxGrad(dy as tf.Tensor, y, x, tf.util.parseAxisParam(attrs.axis as number | number[], x.shape));
    },
  },
  {
    kernelName: tf.Softmax,
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [y] = saved as Saved;
      const dyy = tf.mul(dy as tf.Tensor, y);
      return { logits: () => tf.sub(dyy, tf.mul(tf.sum(dyy, [attrs.dim as number], true), y)) };
    },
  },
  { kernelName: tf.Reshape, inputsToSave: ['x'], gradFunc: (dy, saved) => ({ x: () => tf.reshape(dy as tf.Tensor, (saved as Saved)[0].shape) }) },
  {
    kernelName: tf.ExpandDims,
    inputsToSave: ['input'],
    gradFunc: (dy, saved) => ({ input: () => tf.reshape(dy as tf.Tensor, (saved as Saved)[0].shape) }),
  },
  {
    kernelName: tf.Transpose,
    gradFunc: (dy, _saved, attrs: Attrs) => ({
      x: () => tf.transpose(dy as tf.Tensor, tf.backend_util.getUndoAxesPermutation(attrs.perm as number[])),
    }),
  },
  {
    kernelName: tf.Concat,
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs: Attrs) => {
      const inputs = saved as Saved;
      const axis = tf.util.parseAxisParam(attrs.axis as number, inputs[0].shape)[0];
      const parts = tf.split(dy as tf.Tensor, inputs.map((t) => t.shape[axis]), axis);
      return Object.fromEntries(parts.map((t, i) => [i, () => t]));
    },
  },
  {
    kernelName: tf.Pack,
    saveAllInputs: true,
    gradFunc: (dy, _saved, attrs: Attrs) =>
      Object.fromEntries(tf.unstack(dy as tf.Tensor, attrs.axis as number).map((t, i) => [i, () => t])),
  },
  { kernelName: tf.Unpack, gradFunc: (dy, _saved, attrs: Attrs) => ({ value: () => tf.stack(dy as tf.Tensor[], attrs.axis as number) }) },
  { kernelName: tf.SplitV, gradFunc: (dy, _saved, attrs: Attrs) => ({ x: () => tf.concat(dy as tf.Tensor[], attrs.axis as number) }) },
  {
    kernelName: tf.Slice,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [x] = saved as Saved;
      const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number | number[], attrs.size as number | number[]);
      const paddings = x.shape.map((s, i) => [begin[i], s - begin[i] - size[i]] as [number, number]);
      return { x: () => tf.pad(dy as tf.Tensor, paddings) };
    },
  },
  {
    kernelName: tf.PadV2,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [x] = saved as Saved;
      const begin = (attrs.paddings as Array<[number, number]>).map((p) => p[0]);
      return { x: () => tf.slice(dy as tf.Tensor, begin, x.shape) };
    },
  },
  {
    kernelName: tf.Tile,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [x] = saved as Saved;
      const reps = attrs.reps as number[];
      // dy has shape [r0·s0, r1·s1, …]; view it as [r0, s0, r1, s1, …] and sum the rep axes.
      const interleaved = x.shape.flatMap((s, i) => [reps[i], s]);
      const repAxes = x.shape.map((_, i) => 2 * i);
      return { x: () => tf.reshape(tf.sum(tf.reshape(dy as tf.Tensor, interleaved), repAxes), x.shape) };
    },
  },
  {
    kernelName: tf.BroadcastTo,
    gradFunc: (dy, _saved, attrs: Attrs) => {
      const inShape = attrs.inputShape as number[];
      const outShape = attrs.shape as number[];
      const offset = outShape.length - inShape.length;
      const axes: number[] = [];
      for (let i = 0; i < outShape.length; i++) if (i < offset || (inShape[i - offset] === 1 && outShape[i] > 1)) axes.push(i);
      return { x: () => tf.reshape(axes.length > 0 ? tf.sum(dy as tf.Tensor, axes) : (dy as tf.Tensor), inShape) };
    },
  },
  {
    kernelName: tf.Cumsum,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [x] = saved as Saved;
      const axis = attrs.axis as number;
      return {
        x: () => {
          const perm = tf.backend_util.getAxesPermutation([axis], x.rank);
          const out = tf.cumsum(dy as tf.Tensor, axis, attrs.exclusive as boolean, !(attrs.reverse as boolean));
          return perm != null ? tf.transpose(out, perm) : out;
        },
      };
    },
  },
  {
    kernelName: tf.GatherV2,
    inputsToSave: ['x', 'indices'],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const [x, indices] = saved as Saved;
      if ((attrs.batchDims as number | undefined) ?? 0) throw new Error('GatherV2 gradient: batchDims > 0 is not supported');
      const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
      return {
        x: () => {
          const outer = x.shape.slice(0, axis);
          const inner = x.shape.slice(axis + 1);
          const values = tf.reshape(dy as tf.Tensor, [...outer, indices.size, ...inner]);
          const perm = [outer.length, ...outer.map((_, i) => i), ...inner.map((_, i) => outer.length + 1 + i)];
          // scatterND (which adds duplicate indices) instead of unsortedSegmentSum: the wasm backend has no
          // UnsortedSegmentSum kernel.
          const moved = tf.transpose(values, perm);
          const summed = tf.scatterND(tf.reshape(tf.cast(indices, 'int32'), [indices.size, 1]), moved, [x.shape[axis], ...moved.shape.slice(1)]);
          return tf.transpose(summed, tf.backend_util.getUndoAxesPermutation(perm));
        },
        indices: () => indices,
      };
    },
  },
];

let gradientsRegistered = false;

/**
 * Register the gradients of the kernels listed above (idempotent; see the section comment). Called by
 * `initBackend`; call it directly in code that differentiates without choosing a backend first.
 */
export function registerCoreGradients(): void {
  if (gradientsRegistered) return;
  for (const config of gradientConfigs) {
    if (tf.getGradient(config.kernelName) == null) tf.registerGradient(config);
  }
  gradientsRegistered = true;
}
