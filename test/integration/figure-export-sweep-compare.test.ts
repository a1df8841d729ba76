/**
 * `der figure` for a sweep (its Sweep panel figures: a finished sweep's from its summary, a running one's from its
 * child runs) and for several runs (Compare's overlays, seed bands, scatter, parallel coordinates): listed by
 * `--list`, and each exported in the paper theme at 3.25 in as SVG (XML parser, xmllint, rsvg-convert), PDF
 * (pdfinfo, fonts embedded) and PNG.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, Run } from '../../src-main/api/contract';
import { allFigures } from '../../src-main/cli/figure';
import { runFigures } from '../../src-main/figure-export/run-figures';
import { checkFigureFiles, checkSvgFile } from '../unit/main/cli/file-checks';
import { runDer } from './cli-process';
import { tempWorkbench, type TempWorkbench } from './helpers';

let wb: TempWorkbench;
const COMPARE = ['cmp-a1', 'cmp-a2', 'cmp-b1', 'cmp-b2'];

const est = (mean: number): JsonObject => ({ mean, ci95: [mean * 0.8, mean * 1.2], n: 3 });
const childSummary = (e2e: number, alg: number, err: number): JsonObject => ({
  headline: { end_to_end_speedup: est(e2e), algorithm_speedup: est(alg), hull_error_pct: est(err), exact_end_to_end_speedup: null },
  final_validation: { 'val/h_hard_nats': 2 },
  train_time_s: 12,
});

function run(over: Partial<Run> & Pick<Run, 'id' | 'kind' | 'name'>): Run {
  return {
    status: 'done', config: {}, seed: 0, summary: null, backend: null, host: null, createdAt: 1_800_000_000_000, startedAt: null, endedAt: null,
    progress: 1, progressMessage: '', error: null, exitInfo: null, tags: [], notes: '', parentId: null, source: 'imported',
    ...over,
  };
}

beforeAll(() => {
  wb = tempWorkbench();
  const runs = wb.store.runs;
  // A finished λ sweep: children in its summary.
  const lambdas = [0.01, 0.1, 1];
  runs.insertImported(
    run({
      id: 'sweep-done',
      kind: 'sweep',
      name: 'λ sweep',
      summary: {
        kind: 'entropynet-train',
        grid: { lambda: lambdas },
        done: 3,
        total: 3,
        children: lambdas.map((lambda, i) => ({ runId: `c${i}`, params: { lambda }, status: 'done', error: null, summary: childSummary(0.02 + i / 100, 1 + i, 5 + 10 * i) })),
      },
    }),
  );
  // A running k × α sweep: its children are runs with it as parent.
  runs.create({ id: 'sweep-live', kind: 'sweep', name: 'k × α', status: 'running', seed: 0, config: { kind: 'entropynet-train', grid: { k: [8, 16], alpha: [1, 10] } } });
  const finish = wb.store.db.prepare("UPDATE runs SET status = 'done', summary = ? WHERE id = ?");
  let i = 0;
  for (const k of [8, 16]) {
    for (const alpha of [1, 10]) {
      runs.create({ id: `live-${i}`, kind: 'entropynet-train', name: `k${k}-a${alpha}`, parentId: 'sweep-live', seed: 0, config: { k, alpha } });
      finish.run(JSON.stringify(childSummary(0.03 * (i + 1), 1.5 + i, 10 + i)), `live-${i}`);
      i++;
    }
  }
  // Four runs for Compare: two settings of lr, two seeds each.
  COMPARE.forEach((id, j) => {
    const lr = j < 2 ? 0.1 : 0.01;
    runs.insertImported(run({ id, kind: 'selftest', name: id, config: { lr, seed: j % 2 }, summary: { finalLoss: lr * 2 + j / 100 } }));
    const steps = Array.from({ length: 60 }, (_, s) => s);
    wb.store.transaction(() => wb.store.metrics.appendSeries(id, 'loss', steps, steps.map((s) => Math.exp(-s / 20) * (1 + lr) + j / 50), steps.map((s) => 1_800_000_000_000 + s)));
  });
});
afterAll(async () => wb.dispose());

const der = (...args: string[]) => runDer(wb.dbPath, ...args, '--db', wb.dbPath);

async function exportsOpen(runIds: string[], sub: string): Promise<string[]> {
  const dir = `${wb.dir}/${sub}`;
  const written = await allFigures(wb, runIds, dir, { theme: 'paper', width: '3.25in' }, ['svg', 'pdf', 'png']);
  expect(written.length).toBe(3 * (await runFigures(wb.service, runIds)).length);
  checkFigureFiles(written, 234);
  return written;
}

describe('sweep and Compare figures in der figure', () => {
  it('a finished λ sweep: the trade-off and one curve per value; a running k × α sweep: a heatmap per value from its child runs', async () => {
    const done = (await runFigures(wb.service, ['sweep-done'])).map((f) => f.name);
    expect(done).toContain('sweep-tradeoff');
    expect(done).toContain('sweep-line:hull_error_pct');
    expect(done).toContain('sweep-line:end_to_end_speedup');
    const live = (await runFigures(wb.service, ['sweep-live'])).map((f) => f.name);
    expect(live).toContain('sweep-heatmap:end_to_end_speedup');
    expect(live.some((n) => n.startsWith('sweep-line') || n === 'sweep-tradeoff')).toBe(false);
    const heat = await (await runFigures(wb.service, ['sweep-live'])).find((f) => f.name === 'sweep-heatmap:end_to_end_speedup')!.build();
    // Every child of the live sweep is a cell with its value.
    const cells = (heat.series as Array<{ id?: string; data: Array<{ value: [number, number, number | '-'] }> }>).find((s) => s.id === 'sweep-cells')!.data;
    expect(cells.filter((c) => typeof c.value[2] === 'number')).toHaveLength(4);
    await exportsOpen(['sweep-done'], 'sweep-done');
    await exportsOpen(['sweep-live'], 'sweep-live');
  }, 300_000);

  it('several runs: overlays, seed bands grouped without the seed, a scatter and parallel coordinates', async () => {
    const figures = await runFigures(wb.service, COMPARE);
    const names = figures.map((f) => f.name);
    expect(names).toEqual(['metric:loss', 'seed-band:loss', 'scatter:summary.finalLoss:config.lr', 'parallel']);
    const band = await figures[1].build();
    const legend = (band.legend as { data: string[] }).data;
    expect(legend).toEqual(['lr=0.1 (n=2)', 'lr=0.01 (n=2)']);
    const scatter = await figures[2].build();
    expect((scatter.series as Array<{ data: unknown[] }>)[0].data).toHaveLength(4);
    await exportsOpen(COMPARE, 'compare');
  }, 300_000);

  it('der figure --list names them, and a named one is written', async () => {
    const list = await der('figure', '--list', 'sweep-done');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^sweep-tradeoff\s/m);
    expect(list.stdout).toMatch(/^sweep-line:hull_error_pct\s/m);
    const several = await der('figure', '--list', ...COMPARE);
    expect(several.code, several.stderr).toBe(0);
    expect(several.stdout).toMatch(/^seed-band:loss\s/m);
    expect(several.stdout).toMatch(/^parallel\s/m);
    const svg = `${wb.dir}/band.svg`;
    const one = await der('figure', ...COMPARE, 'seed-band:loss', '--theme', 'paper', '--width', '3.25in', '--out', svg);
    expect(one.code, one.stderr).toBe(0);
    checkSvgFile(readFileSync(svg, 'utf8'), svg);
  }, 600_000);
});
