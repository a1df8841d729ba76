/**
 * Two seeds of the same preset through the job queue: wall time one after the other (concurrency 1) vs side
 * by side (one run per core). Non-timing kinds only: timing kinds always run alone. entropynet-train trains
 * side by side and takes the machine alone for its pipeline timings (an exclusive phase), so its ratio
 * includes those phases run one at a time. The machine's other load shares the cores, so the ratio is of this
 * run on this machine, nothing more.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '../../src-main/api/contract';
import { openWorkbench } from '../../src-main/workbench';
import type { BenchResult } from './types';

const CASES: Array<{ kind: string; preset: string }> = [
  { kind: 'entropynet-train', preset: 'Quick' },
  { kind: 'entropy-validation', preset: 'Quick' },
  { kind: 'selftest', preset: 'Default' },
];

async function twoSeeds(kind: string, config: JsonObject, concurrency: number): Promise<{ wall: number; each: number[]; statuses: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'der-bench-par-'));
  const wb = openWorkbench({ dbPath: join(dir, 'runs.db'), concurrency });
  try {
    const t0 = performance.now();
    const runs = [await wb.service.startRun(kind, { ...config, seed: 1 }), await wb.service.startRun(kind, { ...config, seed: 2 })];
    const ended = await Promise.all(runs.map((r) => wb.queue.waitFor(r.id)));
    return { wall: (performance.now() - t0) / 1000, each: ended.map((r) => (r.endedAt! - r.startedAt!) / 1000), statuses: ended.map((r) => r.status) };
  } finally {
    await wb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function queueParallelBench(): Promise<BenchResult> {
  const cores = availableParallelism();
  const rows: BenchResult['rows'] = [];
  for (const c of CASES) {
    const infoDir = mkdtempSync(join(tmpdir(), 'der-bench-info-'));
    const wb = openWorkbench({ dbPath: join(infoDir, 'runs.db'), concurrency: 1 });
    const info = (await wb.service.listExperiments()).find((e) => e.kind === c.kind);
    await wb.close();
    rmSync(infoDir, { recursive: true, force: true });
    const config = (info?.presets[c.preset] ?? {}) as JsonObject;
    // Parallel first, then sequential, then parallel again: a drift in the machine's load shows as two unequal parallel rows.
    const par1 = await twoSeeds(c.kind, config, cores);
    const seq = await twoSeeds(c.kind, config, 1);
    const par2 = await twoSeeds(c.kind, config, cores);
    const parallel = (par1.wall + par2.wall) / 2;
    rows.push({
      case: `${c.kind} ${c.preset} × 2 seeds`,
      sequentialS: seq.wall,
      parallelS: parallel,
      parallelRunsS: `${par1.wall.toFixed(1)}, ${par2.wall.toFixed(1)}`,
      ratio: parallel / seq.wall,
      concurrency: cores,
      allDone: [...par1.statuses, ...seq.statuses, ...par2.statuses].every((s) => s === 'done'),
    });
  }
  return { name: 'queue-parallel', rows, notes: ['ratio = parallel wall / sequential wall (< 1: the cores were used); load from other processes on the machine is not controlled'] };
}
