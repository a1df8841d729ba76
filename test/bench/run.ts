/**
 * npm run bench [-- name ...]: runs test/bench/<name>.bench.ts (all by default), writes
 * bench-results/<name>.json and prints a table. Speed is reported as measured, with peers from the same run;
 * nothing here asserts a time.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../src-main/paths';
import type { BenchResult } from './types';

const root = projectRoot();
const dir = join(root, 'test', 'bench');
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(basename(f, '.bench.ts')))
  .sort();
if (files.length === 0) {
  console.error(`no benchmarks match ${wanted.join(', ')}`);
  process.exit(2);
}
mkdirSync(join(root, 'bench-results'), { recursive: true });

function printTable(rows: BenchResult['rows']): void {
  if (rows.length === 0) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v === null || v === undefined ? '' : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => fmt(r[c]).length)));
  console.log(cols.map((c, i) => c.padEnd(widths[i])).join('  '));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(cols.map((c, i) => fmt(r[c]).padEnd(widths[i])).join('  '));
}

let failed = 0;
for (const f of files) {
  const name = basename(f, '.bench.ts');
  console.log(`\n### ${name}`);
  const t0 = performance.now();
  try {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: () => Promise<BenchResult> };
    const result = await mod.default();
    const record = { ...result, when: new Date().toISOString(), seconds: (performance.now() - t0) / 1000, host: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version } };
    writeFileSync(join(root, 'bench-results', `${name}.json`), JSON.stringify(record, null, 2));
    printTable(result.rows);
    for (const n of result.notes ?? []) console.log(`note: ${n}`);
  } catch (err) {
    failed++;
    console.error(`bench ${name} failed: ${(err as Error).stack ?? String(err)}`);
  }
}
process.exit(failed ? 1 : 0);
