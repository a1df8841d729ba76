/** Artifacts (checkpoints, attention maps, point sets, figures) as BLOBs beside their run. */
import type { ArtifactInfo, JsonObject } from '../api/contract';
import type { Db } from './database';

export class ArtifactTable {
  private readonly stmt;
  constructor(db: Db) {
    this.stmt = {
      put: db.prepare(
        'INSERT OR REPLACE INTO artifacts (run_id, name, mime, bytes, meta, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      list: db.prepare('SELECT name, mime, length(bytes) AS size, meta FROM artifacts WHERE run_id = ? ORDER BY name'),
      get: db.prepare('SELECT name, mime, bytes, meta FROM artifacts WHERE run_id = ? AND name = ?'),
    };
  }

  put(runId: string, name: string, mime: string, bytes: Uint8Array, meta: JsonObject = {}): void {
    this.stmt.put.run(runId, name, mime, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), JSON.stringify(meta), Date.now());
  }

  list(runId: string): ArtifactInfo[] {
    return (this.stmt.list.all(runId) as Array<{ name: string; mime: string; size: number; meta: string }>).map((r) => ({
      name: r.name,
      mime: r.mime,
      size: r.size,
      meta: JSON.parse(r.meta) as JsonObject,
    }));
  }

  get(runId: string, name: string): (ArtifactInfo & { bytes: Buffer }) | null {
    const r = this.stmt.get.get(runId, name) as { name: string; mime: string; bytes: Buffer; meta: string } | undefined;
    return r ? { name: r.name, mime: r.mime, size: r.bytes.length, meta: JSON.parse(r.meta) as JsonObject, bytes: r.bytes } : null;
  }
}
