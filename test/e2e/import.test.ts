import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEvent, encodeFileVersion, writeEventFile } from '../fixtures/tfevents-writer';
import { resultsDir, startE2E, type E2E } from './harness';

let e: E2E;
const dir = mkdtempSync(join(tmpdir(), 'der-e2e-import-'));
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function importVia(testid: 'import-files' | 'import-folder', paths: string | string[]): Promise<void> {
  const { page, host } = e;
  if (!page.url().endsWith('#/runs')) await page.goto(`${host.url}#/runs`);
  await page.getByTestId(testid).setInputFiles(paths);
}

const note = async (): Promise<string> => ((await e.page.getByTestId('import-note').textContent().catch(() => '')) ?? '').trim();

async function openAndSeeChart(name: string, key: string, points: number): Promise<void> {
  const { page, host, wb } = e;
  const run = wb.store.runs.page({ filter: `name = "${name}"` }).runs[0];
  expect(run?.source).toBe('imported');
  await page.goto(`${host.url}#/runs/${run.id}`);
  const chart = page.getByTestId(`chart-${key}`);
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 15_000 }).toBe(points);
  await page.goto(`${host.url}#/runs`);
}

describe('import from other tools in Chromium against the browser host', () => {
  it('imports a long CSV and a wide JSONL log', async () => {
    const csv = join(dir, 'sweep.csv');
    writeFileSync(csv, 'run,key,step,value\ncsv-a,loss,0,1\ncsv-a,loss,1,0.5\ncsv-a,loss,2,0.25\ncsv-b,loss,0,2\n');
    const jsonl = join(dir, 'jsonl-run.jsonl');
    writeFileSync(jsonl, '{"step":0,"acc":0.1}\n{"step":1,"acc":0.4}\n');
    await importVia('import-files', [csv, jsonl]);
    await expect.poll(note, { timeout: 15_000 }).toBe('Imported 3 runs');
    await expect.poll(async () => e.page.locator('[data-testid="run-row"]', { hasText: 'csv-a' }).count()).toBe(1);
    await openAndSeeChart('csv-a', 'loss', 3);
    await openAndSeeChart('jsonl-run', 'acc', 2);
  });

  it('imports a TensorBoard log folder (one run per folder)', async () => {
    const root = join(dir, 'tb-logs');
    mkdirSync(join(root, 'tb-train'), { recursive: true });
    const events = [encodeFileVersion(1_700_000_000)];
    for (let s = 0; s < 50; s++) events.push(encodeEvent(1_700_000_000 + s, s, [{ tag: 'loss', tensor: 1 / (s + 1), plugin: s === 0 ? 'scalars' : undefined }]));
    writeEventFile(join(root, 'tb-train', 'events.out.tfevents.1700000000.host.1.v2'), events);
    await importVia('import-folder', root);
    await expect.poll(note, { timeout: 15_000 }).toBe('Imported 1 run');
    await openAndSeeChart('tb-train', 'loss', 50);
  });

  it('imports an MLflow mlruns folder', async () => {
    const run = join(dir, 'mlruns', '0', 'e2erun');
    mkdirSync(join(run, 'metrics'), { recursive: true });
    mkdirSync(join(run, 'params'), { recursive: true });
    mkdirSync(join(run, 'tags'), { recursive: true });
    writeFileSync(join(dir, 'mlruns', '0', 'meta.yaml'), 'experiment_id: "0"\nname: Default\n');
    writeFileSync(join(run, 'meta.yaml'), 'run_id: e2erun\nexperiment_id: "0"\nstatus: 3\nstart_time: 1700000000000\nend_time: 1700000005000\n');
    writeFileSync(join(run, 'metrics', 'rmse'), '1700000000000 3 0\n1700000001000 2 1\n1700000002000 1 2\n1700000003000 0.5 3\n');
    writeFileSync(join(run, 'params', 'alpha'), '0.5');
    writeFileSync(join(run, 'tags', 'mlflow.runName'), 'mlflow-e2e');
    await importVia('import-folder', join(dir, 'mlruns'));
    await expect.poll(note, { timeout: 15_000 }).toBe('Imported 1 run');
    await openAndSeeChart('mlflow-e2e', 'rmse', 4);
  });

  it('refuses a bad file with the file and line, and imports nothing of the batch', async () => {
    const { page, wb } = e;
    const before = wb.store.runs.page({}).total;
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'step,loss\n0,1\n');
    const bad = join(dir, 'broken.csv');
    writeFileSync(bad, 'step,loss\n0,1\n1,<b>x</b>\n');
    await importVia('import-files', [good, bad]);
    await expect.poll(async () => page.getByTestId('import-error').textContent(), { timeout: 15_000 }).toMatch(/broken\.csv: line 3: "<b>x<\/b>" is not a number/);
    expect(await page.locator('.banner b').count()).toBe(0);
    expect(wb.store.runs.page({}).total).toBe(before);
    await page.screenshot({ path: join(resultsDir, 'e2e-import-refused.png') });
  });
});
