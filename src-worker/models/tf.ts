/**
 * TensorFlow.js core for the science code. `@tensorflow/tfjs-core` alone registers no gradient functions (the
 * `@tensorflow/tfjs` umbrella does that), so anything that trains imports tf from here, never from the package.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * from '@tensorflow/tfjs-core';
