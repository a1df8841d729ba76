import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src-main/paths';
import { resultsDir, startE2E, type E2E } from './harness';

// A real attention-train run (none, entropy and the entropy-floor and entropy-per-image variants, one seed, 96 steps
// of the recipe's tiny ViT: patch 8, 2 blocks × 4 heads), made with `der run attention-train --config C` (C is the
// fixture's run.config) and exported by `der export`; its collapse metrics are what the worker recorded.
const FIXTURE = join(projectRoot(), 'test', 'fixtures', 'e2e', 'attention-collapse-run.json');

let e: E2E;
let runId: string;
beforeAll(async () => {
  e = await startE2E();
  runId = (await e.wb.service.importRuns(readFileSync(FIXTURE, 'utf8'))).imported[0];
});
afterAll(async () => {
  await e?.close();
});

describe('attention panel: key-cluster collapse', () => {
  it('plots per-head cluster-mass entropy, tail mass and block accuracy over training, and lists every anchored model side by side', async () => {
    const { page, host } = e;
    const exported = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { metrics: Array<{ key: string; points: Array<[number, number | null]> }> };
    const lastOf = (key: string): number => {
      const pts = exported.metrics.find((m) => m.key === key)?.points.filter((p) => p[1] !== null) ?? [];
      return pts[pts.length - 1][1] as number;
    };
    const probesOf = (prefix: string): number => exported.metrics.find((m) => m.key === `${prefix}/collapse/block_acc`)?.points.length ?? -1;
    const headTails = (prefix: string): number[] =>
      exported.metrics.filter((m) => m.key.startsWith(`${prefix}/collapse/`) && /\/collapse\/l\d+h\d+\/tail_mass$/.test(m.key)).map((m) => lastOf(m.key));
    const meanOf = (xs: number[]): number => xs.reduce((a, v) => a + v, 0) / xs.length;
    // 2 blocks × 4 heads.
    const heads = headTails('entropy').length;
    expect(heads).toBe(8);
    await page.goto(`${host.url}#/runs/${runId}`);
    const section = page.getByTestId('attention-collapse');
    // The run page also draws a chart per metric series (≈ 110 here).
    await expect.poll(() => section.isVisible(), { timeout: 150_000 }).toBe(true);
    // Charts on screen draw first; the user looks at this section.
    await section.scrollIntoViewIfNeeded();
    // Every probe point of every head is drawn (plus the head-mean top-b tail beside the block tail).
    const probes = probesOf('entropy');
    expect(probes).toBeGreaterThan(3);
    const drawn = (q: string) => page.getByTestId(`attention-collapse-${q}`).getAttribute('data-points').then(Number);
    await expect.poll(() => drawn('mass_entropy')).toBe(heads * probes);
    await expect.poll(() => drawn('tail_mass')).toBe((heads + 1) * probes);
    await expect.poll(() => drawn('block_acc')).toBe(probes);
    const rows = page.getByTestId('attention-collapse-table').locator('tbody tr');
    await expect.poll(async () => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-prefix')))).toEqual(['entropy', 'entropy-floor', 'entropy-per-image']);
    // The table's final head-mean tail mass is the mean of the run's last per-head values, for each model.
    for (const prefix of ['entropy', 'entropy-per-image']) {
      const tails = headTails(prefix);
      expect(tails.length).toBe(heads);
      const shown = Number(await page.getByTestId('attention-collapse-table').locator(`tbody tr[data-prefix="${prefix}"]`).getAttribute('data-tail'));
      expect(shown).toBeCloseTo(meanOf(tails), 9);
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThanOrEqual(1);
    }
    // The variants are rows of their own in the main table, at the same key budget.
    await expect
      .poll(async () => page.getByTestId('attention-table').locator('tbody tr').evaluateAll((els) => els.map((el) => el.getAttribute('data-row'))))
      .toEqual(expect.arrayContaining(['entropy-floor', 'entropy-per-image']));
    await page.getByTestId('attention-collapse-model').selectOption('entropy-floor');
    await expect.poll(() => drawn('mass_entropy')).toBe(heads * probesOf('entropy-floor'));
    // The per-image variant's curves: every head's probe points, its own step count.
    await page.getByTestId('attention-collapse-model').selectOption('entropy-per-image');
    expect(probesOf('entropy-per-image')).toBeGreaterThan(3);
    await expect.poll(() => drawn('mass_entropy')).toBe(heads * probesOf('entropy-per-image'));
    await expect.poll(() => drawn('tail_mass')).toBe((heads + 1) * probesOf('entropy-per-image'));
    await expect.poll(() => drawn('block_acc')).toBe(probesOf('entropy-per-image'));
    await section.screenshot({ path: join(resultsDir, 'attention-collapse-entropy-per-image.png') });
    await page.getByTestId('attention-collapse-model').selectOption('entropy');
    await expect.poll(() => drawn('mass_entropy')).toBe(heads * probes);
    await section.screenshot({ path: join(resultsDir, 'attention-collapse.png') });
  });
});
