/**
 * TFRecord framing, read in large chunks (a record costs no system call):
 *
 *   uint64 length (LE) | uint32 masked_crc32c(length bytes) | payload[length] | uint32 masked_crc32c(payload)
 */
import { open } from 'node:fs/promises';
import { maskedCrc32c } from './crc32c';
import { ImportError } from './parsed-run';

const CHUNK = 4 << 20;

export interface TfRecord {
  data: Uint8Array;
  /** Index of the record in the file (0-based) and its byte offset, for error messages. */
  index: number;
  offset: number;
}

export async function* readTfRecords(path: string, origin: string, onBytes?: (read: number) => void): AsyncGenerator<TfRecord> {
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
      const lenLo = buf.readUInt32LE(0);
      const lenHi = buf.readUInt32LE(4);
      if (buf.readUInt32LE(8) !== maskedCrc32c(buf, 0, 8)) throw new ImportError(`${origin}: record ${index} (byte ${fileOffset}): bad length checksum — not a TFRecord file or corrupt`);
      if (lenHi !== 0 || lenLo > 1 << 30) throw new ImportError(`${origin}: record ${index} (byte ${fileOffset}): record of ${lenHi * 2 ** 32 + lenLo} bytes is too large`);
      const total = 12 + lenLo + 4;
      if (!(await fill(total))) throw new ImportError(`${origin}: record ${index} (byte ${fileOffset}): truncated (${buf.length} of ${total} bytes)`);
      if (buf.readUInt32LE(12 + lenLo) !== maskedCrc32c(buf, 12, 12 + lenLo)) throw new ImportError(`${origin}: record ${index} (byte ${fileOffset}): bad data checksum`);
      yield { data: buf.subarray(12, 12 + lenLo), index, offset: fileOffset };
      buf = buf.subarray(total);
      fileOffset += total;
      index++;
      onBytes?.(fileOffset);
    }
  } finally {
    await fh.close();
  }
}
