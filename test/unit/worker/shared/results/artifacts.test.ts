import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactSpecOf, checkArtifact, formatIssues, readArtifact, registeredKinds, resultsOf } from '../../../../../src-worker/shared/results';
import { readStoredArtifact } from '../../../../../src-main/api/artifact-read';

const LEGACY_DB = join(import.meta.dirname, '../../../../fixtures/legacy/runs-every-kind.sqlite');

function legacyArtifacts(): Array<{ kind: string; name: string; mime: string; bytes: Buffer }> {
  const db = new Database(LEGACY_DB, { readonly: true });
  try {
    return db.prepare('SELECT r.kind AS kind, a.name AS name, a.mime AS mime, a.bytes AS bytes FROM artifacts a JOIN runs r ON r.id = a.run_id').all() as Array<{ kind: string; name: string; mime: string; bytes: Buffer }>;
  } finally {
    db.close();
  }
}

describe('artifact schemas', () => {
  it('every kind declares the artifacts it writes', () => {
    for (const kind of registeredKinds()) expect(resultsOf(kind)?.artifacts, kind).toBeDefined();
    expect(artifactSpecOf('attention-train', 'gallery/entropy-0.01-s2.json')).not.toBeNull();
    expect(artifactSpecOf('entropynet-train', 'checkpoint-epoch-0012.bin')?.schema).toBeNull();
    expect(artifactSpecOf('selftest', 'nonsense.json')).toBeNull();
  });

  it('read every artifact of a database written before them', () => {
    const all = legacyArtifacts();
    expect(new Set(all.map((a) => a.kind)).size).toBeGreaterThanOrEqual(6);
    for (const a of all) {
      expect(artifactSpecOf(a.kind, a.name), `${a.kind} ${a.name}`).not.toBeNull();
      const c = checkArtifact(a.kind, a.name, JSON.parse(a.bytes.toString('utf8')));
      expect(c.ok ? '' : formatIssues(c.issues ?? []), `${a.kind} ${a.name}`).toBe('');
    }
  });

  it('main fills defaults of an older layout and keeps what the schema cannot read as stored', () => {
    const preview = { dataset: 'd', n: 3, seed: 1, count: 3, stride: 1, points: [0, 0, 1, 0, 0, 1], hull: [0, 0, 1, 0, 0, 1] };
    expect(readArtifact('geometry-timing', 'preview.json', preview)).toMatchObject({ ...preview, hullIndices: [] });
    const odd = { points: 'not an array' };
    expect(readArtifact('geometry-timing', 'preview.json', odd)).toBe(odd);
    const bytes = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
    const read = readStoredArtifact('geometry-timing', { name: 'preview.json', mime: 'application/json', size: 0, meta: {}, bytes: bytes(preview) });
    expect(JSON.parse(Buffer.from(read.base64, 'base64').toString('utf8'))).toMatchObject({ hullIndices: [] });
    const raw = bytes(odd);
    expect(readStoredArtifact('geometry-timing', { name: 'preview.json', mime: 'application/json', size: raw.length, meta: {}, bytes: raw }).base64).toBe(raw.toString('base64'));
    const bin = Buffer.from([1, 2, 3]);
    expect(readStoredArtifact('entropynet-train', { name: 'model.bin', mime: 'application/octet-stream', size: 3, meta: {}, bytes: bin }).base64).toBe(bin.toString('base64'));
  });

  it('rejects a gallery whose maps are not numbers, naming the path', () => {
    const c = checkArtifact('attention-train', 'gallery/none.json', { model: 'none', imageSize: 32, patch: 4, grid: 8, layers: 1, heads: 1, images: [{ cls: 'x' }] });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(formatIssues(c.issues ?? [])).toMatch(/images\.0\./);
  });
});
