/**
 * TensorFlow.js backend choice for worker processes (DESIGN.md "models/backend.ts"). The gradients every
 * backend needs are registered first (gradients.ts).
 *
 * Order when nothing is forced: `@tensorflow/tfjs-node-gpu` → `@tensorflow/tfjs-node` → wasm → cpu.
 * The two native packages are optional (absent on most machines, and never bundled): they are imported with
 * a computed specifier inside `try`, and only count if they registered the `tensorflow` backend on the same
 * `@tensorflow/tfjs-core` instance this process uses. Forcing a backend that cannot load throws.
 *
 * Under Node the wasm binaries are located next to the package's main file (its `dist/` folder), resolved
 * with `createRequire`, because the default lookup goes through `fetch` semantics that Node does not share
 * with browsers. The result is cached: tfjs has one global backend per process.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerCoreGradients } from './gradients';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** Version of the package that provides the backend. */
  version: string;
  /** Package the backend came from (e.g. `@tensorflow/tfjs-backend-wasm`). */
  package: string;
  /** Worker threads the backend computes with (1 = single-threaded). */
  threads: number;
  /** wasm only: whether the SIMD binary is in use. */
  simd?: boolean;
  /** Backends tried before this one and why they were skipped. */
  skipped: Array<{ name: string; reason: string }>;
}

let cached: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function tryNative(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<BackendInfo> {
  const specifier: string = pkg;
  const mod = (await import(/* @vite-ignore */ specifier)) as { version?: Record<string, string> };
  if (tf.findBackendFactory('tensorflow') == null) {
    throw new Error(`${pkg} loaded but did not register a "tensorflow" backend with this @tensorflow/tfjs-core`);
  }
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg}: tf.setBackend('tensorflow') failed`);
  await tf.ready();
  const version = mod.version?.['tfjs-node'] ?? mod.version?.['tfjs-core'] ?? tf.version_core;
  return { name: 'tensorflow', version, package: pkg, threads: 0, skipped: [] };
}

/**
 * tfjs-wasm's Identity kernel copies its input into a new buffer, and tfjs runs it for every tensor a gradient
 * saves (engine.clone: each saved input or output of a kernel or custom op on the tape), ≈230 copies in a
 * training step of the tiny ViT (≈9 ms of 137 at 65 tokens). Tensors are immutable and the wasm backend
 * counts references per buffer (its Reshape shares its input's buffer the same way), so Identity can share
 * the buffer too, as tfjs's cpu backend does.
 */
function registerSharedIdentity(): void {
  const config: tf.KernelConfig = {
    kernelName: tf.Identity,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') throw new Error('shared Identity: string tensors are not expected here');
      (backend as unknown as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
  if (tf.getKernel(tf.Identity, 'wasm')) tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel(config);
}

async function tryWasm(): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (isNode()) {
    const { createRequire } = await import('node:module');
    const path = await import('node:path');
    const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    // setWasmPaths throws if the backend was already initialised; then the paths are already in effect.
    try {
      wasm.setWasmPaths(path.dirname(main) + path.sep);
    } catch (err) {
      if (tf.findBackend('wasm') == null) throw err;
    }
  }
  if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') returned false (wasm binary failed to load)");
  await tf.ready();
  registerSharedIdentity();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return {
    name: 'wasm',
    version: wasm.version_wasm,
    package: '@tensorflow/tfjs-backend-wasm',
    threads: Math.max(1, wasm.getThreadsCount()),
    simd,
    skipped: [],
  };
}

async function tryCpu(): Promise<BackendInfo> {
  const cpu = await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error("tf.setBackend('cpu') returned false");
  await tf.ready();
  return { name: 'cpu', version: cpu.version_cpu, package: '@tensorflow/tfjs-backend-cpu', threads: 1, skipped: [] };
}

async function load(preferred: BackendName | undefined): Promise<BackendInfo> {
  if (preferred === 'tensorflow') {
    const reasons: string[] = [];
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const) {
      try {
        return await tryNative(pkg);
      } catch (err) {
        reasons.push(`${pkg}: ${message(err)}`);
      }
    }
    throw new Error(`Backend "tensorflow" was requested but cannot be loaded (${reasons.join('; ')})`);
  }
  if (preferred === 'wasm') {
    try {
      return await tryWasm();
    } catch (err) {
      throw new Error(`Backend "wasm" was requested but cannot be loaded: ${message(err)}`);
    }
  }
  if (preferred === 'cpu') {
    try {
      return await tryCpu();
    } catch (err) {
      throw new Error(`Backend "cpu" was requested but cannot be loaded: ${message(err)}`);
    }
  }
  const skipped: BackendInfo['skipped'] = [];
  const attempts: Array<[string, () => Promise<BackendInfo>]> = [
    ['@tensorflow/tfjs-node-gpu', () => tryNative('@tensorflow/tfjs-node-gpu')],
    ['@tensorflow/tfjs-node', () => tryNative('@tensorflow/tfjs-node')],
    ['wasm', tryWasm],
    ['cpu', tryCpu],
  ];
  for (const [name, attempt] of attempts) {
    try {
      const info = await attempt();
      return { ...info, skipped };
    } catch (err) {
      skipped.push({ name, reason: message(err) });
    }
  }
  throw new Error(`No TensorFlow.js backend could be loaded: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/**
 * Choose and initialise the tfjs backend (see module comment). Without `preferred`, the first result is
 * cached and returned to every later call; with `preferred`, the cached backend is returned when it matches,
 * otherwise that backend is loaded (or an Error says why it cannot be).
 */
export async function initBackend(preferred?: BackendName): Promise<BackendInfo> {
  registerCoreGradients();
  if (pending) await pending.catch(() => undefined);
  if (cached && (preferred === undefined || preferred === cached.name)) {
    if (tf.getBackend() !== cached.name) await tf.setBackend(cached.name);
    return cached;
  }
  pending = load(preferred);
  try {
    cached = await pending;
    return cached;
  } finally {
    pending = null;
  }
}

/** The cached backend info, or null when `initBackend` has not succeeded yet. */
export function currentBackend(): BackendInfo | null {
  return cached;
}
