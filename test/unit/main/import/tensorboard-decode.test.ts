import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../../src-main/import/crc32c';
import { scalarOfTensor } from '../../../../src-main/import/tensorboard';
import { decodeEvent, type TensorFields } from '../../../../src-main/import/tensorboard-decode';
import { TENSORBOARD_PROTO } from '../../../../src-main/import/tensorboard-proto';

/** The oracle: protobufjs over the same .proto; a second copy writes repeated numbers unpacked. */
const Event = protobuf.parse(TENSORBOARD_PROTO, { keepCase: true }).root.lookupType('tensorboard.Event');
const EventUnpacked = protobuf.parse(TENSORBOARD_PROTO.replace(/\[packed = true\]/g, '[packed = false]'), { keepCase: true }).root.lookupType('tensorboard.Event');

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Obj = Record<string, unknown>;

function randomTensor(r: () => number): Obj {
  const dtype = [1, 2, 3, 9, 10, 14, 19, 22, 23, 7][Math.floor(r() * 10)];
  const dims = r() < 0.7 ? [] : [{ size: 1 + Math.floor(r() * 3) }];
  const t: Obj = { dtype, tensor_shape: { dim: dims } };
  const x = (r() - 0.5) * 1e3;
  if (r() < 0.4) {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x, 0);
    t.tensor_content = b.subarray(0, dtype === 2 || dtype === 9 || dtype === 23 ? 8 : dtype === 10 ? 1 : dtype === 14 || dtype === 19 ? 2 : 4);
  } else if (dtype === 1) t.float_val = [x, x / 2];
  else if (dtype === 2) t.double_val = [x];
  else if (dtype === 3) t.int_val = [Math.round(x), -5];
  else if (dtype === 9) t.int64_val = [Math.round(x) * 1e6];
  else if (dtype === 10) t.bool_val = [r() < 0.5, true];
  else if (dtype === 14 || dtype === 19) t.half_val = [Math.floor(r() * 65536)];
  else if (dtype === 22) t.uint32_val = [Math.floor(r() * 4e9)];
  else if (dtype === 23) t.uint64_val = [Math.floor(r() * 2 ** 52)];
  else t.string_val = [Buffer.from('text')];
  return t;
}

function randomEvent(r: () => number): Obj {
  const ev: Obj = { wall_time: 1.7e9 + r() * 1e6 };
  const stepKind = r();
  ev.step = stepKind < 0.6 ? Math.floor(r() * 1e6) : stepKind < 0.8 ? Math.floor(r() * 2 ** 50) : stepKind < 0.9 ? -Math.floor(r() * 1e9) : 0;
  if (r() < 0.1) {
    ev.file_version = 'brain.Event:2';
    return ev;
  }
  const values: Obj[] = [];
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const v: Obj = { tag: r() < 0.1 ? '' : `tag/${Math.floor(r() * 5)}·ü` };
    if (r() < 0.4) v.metadata = { plugin_data: { plugin_name: ['scalars', 'images', ''][Math.floor(r() * 3)] }, display_name: 'x' };
    if (r() < 0.1) v.node_name = 'node';
    const kind = r();
    if (kind < 0.45) v.simple_value = (r() - 0.5) * 100;
    else if (kind < 0.9) v.tensor = randomTensor(r);
    else if (kind < 0.95) v.obsolete_old_style_histogram = Buffer.from([1, 2, 3]);
    values.push(v);
  }
  ev.summary = { value: values };
  return ev;
}

interface Long {
  toNumber(): number;
}
const num = (v: unknown): number => (typeof v === 'number' ? v : (v as Long).toNumber());
const nums = (a: unknown): number[] => ((a as unknown[] | undefined) ?? []).map(num);

/** What import reads of an oracle-decoded tensor, in the decoder's shape. */
function tensorOf(t: Obj): TensorFields {
  const shape = t.tensor_shape as { dim?: Array<{ size?: unknown }> } | undefined;
  const content = t.tensor_content as Uint8Array | undefined;
  return {
    dtype: (t.dtype as number | undefined) ?? 0,
    tensor_shape: shape ? { dim: (shape.dim ?? []).map((d) => ({ size: num(d.size ?? 0) })) } : undefined,
    tensor_content: content && content.length ? content : undefined,
    half_val: nums(t.half_val),
    float_val: nums(t.float_val),
    double_val: nums(t.double_val),
    int_val: nums(t.int_val),
    int64_val: nums(t.int64_val),
    bool_val: ((t.bool_val as boolean[] | undefined) ?? []).slice(),
    uint32_val: nums(t.uint32_val),
    uint64_val: nums(t.uint64_val),
  };
}

function normaliseTensor(t: TensorFields | undefined): unknown {
  if (!t) return undefined;
  return {
    dtype: t.dtype ?? 0,
    dims: (t.tensor_shape?.dim ?? []).map((d) => d.size ?? 0),
    content: t.tensor_content && t.tensor_content.length ? [...t.tensor_content] : [],
    lists: [t.half_val, t.float_val, t.double_val, t.int_val, t.int64_val, t.uint32_val, t.uint64_val].map((a) => a ?? []),
    bools: t.bool_val ?? [],
    scalar: scalarOfTensor(t),
  };
}

function viaOracle(bytes: Uint8Array): unknown {
  const m = Event.decode(bytes) as unknown as Obj & { value?: string };
  const summary = m.summary as { value?: Array<Obj & { value?: string }> } | undefined;
  return {
    wallTime: (m.wall_time as number | undefined) ?? 0,
    step: num(m.step ?? 0),
    values: summary
      ? (summary.value ?? []).map((v) => ({
          tag: (v.tag as string | undefined) ?? '',
          plugin: (v.metadata as { plugin_data?: { plugin_name?: string } } | undefined)?.plugin_data?.plugin_name,
          kind: v.value,
          simple: v.value === 'simple_value' ? v.simple_value : undefined,
          tensor: v.value === 'tensor' ? normaliseTensor(tensorOf(v.tensor as Obj)) : undefined,
        }))
      : null,
  };
}

function viaDecoder(bytes: Uint8Array): unknown {
  const e = decodeEvent(bytes, 0, bytes.length);
  return {
    wallTime: e.wallTime,
    step: e.step,
    values: e.values
      ? e.values.map((v) => ({ tag: v.tag, plugin: v.plugin, kind: v.kind, simple: v.kind === 'simple_value' ? v.simple : undefined, tensor: v.kind === 'tensor' ? normaliseTensor(v.tensor) : undefined }))
      : null,
  };
}

describe('TensorBoard Event decoder against protobufjs', () => {
  it('decodes random events (simple values, tensors of every dtype, plugins, 64-bit and negative steps) as protobufjs does', () => {
    const r = rng(11);
    for (let i = 0; i < 2000; i++) {
      const obj = randomEvent(r);
      const type = i % 3 === 0 ? EventUnpacked : Event;
      const bytes = type.encode(type.fromObject(obj)).finish();
      expect(viaDecoder(bytes), `event ${i}: ${JSON.stringify(obj)}`).toEqual(viaOracle(bytes));
    }
  });

  it('finds a record inside a larger buffer by its offsets', () => {
    const bytes = Event.encode(Event.fromObject({ wall_time: 5, step: 7, summary: { value: [{ tag: 'a', simple_value: 0.5 }] } })).finish();
    const big = new Uint8Array(bytes.length + 20);
    big.set(bytes, 10);
    const e = decodeEvent(big, 10, 10 + bytes.length);
    expect(e.step).toBe(7);
    expect(e.values?.[0]).toMatchObject({ tag: 'a', kind: 'simple_value', simple: 0.5 });
  });

  it('refuses truncated records and bad wire types with the offset', () => {
    const bytes = Event.encode(Event.fromObject({ wall_time: 5, step: 2 ** 40, summary: { value: [{ tag: 'loss', simple_value: 1 }] } })).finish();
    for (let cut = 1; cut < bytes.length; cut++) {
      let threw = false;
      try {
        decodeEvent(bytes, 0, cut);
      } catch (err) {
        threw = true;
        expect((err as Error).message).toMatch(/at offset \d+/);
      }
      // A cut at a field boundary is a shorter valid event; anywhere else the decoder must refuse.
      if (!threw) expect(() => Event.decode(bytes.subarray(0, cut))).not.toThrow();
    }
    expect(() => decodeEvent(Uint8Array.from([0x0f]), 0, 1)).toThrow(/invalid wire type 7/);
  });
});

describe('crc32c', () => {
  it('equals the bytewise definition at every length and offset', () => {
    const bitwise = (b: Uint8Array, s: number, e: number): number => {
      let c = 0xffffffff;
      for (let i = s; i < e; i++) {
        c ^= b[i];
        for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    const r = rng(3);
    const buf = Uint8Array.from({ length: 200 }, () => Math.floor(r() * 256));
    for (let s = 0; s < 9; s++) for (let e = s; e <= 200; e += 7) expect(crc32c(buf, s, e)).toBe(bitwise(buf, s, e));
  });
});
