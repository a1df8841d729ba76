/**
 * Artifacts (checkpoints can be large) cross Redis in chunks, each its own stream entry, followed by an end
 * entry with the size and a sha256; the receiver reassembles, checks both, and stores nothing on a mismatch.
 */
import { createHash } from 'node:crypto';
import { ARTIFACT_CHUNK_BYTES, MAX_ARTIFACT_BYTES } from './protocol';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function splitChunks(bytes: Uint8Array, chunkBytes = ARTIFACT_CHUNK_BYTES): Uint8Array[] {
  if (bytes.byteLength > MAX_ARTIFACT_BYTES) throw new Error(`artifact of ${bytes.byteLength} bytes exceeds the cluster limit of ${MAX_ARTIFACT_BYTES} bytes`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.byteLength; i += chunkBytes) out.push(bytes.subarray(i, Math.min(bytes.byteLength, i + chunkBytes)));
  return out;
}

/** Collects the chunks of one artifact; `finish` checks count, size and checksum. */
export class ChunkAssembly {
  private readonly parts = new Map<number, Buffer>();
  private size = 0;

  add(index: number, base64: string): void {
    const b = Buffer.from(base64, 'base64');
    const old = this.parts.get(index);
    if (old) this.size -= old.byteLength;
    this.size += b.byteLength;
    if (this.size > MAX_ARTIFACT_BYTES) throw new Error(`artifact exceeds the cluster limit of ${MAX_ARTIFACT_BYTES} bytes`);
    this.parts.set(index, b);
  }

  finish(expected: { chunks: number; bytes: number; sha256: string }): Buffer {
    for (let i = 0; i < expected.chunks; i++) if (!this.parts.has(i)) throw new Error(`chunk ${i} of ${expected.chunks} is missing`);
    const whole = Buffer.concat([...Array(expected.chunks).keys()].map((i) => this.parts.get(i)!));
    if (whole.byteLength !== expected.bytes) throw new Error(`size ${whole.byteLength} differs from the announced ${expected.bytes}`);
    const sum = sha256(whole);
    if (sum !== expected.sha256) throw new Error(`sha256 ${sum} differs from the announced ${expected.sha256}`);
    return whole;
  }
}
