/**
 * Import of runs from files and folders: the workbench's own export (`der-run-v1` JSON), CSV and JSONL metric
 * logs, TensorBoard event files and MLflow file stores. Reading happens first (streamed, nothing written);
 * then every run id is checked (no duplicate in the import, none taken in the store); then all runs are
 * written in one transaction. Any failure leaves the store as it was.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { z } from 'zod';
import type { ExportedRun, JsonObject, Run } from '../api/contract';
import { ImportedRun, zodIssues } from '../api/schemas';
import type { RunStore } from '../store/run-store';
import { importCsv } from './csv';
import { importJsonl } from './jsonl';
import { importMlflow, looksLikeMlflow } from './mlflow';
import { ImportError, type ImportFormat, type ImportProgress, type ParsedRun } from './parsed-run';
import { findEventFiles, importTensorBoard, isEventFile } from './tensorboard';

export type ImportItem = { kind: 'exported'; run: ExportedRun; origin: string } | { kind: 'parsed'; run: ParsedRun };

/** Parses the text of a workbench export (one run or an array of runs). */
export function parseExport(text: string, origin: string): ExportedRun[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ImportError(`${origin}: not JSON (${(err as Error).message})`);
  }
  const parsed = z.array(ImportedRun).safeParse(Array.isArray(json) ? json : [json]);
  if (!parsed.success) {
    const i = zodIssues(parsed.error)[0];
    throw new ImportError(`${origin}: not a DER Workbench export (record ${i?.path}: ${i?.message})`);
  }
  return parsed.data as ExportedRun[];
}

export function detectFormat(path: string): ImportFormat {
  const st = statSync(path);
  if (st.isDirectory()) {
    if (looksLikeMlflow(path)) return 'mlflow';
    if (findEventFiles(path).size > 0) return 'tensorboard';
    throw new ImportError(`${path}: a folder with neither TensorBoard event files (events.out.tfevents.*) nor MLflow runs (mlruns/<experiment>/<run>/meta.yaml)`);
  }
  if (isEventFile(path)) return 'tensorboard';
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'der-json';
  throw new ImportError(`${path}: unknown file type (import reads .json exports, .csv, .jsonl, events.out.tfevents.* files, and TensorBoard or MLflow folders)`);
}

/** Reads one file or folder into import items; writes nothing. */
export async function readImportSource(path: string, origin = path, onProgress?: ImportProgress): Promise<ImportItem[]> {
  let format: ImportFormat;
  try {
    format = detectFormat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ImportError(`${origin}: no such file or folder`);
    throw err;
  }
  const parsed = (runs: ParsedRun[]): ImportItem[] => runs.map((run) => ({ kind: 'parsed', run }));
  switch (format) {
    case 'der-json':
      return parseExport(readFileSync(path, 'utf8'), origin).map((run) => ({ kind: 'exported', run, origin }));
    case 'csv':
      return parsed(await importCsv(path, origin, onProgress));
    case 'jsonl':
      return parsed(await importJsonl(path, origin, onProgress));
    case 'tensorboard':
      return parsed(await importTensorBoard(path, origin, onProgress));
    case 'mlflow':
      return parsed(await importMlflow(path, origin, onProgress));
  }
}

const lastValues = (run: ParsedRun): JsonObject => {
  const out: JsonObject = {};
  for (const [key, s] of [...run.series].slice(0, 200)) {
    const steps = s.steps;
    let best = -1;
    for (let i = 0; i < steps.length; i++) if (best < 0 || steps[i] >= steps[best]) best = i;
    if (best >= 0) out[key] = Number.isFinite(s.values[best]) ? s.values[best] : null;
  }
  return out;
};

function runOf(item: Extract<ImportItem, { kind: 'parsed' }>, id: string): Run {
  const r = item.run;
  const now = Date.now();
  return {
    id,
    kind: 'imported',
    name: r.name,
    status: r.status,
    config: r.config,
    seed: 0,
    summary: lastValues(r),
    backend: null,
    host: null,
    createdAt: r.createdAt ?? now,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    progress: 1,
    progressMessage: '',
    error: null,
    exitInfo: null,
    tags: r.tags,
    notes: `Imported from ${r.format === 'mlflow' ? 'MLflow' : r.format === 'tensorboard' ? 'TensorBoard' : r.format.toUpperCase()}: ${r.origin}`,
    parentId: null,
    source: 'imported',
  };
}

/**
 * Writes the items in one transaction after checking every id; returns the new run ids in input order.
 * Throws ImportError (conflict) naming every duplicate or taken id, having written nothing.
 */
export function commitImport(store: RunStore, items: readonly ImportItem[], newId: () => string, onProgress?: ImportProgress): string[] {
  const ids = items.map((it) => (it.kind === 'exported' ? it.run.run.id : (it.run.id ?? newId())));
  const seen = new Map<string, number>();
  const duplicates = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) duplicates.add(id);
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  if (duplicates.size > 0) throw new ImportError(`the import holds run id ${[...duplicates].slice(0, 5).join(', ')} more than once; nothing was imported`, 'conflict');
  const taken = ids.filter((id) => store.runs.get(id) !== null);
  if (taken.length > 0) {
    throw new ImportError(`${taken.length === 1 ? 'a run with id' : 'runs with ids'} ${taken.slice(0, 5).join(', ')}${taken.length > 5 ? ', …' : ''} already ${taken.length === 1 ? 'exists' : 'exist'} in the store; nothing was imported`, 'conflict');
  }
  const totalRows = Math.max(
    1,
    items.reduce((n, it) => n + (it.kind === 'exported' ? it.run.metrics.reduce((m, s) => m + s.points.length, 0) : [...it.run.series.values()].reduce((m, s) => m + s.length, 0)), 0),
  );
  let written = 0;
  const seriesIds = new Set<number>();
  const appended = (sid: number | null): void => void (sid !== null && seriesIds.add(sid));
  withKeysCheckedOnce(store, () => {
    items.forEach((it, i) => {
      const id = ids[i];
      if (it.kind === 'exported') {
        const e = it.run;
        store.runs.insertImported(e.run);
        for (const m of e.metrics) {
          appended(store.metrics.appendSeries(id, m.key, m.points.map((p) => p[0]), m.points.map((p) => p[1]), m.points.map((p) => p[2])));
          written += m.points.length;
          onProgress?.(written / totalRows, `writing ${e.run.name}`);
        }
        store.timings.append(id, e.timings.map((t) => ({ ...t, quality: t.quality ?? undefined })));
        for (const a of e.artifacts) store.artifacts.put(id, a.name, a.mime, Buffer.from(a.base64, 'base64'), a.meta);
        for (const l of e.logs) store.logs.append(id, l.level, l.text, l.time);
      } else {
        store.runs.insertImported(runOf(it, id));
        for (const [key, s] of it.run.series) {
          appended(store.metrics.appendSeries(id, key, s.steps, s.values, s.walls));
          written += s.length;
          onProgress?.(written / totalRows, `writing ${it.run.name}`);
        }
      }
    });
    return { runIds: ids, seriesIds: [...seriesIds] };
  });
  return ids;
}

/**
 * Runs `write` in one transaction with SQLite's per-row foreign-key checks off (on a million metric rows they
 * cost a third of the write) and checks the keys once before commit instead: every row the import writes names
 * one of its run ids (runs, series, timings, artifacts, logs) or one of the series it appended to (metrics), so
 * those runs and series existing is the whole check. A failed check rolls everything back. The pragma cannot
 * change inside a transaction: within an outer one the rows are checked one by one as usual.
 */
function withKeysCheckedOnce(store: RunStore, write: () => { runIds: string[]; seriesIds: number[] }): void {
  const db = store.db;
  const perRow = db.pragma('foreign_keys', { simple: true }) === 1;
  if (!perRow || db.inTransaction) {
    store.transaction(write);
    return;
  }
  db.pragma('foreign_keys = OFF');
  try {
    store.transaction(() => {
      const { runIds, seriesIds } = write();
      const missing = (table: 'runs' | 'series', keys: ReadonlyArray<string | number>): number => {
        let found = 0;
        for (let k = 0; k < keys.length; k += 500) {
          const chunk = keys.slice(k, k + 500);
          found += db.prepare(`SELECT count(*) FROM ${table} WHERE id IN (${chunk.map(() => '?').join(', ')})`).pluck().get(...chunk) as number;
        }
        return keys.length - found;
      };
      const orphanSeries = db.prepare(`SELECT count(*) FROM pragma_foreign_key_check('series')`).pluck().get() as number;
      if (missing('runs', runIds) > 0 || missing('series', seriesIds) > 0 || orphanSeries > 0) {
        throw new ImportError('the import would leave rows without their run or series (a foreign-key violation); nothing was imported');
      }
    });
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/** A safe relative path for an uploaded file ("run1/events.out.tfevents.1"), or null when it is not one. */
export function safeRelativePath(name: string): string | null {
  const parts = name.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..' || p.includes('\0'))) return null;
  return parts.join('/');
}

export const originName = (path: string): string => basename(path);
