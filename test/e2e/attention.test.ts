import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src-main/paths';
import { resultsDir, startE2E, type E2E } from './harness';

let e: E2E;
let runId: string;
beforeAll(async () => {
  e = await startE2E();
  // A real attention-train Quick run (≈3 min to produce), exported by `der export` and imported here.
  const text = readFileSync(join(projectRoot(), 'test', 'fixtures', 'e2e', 'attention-quick-run.json'), 'utf8');
  runId = (await e.wb.service.importRuns(text)).imported[0];
});
afterAll(async () => {
  await e?.close();
});

describe('attention panel', () => {
  it('shows the analogue banner, the gallery with IoU badges for every method, and the table', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/runs/${runId}`);
    await page.getByTestId('attention-panel').waitFor();
    await expect.poll(async () => page.getByTestId('attention-cell').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const methods = await page.getByTestId('attention-cell').evaluateAll((els) => [...new Set(els.map((el) => el.getAttribute('data-method')))]);
    expect(methods.sort()).toEqual(['entropy', 'none']);
    const iou = Number(await page.getByTestId('attention-iou').first().getAttribute('data-iou'));
    expect(iou).toBeGreaterThanOrEqual(0);
    expect(iou).toBeLessThanOrEqual(1);
    await expect.poll(async () => page.getByTestId('attention-table').locator('tr').count()).toBeGreaterThan(1);
    // Table 19 analogue: a pruning row per (model, kernel, target) of the run, and its chart.
    const run = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'e2e', 'attention-quick-run.json'), 'utf8')) as { run: { summary: { pruning: unknown[] } } };
    const pruningRows = run.run.summary.pruning.length;
    expect(pruningRows).toBeGreaterThan(0);
    await expect.poll(async () => page.getByTestId('attention-pruning-table').locator('tbody tr').count()).toBe(pruningRows);
    await page.getByTestId('attention-pruning').waitFor();
    await page.screenshot({ path: join(resultsDir, 'e2e-attention-run.png'), fullPage: true });
  });
});
