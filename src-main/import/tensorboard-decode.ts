/**
 * A decoder for the few fields of TensorBoard's `Event` proto that scalar import reads (see tensorboard-proto.ts
 * for the messages): wall time, step, and each summary value's tag, plugin name, simple value or tensor. A hot
 * kernel: a million-record log is a million events, and a generic decoder spends most of its time building
 * objects and deleting the other members of each oneof. Semantics follow protobufjs's generated decoders (the
 * test oracle): unknown fields are skipped, a message field given twice keeps the last, repeated numbers are
 * read packed or not; of the `value` oneof the member set last counts.
 */

export interface TensorFields {
  dtype?: number;
  tensor_shape?: { dim?: Array<{ size?: number }> };
  tensor_content?: Uint8Array;
  half_val?: number[];
  float_val?: number[];
  double_val?: number[];
  int_val?: number[];
  int64_val?: number[];
  bool_val?: boolean[];
  uint32_val?: number[];
  uint64_val?: number[];
}

export interface SummaryValue {
  tag: string;
  plugin: string | undefined;
  /** Which member of the `value` oneof was set last. */
  kind: 'simple_value' | 'tensor' | 'obsolete_old_style_histogram' | undefined;
  simple: number;
  tensor: TensorFields | undefined;
}

export interface DecodedEvent {
  wallTime: number;
  step: number;
  /** The summary's values, or null when the event holds no summary (file version, graph). */
  values: SummaryValue[] | null;
}

const TWO_32 = 4294967296;
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Little-endian floats are read through one scratch buffer (a DataView per number costs more than the rest). */
const scratch = new Uint8Array(8);
const scratchF32 = new Float32Array(scratch.buffer, 0, 1);
const scratchF64 = new Float64Array(scratch.buffer, 0, 1);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Tags repeat on every event: the strings of recently seen byte sequences are kept, so a tag is decoded once
 * per log rather than once per record.
 */
const STRING_CACHE = 64;
const cachedBytes: Uint8Array[] = [];
const cachedStrings: string[] = [];
let cacheNext = 0;

function cachedString(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len > 128) return utf8.decode(buf.subarray(start, end));
  outer: for (let k = 0; k < cachedBytes.length; k++) {
    const b = cachedBytes[k];
    if (b.length !== len) continue;
    for (let i = 0; i < len; i++) if (b[i] !== buf[start + i]) continue outer;
    return cachedStrings[k];
  }
  const s = utf8.decode(buf.subarray(start, end));
  cachedBytes[cacheNext] = buf.slice(start, end);
  cachedStrings[cacheNext] = s;
  cacheNext = (cacheNext + 1) % STRING_CACHE;
  return s;
}

/** A cursor over one message's bytes; `end` is where the message stops. */
class Cursor {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    public end: number,
  ) {
    this.pos = start;
  }

  private fail(what: string): never {
    throw new Error(`${what} at offset ${this.pos}`);
  }

  /** A varint's low 32 bits (unsigned); sets `hi` to the high 32 bits. */
  hi = 0;
  varint(): number {
    const b = this.buf;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let i = this.pos;
    for (; shift < 28; shift += 7) {
      if (i >= this.end) this.fail('truncated varint');
      const c = b[i++];
      lo |= (c & 0x7f) << shift;
      if (c < 0x80) {
        this.pos = i;
        this.hi = 0;
        return lo >>> 0;
      }
    }
    if (i >= this.end) this.fail('truncated varint');
    // Byte 5 carries bits 28..31 of lo and 0..2 of hi.
    let c = b[i++];
    lo |= (c & 0x0f) << 28;
    hi = (c & 0x7f) >> 4;
    if (c >= 0x80) {
      for (shift = 3; ; shift += 7) {
        if (shift > 31) this.fail('varint longer than 10 bytes');
        if (i >= this.end) this.fail('truncated varint');
        c = b[i++];
        if (shift < 32) hi |= (c & 0x7f) << shift;
        if (c < 0x80) break;
      }
    }
    this.pos = i;
    this.hi = hi >>> 0;
    return lo >>> 0;
  }

  int64(): number {
    const lo = this.varint();
    return (this.hi | 0) * TWO_32 + lo;
  }

  uint64(): number {
    const lo = this.varint();
    return this.hi * TWO_32 + lo;
  }

  int32(): number {
    return this.varint() | 0;
  }

  double(): number {
    if (this.pos + 8 > this.end) this.fail('truncated double');
    const b = this.buf;
    const p = this.pos;
    if (littleEndian) for (let i = 0; i < 8; i++) scratch[i] = b[p + i];
    else for (let i = 0; i < 8; i++) scratch[7 - i] = b[p + i];
    this.pos += 8;
    return scratchF64[0];
  }

  float(): number {
    if (this.pos + 4 > this.end) this.fail('truncated float');
    const b = this.buf;
    const p = this.pos;
    if (littleEndian) for (let i = 0; i < 4; i++) scratch[i] = b[p + i];
    else for (let i = 0; i < 4; i++) scratch[3 - i] = b[p + i];
    this.pos += 4;
    return scratchF32[0];
  }

  /** The [start, end) of a length-delimited field's bytes; the cursor moves past them. */
  span(): number {
    const len = this.varint();
    if (this.hi !== 0 || this.pos + len > this.end) this.fail(`length ${len} past the end of the message`);
    const start = this.pos;
    this.pos += len;
    return start;
  }

  string(): string {
    const start = this.span();
    return start === this.pos ? '' : cachedString(this.buf, start, this.pos);
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        if (this.pos + 8 > this.end) this.fail('truncated fixed64');
        this.pos += 8;
        return;
      case 2:
        this.span();
        return;
      case 5:
        if (this.pos + 4 > this.end) this.fail('truncated fixed32');
        this.pos += 4;
        return;
      case 3: {
        // A group: skip fields up to its end tag.
        for (;;) {
          if (this.pos >= this.end) this.fail('unterminated group');
          const tag = this.varint();
          if ((tag & 7) === 4) return;
          this.skip(tag & 7);
        }
      }
      default:
        this.fail(`invalid wire type ${wire}`);
    }
  }
}

/** Repeated numbers of one field, packed (wire type 2) or one per tag. */
function readRepeated(c: Cursor, wire: number, into: number[], one: (c: Cursor) => number, unpackedWire: number): void {
  if (wire === 2) {
    const start = c.span();
    const after = c.pos;
    const saved = c.end;
    c.pos = start;
    c.end = after;
    while (c.pos < after) into.push(one(c));
    c.end = saved;
    return;
  }
  if (wire !== unpackedWire) {
    c.skip(wire);
    return;
  }
  into.push(one(c));
}

/** Runs `body` over the length-delimited sub-message at the cursor. */
function within<T>(c: Cursor, body: (c: Cursor) => T): T {
  const start = c.span();
  const after = c.pos;
  const saved = c.end;
  c.pos = start;
  c.end = after;
  const out = body(c);
  c.pos = after;
  c.end = saved;
  return out;
}

const readFloat = (c: Cursor): number => c.float();
const readDouble = (c: Cursor): number => c.double();
const readInt32 = (c: Cursor): number => c.int32();
const readInt64 = (c: Cursor): number => c.int64();
const readUint32 = (c: Cursor): number => c.varint();
const readUint64 = (c: Cursor): number => c.uint64();

function decodeDim(c: Cursor): { size?: number } {
  const d: { size?: number } = {};
  while (c.pos < c.end) {
    const tag = c.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 0) d.size = c.int64();
    else c.skip(tag & 7);
  }
  return d;
}

function decodeShape(c: Cursor): { dim?: Array<{ size?: number }> } {
  const dims: Array<{ size?: number }> = [];
  while (c.pos < c.end) {
    const tag = c.varint();
    if (tag >>> 3 === 2 && (tag & 7) === 2) dims.push(within(c, decodeDim));
    else c.skip(tag & 7);
  }
  return { dim: dims };
}

function decodeTensor(c: Cursor): TensorFields {
  const t: TensorFields = {};
  const list = (k: 'half_val' | 'float_val' | 'double_val' | 'int_val' | 'int64_val' | 'uint32_val' | 'uint64_val'): number[] => (t[k] ??= []);
  while (c.pos < c.end) {
    const tag = c.varint();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        if (wire === 0) t.dtype = c.int32();
        else c.skip(wire);
        break;
      case 2:
        if (wire === 2) t.tensor_shape = within(c, decodeShape);
        else c.skip(wire);
        break;
      case 4:
        if (wire === 2) {
          const start = c.span();
          t.tensor_content = c.buf.subarray(start, c.pos);
        } else c.skip(wire);
        break;
      case 13:
        readRepeated(c, wire, list('half_val'), readInt32, 0);
        break;
      case 5:
        readRepeated(c, wire, list('float_val'), readFloat, 5);
        break;
      case 6:
        readRepeated(c, wire, list('double_val'), readDouble, 1);
        break;
      case 7:
        readRepeated(c, wire, list('int_val'), readInt32, 0);
        break;
      case 10:
        readRepeated(c, wire, list('int64_val'), readInt64, 0);
        break;
      case 11: {
        const bits: number[] = [];
        readRepeated(c, wire, bits, readUint32, 0);
        if (bits.length) (t.bool_val ??= []).push(...bits.map((b) => b !== 0));
        break;
      }
      case 16:
        readRepeated(c, wire, list('uint32_val'), readUint32, 0);
        break;
      case 17:
        readRepeated(c, wire, list('uint64_val'), readUint64, 0);
        break;
      default:
        c.skip(wire);
    }
  }
  return t;
}

/** SummaryMetadata → plugin_data → plugin_name ('' when absent, as protobufjs gives). */
function decodePluginData(c: Cursor): string {
  let name = '';
  while (c.pos < c.end) {
    const tag = c.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) name = c.string();
    else c.skip(tag & 7);
  }
  return name;
}

function decodeMetadata(c: Cursor): string | undefined {
  let plugin: string | undefined;
  while (c.pos < c.end) {
    const tag = c.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) plugin = within(c, decodePluginData);
    else c.skip(tag & 7);
  }
  return plugin;
}

function decodeValue(c: Cursor): SummaryValue {
  const v: SummaryValue = { tag: '', plugin: undefined, kind: undefined, simple: 0, tensor: undefined };
  while (c.pos < c.end) {
    const tag = c.varint();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        if (wire === 2) v.tag = c.string();
        else c.skip(wire);
        break;
      case 2:
        if (wire === 5) ((v.simple = c.float()), (v.kind = 'simple_value'), (v.tensor = undefined));
        else c.skip(wire);
        break;
      case 3:
        if (wire === 2) ((v.kind = 'obsolete_old_style_histogram'), c.span(), (v.tensor = undefined));
        else c.skip(wire);
        break;
      case 8:
        if (wire === 2) ((v.tensor = within(c, decodeTensor)), (v.kind = 'tensor'));
        else c.skip(wire);
        break;
      case 9:
        if (wire === 2) v.plugin = within(c, decodeMetadata);
        else c.skip(wire);
        break;
      default:
        c.skip(wire);
    }
  }
  return v;
}

function decodeSummary(c: Cursor): SummaryValue[] {
  const values: SummaryValue[] = [];
  while (c.pos < c.end) {
    const tag = c.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) values.push(within(c, decodeValue));
    else c.skip(tag & 7);
  }
  return values;
}

/** Decodes the Event in buf[start, end); throws an Error naming the offset when the bytes are not one. */
export function decodeEvent(buf: Uint8Array, start: number, end: number): DecodedEvent {
  const c = new Cursor(buf, start, end);
  const ev: DecodedEvent = { wallTime: 0, step: 0, values: null };
  while (c.pos < c.end) {
    const tag = c.varint();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        if (wire === 1) ev.wallTime = c.double();
        else c.skip(wire);
        break;
      case 2:
        if (wire === 0) ev.step = c.int64();
        else c.skip(wire);
        break;
      case 5:
        if (wire === 2) ev.values = within(c, decodeSummary);
        else c.skip(wire);
        break;
      default:
        c.skip(wire);
    }
  }
  return ev;
}
