/**
 * MLflow's file store: `mlruns/<experiment id>/<run id>/` with `meta.yaml`, `metrics/<key>` (lines
 * "timestamp value step"; keys with "/" are nested folders), `params/<key>` and `tags/<key>` (file content is
 * the value). Accepts the `mlruns` folder, one experiment folder or one run folder.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { lazyPackage } from '../lazy-package';
import type { JsonObject, RunStatus } from '../api/contract';
import { ImportError, newParsedRun, seriesOf, type ImportProgress, type ParsedRun } from './parsed-run';

const isRunDir = (dir: string): boolean => existsSync(join(dir, 'meta.yaml')) && (existsSync(join(dir, 'metrics')) || existsSync(join(dir, 'params')));
const yaml = lazyPackage<typeof import('yaml')>('yaml');

export function looksLikeMlflow(path: string): boolean {
  if (!statSync(path).isDirectory()) return false;
  if (isRunDir(path)) return true;
  const sub = readdirSync(path).map((n) => join(path, n)).filter((p) => statSync(p).isDirectory());
  return sub.some((d) => isRunDir(d) || (existsSync(join(d, 'meta.yaml')) && readdirSync(d).some((n) => isRunDir(join(d, n)))));
}

function runDirs(path: string): string[] {
  if (isRunDir(path)) return [path];
  const out: string[] = [];
  for (const a of readdirSync(path).sort()) {
    const p = join(path, a);
    if (!statSync(p).isDirectory() || a === '.trash') continue;
    if (isRunDir(p)) out.push(p);
    else for (const b of readdirSync(p).sort()) if (isRunDir(join(p, b))) out.push(join(p, b));
  }
  return out;
}

/** Files under `dir`, as keys relative to it ("train/loss"). */
function keyFiles(dir: string): Array<{ key: string; file: string }> {
  if (!existsSync(dir)) return [];
  const out: Array<{ key: string; file: string }> = [];
  const visit = (p: string): void => {
    for (const n of readdirSync(p).sort()) {
      const f = join(p, n);
      if (statSync(f).isDirectory()) visit(f);
      else out.push({ key: relative(dir, f).split(sep).join('/'), file: f });
    }
  };
  visit(dir);
  return out;
}

const STATUS: Record<string, Exclude<RunStatus, 'queued' | 'running'>> = { FINISHED: 'done', FAILED: 'failed', KILLED: 'cancelled', RUNNING: 'crashed', SCHEDULED: 'crashed' };
const STATUS_CODES = ['crashed', 'crashed', 'done', 'failed', 'cancelled'] as const;

/** A param's text as JSON when it is a number or boolean (so `config.lr >= 0.01` filters work), else the text. */
function paramValue(text: string): unknown {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (t === 'true' || t === 'True') return true;
  if (t === 'false' || t === 'False') return false;
  return text;
}

export async function importMlflow(path: string, origin: string, onProgress?: ImportProgress): Promise<ParsedRun[]> {
  const dirs = runDirs(path);
  if (dirs.length === 0) throw new ImportError(`${origin}: no MLflow runs (folders with meta.yaml and metrics/ or params/)`);
  const runs: ParsedRun[] = [];
  for (const [n, dir] of dirs.entries()) {
    const label = `${origin}/${relative(path, dir).split(sep).join('/')}`.replace(/\/$/, '');
    onProgress?.(n / dirs.length, `reading ${label}`);
    let meta: Record<string, unknown>;
    try {
      meta = (yaml().parse(readFileSync(join(dir, 'meta.yaml'), 'utf8')) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new ImportError(`${label}/meta.yaml: not YAML (${(err as Error).message})`);
    }
    const tags = Object.fromEntries(keyFiles(join(dir, 'tags')).map(({ key, file }) => [key, readFileSync(file, 'utf8')]));
    const runId = typeof meta.run_id === 'string' ? meta.run_id : typeof meta.run_uuid === 'string' ? meta.run_uuid : relative(join(dir, '..'), dir);
    const name = (typeof meta.run_name === 'string' && meta.run_name) || tags['mlflow.runName'] || runId;
    const run = newParsedRun(name, 'mlflow', label);
    run.id = `mlflow-${runId}`;
    const config: JsonObject = {};
    for (const { key, file } of keyFiles(join(dir, 'params'))) config[key] = paramValue(readFileSync(file, 'utf8'));
    run.config = { ...config, importedFrom: { format: 'mlflow', path: label, experimentId: meta.experiment_id ?? null } };
    run.tags = Object.entries(tags)
      .filter(([k]) => !k.startsWith('mlflow.'))
      .map(([k, v]) => (v.trim() ? `${k}=${v.trim()}` : k))
      .slice(0, 50);
    const status = meta.status;
    run.status = typeof status === 'string' ? (STATUS[status] ?? 'done') : typeof status === 'number' ? (STATUS_CODES[status] ?? 'done') : 'done';
    const start = Number(meta.start_time);
    const end = Number(meta.end_time);
    if (Number.isFinite(start) && start > 0) ((run.createdAt = start), (run.startedAt = start));
    if (Number.isFinite(end) && end > 0) run.endedAt = end;
    for (const { key, file } of keyFiles(join(dir, 'metrics'))) {
      const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
      let line = 0;
      const s = seriesOf(run, key);
      for await (const text of lines) {
        line++;
        if (text.trim() === '') continue;
        const parts = text.trim().split(/\s+/);
        const where = `${label}/metrics/${key}: line ${line}`;
        if (parts.length < 2 || parts.length > 3) throw new ImportError(`${where}: expected "timestamp value step", found "${text.slice(0, 60)}"`);
        const ts = Number(parts[0]);
        const raw = parts[1];
        const value = Number(raw);
        const step = parts.length === 3 ? Number(parts[2]) : 0;
        if (!Number.isFinite(ts)) throw new ImportError(`${where}: timestamp "${parts[0]}" is not a number`);
        if (Number.isNaN(value) && !/^[+-]?(nan|inf|infinity)$/i.test(raw)) throw new ImportError(`${where}: value "${raw}" is not a number`);
        if (!Number.isInteger(step)) throw new ImportError(`${where}: step "${parts[2]}" is not an integer`);
        s.push(step, Number.isFinite(value) ? value : null, ts);
      }
    }
    runs.push(run);
  }
  onProgress?.(1, 'read');
  return runs;
}
