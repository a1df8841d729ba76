/**
 * Checkpoints of EntropyNet training (App. G.14: every 10 epochs and the best validation model), as one
 * binary artifact: a JSON header followed by raw float32 tensors.
 *
 *   offset 0   8 bytes   magic "DERTNSR1"
 *          8   uint32    header length H (little-endian)
 *         12   H bytes   JSON header (UTF-8): { format, version, meta, tensors: [{name, shape, offset, length}] }
 *              padding   zero bytes up to a multiple of 4
 *          D   data      float32 little-endian; tensor k occupies values [offset, offset + length) from D
 *
 * Tensor names: `model/<name>` (every EntropyNet variable, running batch-norm statistics included),
 * `reg/anchors` or `reg/planes_w` + `reg/planes_b` (the surrogate's parameters), `opt/m/<name>` and
 * `opt/v/<name>` (AdamW moments, checkpoints only). `meta` holds the network options, the optimizer step and
 * options, the training state (epoch, step, early-stopping state) and the run's config. A weights-only bundle
 * (`model.bin`) has no `opt/` tensors (its training state, when present, says how far training went, not where
 * to resume); `entropynet-preprocessor.ts` reads either.
 */
import type { EntropyNetOptions } from './entropynet';
import type { AdamWOptions, AdamWState } from './optim';

const MAGIC = 'DERTNSR1';
export const CHECKPOINT_FORMAT = 'der-entropynet';
export const CHECKPOINT_VERSION = 1;

export interface TensorValue {
  shape: number[];
  data: Float32Array;
}
export type TensorMap = Map<string, TensorValue>;

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

interface BundleHeader {
  format: string;
  version: number;
  meta: Record<string, unknown>;
  tensors: TensorEntry[];
}

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('checkpoint: big-endian hosts are not supported');
}

/** Header + tensors → bytes (see module comment). */
export function encodeBundle(meta: Record<string, unknown>, tensors: TensorMap): Uint8Array {
  assertLittleEndian();
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new RangeError(`checkpoint: "${name}" has ${t.data.length} values for shape [${t.shape}]`);
    entries.push({ name, shape: t.shape.slice(), offset, length: t.data.length });
    offset += t.data.length;
  }
  const header: BundleHeader = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, meta, tensors: entries };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = Math.ceil((12 + json.length) / 4) * 4;
  const out = new Uint8Array(dataStart + 4 * offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  const values = new Float32Array(out.buffer, dataStart, offset);
  for (const [k, [, t]] of [...tensors].entries()) values.set(t.data, entries[k].offset);
  return out;
}

/** Bytes → header meta + tensors (copies, independent of `bytes`). Throws on anything malformed. */
export function decodeBundle(bytes: Uint8Array): { meta: Record<string, unknown>; tensors: TensorMap } {
  assertLittleEndian();
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new Error('checkpoint: not a DER tensor bundle (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) throw new Error('checkpoint: truncated header');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as BundleHeader;
  if (header.format !== CHECKPOINT_FORMAT) throw new Error(`checkpoint: format "${header.format}", expected "${CHECKPOINT_FORMAT}"`);
  if (header.version !== CHECKPOINT_VERSION) throw new Error(`checkpoint: version ${header.version} is not supported (expected ${CHECKPOINT_VERSION})`);
  const dataStart = Math.ceil((12 + headerLength) / 4) * 4;
  const total = header.tensors.reduce((s, t) => Math.max(s, t.offset + t.length), 0);
  if (dataStart + 4 * total > bytes.length) throw new Error('checkpoint: truncated tensor data');
  // Copy into an aligned buffer: `bytes` may sit at any offset of its ArrayBuffer.
  const values = new Float32Array(total);
  new Uint8Array(values.buffer).set(bytes.subarray(dataStart, dataStart + 4 * total));
  const tensors: TensorMap = new Map();
  for (const t of header.tensors) tensors.set(t.name, { shape: t.shape, data: values.slice(t.offset, t.offset + t.length) });
  return { meta: header.meta, tensors };
}

/** Where training stood when a checkpoint was written (JSON; the trainer owns its fields beyond these). */
export interface TrainingState {
  /** Last completed epoch (0-based); a resumed run starts at epoch + 1. */
  epoch: number;
  /** Optimizer steps taken so far. */
  globalStep: number;
  [key: string]: unknown;
}

export interface EntropyNetCheckpoint {
  kind: 'checkpoint' | 'weights';
  model: EntropyNetOptions;
  /** Network variables by logical name. */
  weights: TensorMap;
  /** Surrogate parameters: `anchors` [k, d], `planes_w` [m, d] + `planes_b` [m], or `rect_start` [d, 1] + `rect_gaps` [d, r − 1]. */
  regularizer: TensorMap;
  regularizerKind: 'hDiff' | 'hSoft' | 'hRect';
  optimizer?: { options: AdamWOptions; state: AdamWState };
  training?: TrainingState;
  /** The training run's config, for provenance and resume checks. */
  config?: unknown;
}

function prefixed(prefix: string, map: TensorMap, into: TensorMap): void {
  for (const [name, t] of map) into.set(`${prefix}${name}`, t);
}

function unprefixed(prefix: string, map: TensorMap): TensorMap {
  const out: TensorMap = new Map();
  for (const [name, t] of map) if (name.startsWith(prefix)) out.set(name.slice(prefix.length), t);
  return out;
}

export function encodeCheckpoint(c: EntropyNetCheckpoint): Uint8Array {
  const tensors: TensorMap = new Map();
  prefixed('model/', c.weights, tensors);
  prefixed('reg/', c.regularizer, tensors);
  if (c.optimizer) {
    prefixed('opt/m/', c.optimizer.state.m, tensors);
    prefixed('opt/v/', c.optimizer.state.v, tensors);
  }
  const meta: Record<string, unknown> = {
    kind: c.kind,
    model: c.model,
    regularizerKind: c.regularizerKind,
    optimizer: c.optimizer ? { options: c.optimizer.options, step: c.optimizer.state.step } : null,
    training: c.training ?? null,
    config: c.config ?? null,
  };
  return encodeBundle(meta, tensors);
}

export function decodeCheckpoint(bytes: Uint8Array): EntropyNetCheckpoint {
  const { meta, tensors } = decodeBundle(bytes);
  const kind = meta.kind;
  if (kind !== 'checkpoint' && kind !== 'weights') throw new Error(`checkpoint: unknown kind ${JSON.stringify(kind)}`);
  const opt = meta.optimizer as { options: AdamWOptions; step: number } | null;
  return {
    kind,
    model: meta.model as EntropyNetOptions,
    weights: unprefixed('model/', tensors),
    regularizer: unprefixed('reg/', tensors),
    regularizerKind: meta.regularizerKind === 'hSoft' || meta.regularizerKind === 'hRect' ? meta.regularizerKind : 'hDiff',
    optimizer: opt ? { options: opt.options, state: { step: opt.step, m: unprefixed('opt/m/', tensors), v: unprefixed('opt/v/', tensors) } } : undefined,
    training: (meta.training as TrainingState | null) ?? undefined,
    config: meta.config ?? undefined,
  };
}
