/**
 * The image sets of one attention-train run, and batches of them as ViT inputs. All sets come from
 * `dataSeed` (fixed across model seeds): train / val / test share the training texture bias; with a
 * shortcut (textureBias > 0) two OOD test sets follow: textures independent of the label ('ood-random'),
 * and never the class's home texture ('ood-avoid').
 *
 * Shortcut checks (`shortcut`): the test images redrawn three ways. 'background-only' leaves the object out
 * (a model that learned shape is at chance there; above chance means the background carries the label);
 * 'flat-background' draws the texture at contrast 0 (shape and distractors on a plain colour);
 * 'texture-swapped' gives each test object the background of another image. A shape model keeps its clean
 * accuracy on the last two.
 *
 * With `freshTrainImages` the training set is redrawn every epoch (`trainEpoch`): epoch 0 is `train`, epoch
 * e > 0 a new set of the same size and distribution, the same for every model of the run.
 */
import * as tf from '../../models/tf';
import { patchify, TINY_VIT, type VitShape } from '../../models/vit';
import { hash2, generateShapes, type ImageSet, type ShapesOptions } from '../../vision/shapes';
import type { AttentionTrainConfig } from './config';

export interface Split {
  set: ImageSet;
  /** patchify(set): [count, N, P²C]. */
  patches: Float32Array;
}

export interface RunData {
  shape: VitShape;
  train: Split;
  val: Split;
  test: Split;
  ood: Record<string, Split>;
  shortcut: Record<ShortcutCheck, Split>;
}

export const SHORTCUT_CHECKS = ['background-only', 'flat-background', 'texture-swapped'] as const;
export type ShortcutCheck = (typeof SHORTCUT_CHECKS)[number];

function split(set: ImageSet, shape: VitShape): Split {
  return { set, patches: patchify(set.images, set.count, shape) };
}

function shapesOptions(config: AttentionTrainConfig, shape: VitShape): Omit<ShapesOptions, 'count' | 'seed'> {
  return {
    classes: config.classes,
    distractors: config.distractors,
    textureContrast: config.textureContrast,
    objectTone: config.objectTone,
    size: shape.image,
    textureBias: config.textureBias,
    radius: [config.objectRadius[0], config.objectRadius[1]],
  };
}

export function buildData(config: AttentionTrainConfig): RunData {
  const shape: VitShape = { ...TINY_VIT, patch: config.patch, layers: config.layers, classes: config.classes };
  const common = shapesOptions(config, shape);
  const make = (stream: number, count: number, textureBias: number, textureRule: 'bias' | 'avoid-home' = 'bias') =>
    split(generateShapes({ ...common, count, seed: hash2(config.dataSeed, stream), textureBias, textureRule }), shape);
  const test = (extra: Partial<ShapesOptions>) => split(generateShapes({ ...common, count: config.testSize, seed: hash2(config.dataSeed, 3), ...extra }), shape);
  const data: RunData = {
    shape,
    train: make(1, config.trainSize, config.textureBias),
    val: make(2, config.valSize, config.textureBias),
    test: test({}),
    ood: {},
    shortcut: {
      'background-only': test({ drawObject: false }),
      'flat-background': test({ textureContrast: 0 }),
      'texture-swapped': test({ backgroundSeed: hash2(config.dataSeed, 6) }),
    },
  };
  if (config.textureBias > 0) {
    data.ood['ood-random'] = make(4, config.testSize, 0);
    data.ood['ood-avoid'] = make(5, config.testSize, 0, 'avoid-home');
  }
  return data;
}

/** The training images of `epoch`: `data.train` for epoch 0 or without `freshTrainImages`, else a new draw. */
export function trainEpoch(data: RunData, config: AttentionTrainConfig, epoch: number): Split {
  if (epoch === 0 || !config.freshTrainImages) return data.train;
  return split(generateShapes({ ...shapesOptions(config, data.shape), count: config.trainSize, seed: hash2(hash2(config.dataSeed, 1), epoch) }), data.shape);
}

/** Rows `indices` of a split as a [B, N, P²C] tensor and int32 labels (callers dispose). */
export function batchTensors(s: Split, indices: ArrayLike<number>, shape: VitShape): { x: tf.Tensor3D; y: tf.Tensor1D } {
  const n = shape.image / shape.patch;
  const tokens = n * n + 1;
  const pd = shape.patch * shape.patch * shape.channels;
  const row = tokens * pd;
  const buf = new Float32Array(indices.length * row);
  const labels = new Int32Array(indices.length);
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j];
    buf.set(s.patches.subarray(i * row, (i + 1) * row), j * row);
    labels[j] = s.set.labels[i];
  }
  return { x: tf.tensor3d(buf, [indices.length, tokens, pd]), y: tf.tensor1d(labels, 'int32') };
}

/** Patches of arbitrary images (e.g. a corrupted copy) as a tensor. */
export function imagesTensor(images: Uint8Array, count: number, shape: VitShape): tf.Tensor3D {
  const tokens = (shape.image / shape.patch) ** 2 + 1;
  return tf.tensor3d(patchify(images, count, shape), [count, tokens, shape.patch * shape.patch * shape.channels]);
}

/** Consecutive index ranges [start, end) of at most `size`. */
export function* chunks(total: number, size: number): Generator<[number, number]> {
  for (let s = 0; s < total; s += size) yield [s, Math.min(total, s + size)];
}

export function range(start: number, end: number): Uint32Array {
  return Uint32Array.from({ length: end - start }, (_, i) => start + i);
}
