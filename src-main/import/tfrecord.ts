/**
 * TFRecord framing, read in large chunks (a record costs no system call):
 *
 *   uint64 length (LE) | uint32 masked_crc32c(length bytes) | payload[length] | uint32 masked_crc32c(payload)
 */
import { open } from 'node:fs/promises';
import { maskedCrc32c } from './crc32c';
import { ImportError } from './parsed-run';

const CHUNK = 4 << 20;

/**
 * The records of one chunk as positions in its buffer (no object or Buffer view per record). Record k's payload
 * is buf[starts[k], starts[k] + lengths[k]); its index in the file is firstIndex + k, its byte offset offsets[k].
 */
export interface TfRecordBatch {
  buf: Buffer;
  starts: number[];
  lengths: number[];
  offsets: number[];
  firstIndex: number;
}

/** Yields the records of a file in batches (one per chunk read), so a record costs no await either. */
export async function* readTfRecords(path: string, origin: string, onBytes?: (read: number) => void): AsyncGenerator<TfRecordBatch> {
  const fh = await open(path, 'r');
  try {
    let buf = Buffer.alloc(0);
    let fileOffset = 0;
    let index = 0;
    let eof = false;
    const fill = async (need: number): Promise<boolean> => {
      while (buf.length < need && !eof) {
        const chunk = Buffer.allocUnsafe(Math.max(CHUNK, need - buf.length));
        const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) eof = true;
        else buf = buf.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([buf, chunk.subarray(0, bytesRead)]);
      }
      return buf.length >= need;
    };
    for (;;) {
      if (!(await fill(12))) {
        if (buf.length > 0) throw new ImportError(`${origin}: record ${index} (byte ${fileOffset}): truncated header (${buf.length} bytes)`);
        return;
      }
      const batch: TfRecordBatch = { buf, starts: [], lengths: [], offsets: [], firstIndex: index };
      let at = 0;
      // Every whole record already in the buffer; the loop above reads more when the next one is not.
      for (;;) {
        if (buf.length - at < 12) break;
        const lenLo = buf.readUInt32LE(at);
        const lenHi = buf.readUInt32LE(at + 4);
        if (buf.readUInt32LE(at + 8) !== maskedCrc32c(buf, at, at + 8)) throw new ImportError(`${origin}: record ${index} (byte ${fileOffset}): bad length checksum — not a TFRecord file or corrupt`);
        if (lenHi !== 0 || lenLo > 1 << 30) throw new ImportError(`${origin}: record ${index} (byte ${fileOffset}): record of ${lenHi * 2 ** 32 + lenLo} bytes is too large`);
        const total = 12 + lenLo + 4;
        if (buf.length - at < total) break;
        if (buf.readUInt32LE(at + 12 + lenLo) !== maskedCrc32c(buf, at + 12, at + 12 + lenLo)) throw new ImportError(`${origin}: record ${index} (byte ${fileOffset}): bad data checksum`);
        batch.starts.push(at + 12);
        batch.lengths.push(lenLo);
        batch.offsets.push(fileOffset);
        at += total;
        fileOffset += total;
        index++;
      }
      if (batch.starts.length === 0) {
        const lenLo = buf.readUInt32LE(0);
        if (!(await fill(12 + lenLo + 4))) throw new ImportError(`${origin}: record ${index} (byte ${fileOffset}): truncated (${buf.length} of ${12 + lenLo + 4} bytes)`);
        continue;
      }
      buf = buf.subarray(at);
      yield batch;
      onBytes?.(fileOffset);
    }
  } finally {
    await fh.close();
  }
}
