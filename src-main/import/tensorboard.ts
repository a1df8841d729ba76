/**
 * TensorBoard event files (`events.out.tfevents.*`): TFRecord-framed `Event` protos. Scalars come from
 * `simple_value` (TF1, tensorboardX) and from one-element numeric tensors (TF2 `tf.summary.scalar`, whose
 * values carry plugin "scalars"); tags of other plugins (histograms, images, text) are left out.
 * Each directory holding event files becomes one run, named by its path under the imported folder.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Type } from 'protobufjs';
import { lazyPackage } from '../lazy-package';
import { ImportError, newParsedRun, seriesOf, type ImportProgress, type ParsedRun, type SeriesBuffer } from './parsed-run';
import { decodeEvent, type DecodedEvent } from './tensorboard-decode';
import { TENSORBOARD_PROTO } from './tensorboard-proto';
import { readTfRecords } from './tfrecord';

const protobuf = lazyPackage<typeof import('protobufjs')>('protobufjs');
let eventType: Type | undefined;
/** The `tensorboard.Event` message, parsed from the bundled .proto at first use (writes test logs; reading uses tensorboard-decode). */
export function EventType(): Type {
  return (eventType ??= protobuf().parse(TENSORBOARD_PROTO, { keepCase: true }).root.lookupType('tensorboard.Event'));
}

export const isEventFile = (name: string): boolean => /(^|[/\\])events\.out\.tfevents\.[^/\\]*$/.test(name);

interface Long {
  toNumber(): number;
}
const num = (v: number | Long | null | undefined): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber());

interface TensorMsg {
  dtype?: number;
  tensor_shape?: { dim?: Array<{ size?: number | Long }> };
  tensor_content?: Uint8Array;
  half_val?: number[];
  float_val?: number[];
  double_val?: number[];
  int_val?: number[];
  int64_val?: Array<number | Long>;
  bool_val?: boolean[];
  uint32_val?: number[];
  uint64_val?: Array<number | Long>;
}

function half(bits: number): number {
  const s = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const f = bits & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** The value of a one-element numeric tensor, or undefined for anything else (strings, histograms, images). */
export function scalarOfTensor(t: TensorMsg): number | undefined {
  const dims = t.tensor_shape?.dim ?? [];
  if (dims.reduce((n, d) => n * num(d.size), 1) !== 1) return undefined;
  const first = <T>(a: T[] | undefined): T | undefined => (a && a.length > 0 ? a[0] : undefined);
  const c = t.tensor_content && t.tensor_content.length > 0 ? Buffer.from(t.tensor_content.buffer, t.tensor_content.byteOffset, t.tensor_content.length) : null;
  switch (t.dtype) {
    case 1: // DT_FLOAT
      return c ? (c.length >= 4 ? c.readFloatLE(0) : undefined) : first(t.float_val);
    case 2: // DT_DOUBLE
      return c ? (c.length >= 8 ? c.readDoubleLE(0) : undefined) : first(t.double_val);
    case 3: // DT_INT32
    case 5:
    case 6:
    case 4:
    case 17:
      return c ? (t.dtype === 3 && c.length >= 4 ? c.readInt32LE(0) : undefined) : first(t.int_val);
    case 9: // DT_INT64
      return c ? (c.length >= 8 ? Number(c.readBigInt64LE(0)) : undefined) : t.int64_val?.length ? num(t.int64_val[0]) : undefined;
    case 10: // DT_BOOL
      return c ? (c.length >= 1 ? c[0] : undefined) : t.bool_val?.length ? Number(t.bool_val[0]) : undefined;
    case 19: // DT_HALF
      return c ? (c.length >= 2 ? half(c.readUInt16LE(0)) : undefined) : t.half_val?.length ? half(t.half_val[0]) : undefined;
    case 14: // DT_BFLOAT16: the high half of a float32
      if (c && c.length >= 2) {
        const b = Buffer.alloc(4);
        b.writeUInt16LE(c.readUInt16LE(0), 2);
        return b.readFloatLE(0);
      }
      return t.half_val?.length ? Buffer.from(new Uint32Array([t.half_val[0] << 16]).buffer).readFloatLE(0) : undefined;
    case 22:
      return c ? (c.length >= 4 ? c.readUInt32LE(0) : undefined) : first(t.uint32_val);
    case 23:
      return c ? (c.length >= 8 ? Number(c.readBigUInt64LE(0)) : undefined) : t.uint64_val?.length ? num(t.uint64_val[0]) : undefined;
    default:
      return undefined;
  }
}

/** Every event file under `path` (or `path` itself), grouped by directory. */
export function findEventFiles(path: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const visit = (p: string, depth: number): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      if (depth > 20) return;
      for (const name of readdirSync(p).sort()) visit(join(p, name), depth + 1);
    } else if (isEventFile(p)) {
      const dir = dirname(p);
      let list = groups.get(dir);
      if (!list) groups.set(dir, (list = []));
      list.push(p);
    }
  };
  visit(path, 0);
  return groups;
}

export async function importTensorBoard(path: string, origin: string, onProgress?: ImportProgress): Promise<ParsedRun[]> {
  const groups = findEventFiles(path);
  if (groups.size === 0) throw new ImportError(`${origin}: no events.out.tfevents.* files`);
  const isDir = statSync(path).isDirectory();
  const totalBytes = Math.max(1, [...groups.values()].flat().reduce((n, f) => n + statSync(f).size, 0));
  let doneBytes = 0;
  let lastReport = 0;
  const runs: ParsedRun[] = [];
  for (const [dir, files] of groups) {
    const rel = isDir ? relative(path, dir).split(sep).join('/') : '';
    const name = rel || basename(isDir ? path : dirname(path)) || 'tensorboard';
    const run = newParsedRun(name, 'tensorboard', isDir && rel ? `${origin}/${rel}` : origin);
    run.config = { importedFrom: { format: 'tensorboard', path: run.origin } };
    const pluginOf = new Map<string, string>();
    let lastTag = '';
    let lastSeries: SeriesBuffer | null = null;
    let first = Infinity;
    let last = -Infinity;
    for (const file of files) {
      const fileLabel = isDir ? `${origin}/${relative(path, file).split(sep).join('/')}` : origin;
      for await (const batch of readTfRecords(file, fileLabel, (read) => {
        if (onProgress && doneBytes + read - lastReport > totalBytes / 100) ((lastReport = doneBytes + read), onProgress(Math.min(1, lastReport / totalBytes), `reading ${fileLabel}`));
      })) {
        for (let k = 0; k < batch.starts.length; k++) {
          let ev: DecodedEvent;
          try {
            ev = decodeEvent(batch.buf, batch.starts[k], batch.starts[k] + batch.lengths[k]);
          } catch (err) {
            throw new ImportError(`${fileLabel}: record ${batch.firstIndex + k} (byte ${batch.offsets[k]}): not an Event (${(err as Error).message})`);
          }
          const values = ev.values;
          if (!values || values.length === 0) continue;
          const step = ev.step;
          const wall = ev.wallTime * 1000;
          if (wall > 0) ((first = Math.min(first, wall)), (last = Math.max(last, wall)));
          for (const v of values) {
            const tag = v.tag;
            if (!tag) continue;
            const plugin = v.plugin;
            if (plugin) pluginOf.set(tag, plugin);
            let x: number | undefined;
            if (v.kind === 'simple_value') x = v.simple;
            else if (v.kind === 'tensor' && v.tensor) {
              const p = pluginOf.get(tag);
              if (p !== undefined && p !== 'scalars') continue;
              x = scalarOfTensor(v.tensor);
            }
            if (x === undefined) continue;
            if (tag !== lastTag || !lastSeries) {
              lastTag = tag;
              lastSeries = seriesOf(run, tag);
            }
            lastSeries.push(step, Number.isFinite(x) ? x : null, wall > 0 ? wall : Date.now());
          }
        }
      }
      doneBytes += statSync(file).size;
    }
    if (Number.isFinite(first)) ((run.createdAt = first), (run.startedAt = first), (run.endedAt = last));
    if (run.series.size > 0) runs.push(run);
  }
  if (runs.length === 0) throw new ImportError(`${origin}: the event files hold no scalar summaries`);
  return runs;
}
