/**
 * TensorFlow.js core for the science code. The Node build of `@tensorflow/tfjs-core` registers no gradient
 * functions, and its ESM sources (which do) cannot be loaded by Node, so the gradients this project
 * differentiates through are registered by `backend.ts` (ported from tfjs-core 4.22). Anything that trains
 * imports tf from here, never from the package, so the registration has always happened.
 */
import { registerCoreGradients } from './gradients';

registerCoreGradients();

export * from '@tensorflow/tfjs-core';
