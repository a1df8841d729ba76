import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src-main/paths';
import { resultsDir, startE2E, type E2E } from './harness';

// A real attention-train run (none, entropy and the entropy-floor variant, one seed, a short schedule), made
// with `der run` and exported by `der export`; its collapse metrics are what the worker recorded.
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
  it('plots per-head cluster-mass entropy, tail mass and block accuracy over training, and lists both anchored models side by side', async () => {
    const { page, host } = e;
    const exported = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { metrics: Array<{ key: string; points: Array<[number, number | null]> }> };
    const lastOf = (key: string): number => {
      const pts = exported.metrics.find((m) => m.key === key)?.points.filter((p) => p[1] !== null) ?? [];
      return pts[pts.length - 1][1] as number;
    };
    await page.goto(`${host.url}#/runs/${runId}`);
    const section = page.getByTestId('attention-collapse');
    // The run page also draws a chart per metric series (≈ 130 here, about a minute on a loaded 2-core machine).
    await expect.poll(() => section.isVisible(), { timeout: 150_000 }).toBe(true);
    // Charts on screen draw first; the user looks at this section.
    await section.scrollIntoViewIfNeeded();
    // Every probe point of the 16 heads is drawn (plus the head-mean top-b tail beside the block tail).
    const probes = exported.metrics.find((m) => m.key === 'entropy/collapse/block_acc')?.points.length ?? 0;
    expect(probes).toBeGreaterThan(3);
    const drawn = (q: string) => page.getByTestId(`attention-collapse-${q}`).getAttribute('data-points').then(Number);
    await expect.poll(() => drawn('mass_entropy')).toBe(16 * probes);
    await expect.poll(() => drawn('tail_mass')).toBe(17 * probes);
    await expect.poll(() => drawn('block_acc')).toBe(probes);
    const rows = page.getByTestId('attention-collapse-table').locator('tbody tr');
    await expect.poll(async () => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-prefix')))).toEqual(['entropy', 'entropy-floor']);
    // The table's final head-mean tail mass is the mean of the run's last per-head values.
    const heads = exported.metrics.filter((m) => /^entropy\/collapse\/l\d+h\d+\/tail_mass$/.test(m.key)).map((m) => lastOf(m.key));
    expect(heads.length).toBe(16);
    const shown = Number(await rows.first().getAttribute('data-tail'));
    expect(shown).toBeCloseTo(heads.reduce((a, v) => a + v, 0) / heads.length, 9);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(1);
    // The variant is its own row of the main table, at the same key budget.
    await expect.poll(async () => page.getByTestId('attention-table').locator('tbody tr').evaluateAll((els) => els.map((el) => el.getAttribute('data-row')))).toContain('entropy-floor');
    await page.getByTestId('attention-collapse-model').selectOption('entropy-floor');
    await expect.poll(() => drawn('mass_entropy')).toBe(16 * (exported.metrics.find((m) => m.key === 'entropy-floor/collapse/block_acc')?.points.length ?? -1));
    await page.getByTestId('attention-collapse-model').selectOption('entropy');
    await section.screenshot({ path: join(resultsDir, 'attention-collapse.png') });
  });
});
