/**
 * The run page's metric analysis in Chromium: search, overlay of a run's methods, smoothing (raw series kept
 * as a faint shadow), brush zoom that re-queries the store for the range and its reset, one cursor group.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src-main/paths';
import { resultsDir, startE2E, type E2E } from './harness';

let e: E2E;
let runId: string;
const STEPS = 20_000;

beforeAll(async () => {
  e = await startE2E();
  const fixture = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'e2e', 'attention-quick-run.json'), 'utf8')) as { run: Record<string, unknown> };
  const wave = (k: number) => Array.from({ length: STEPS }, (_, i) => [i, Math.exp(-i / 4000) * (1 + k) + 0.3 * Math.sin(i * 0.7), 1_800_000_000_000 + i * 10]);
  const bundle = {
    format: 'der-run-v1',
    run: { ...fixture.run, id: 'e2e-metric-analysis-0001', name: 'metric analysis', kind: 'selftest', summary: { steps: STEPS }, config: {}, parentId: null },
    metrics: [
      { key: 'none/loss', points: wave(0) },
      { key: 'entropy/loss', points: wave(1) },
      { key: 'none/acc', points: wave(2).slice(0, 50) },
      { key: 'broken/nan', points: [[0, null, 1_800_000_000_000]] },
    ],
    timings: [],
    artifacts: [],
    logs: [],
  };
  runId = (await e.wb.service.importRuns(JSON.stringify(bundle))).imported[0];
});
afterAll(async () => {
  await e?.close();
});

type ChartHost = HTMLElement & { __echarts?: { group?: string; getOption(): { series: Array<{ data: Array<[number, number | null]>; lineStyle?: { opacity?: number } }>; xAxis: Array<{ min?: number; max?: number }> } } };

describe('metric analysis on the run page', () => {
  it('searches, overlays methods, smooths over a faint raw series', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/runs/${runId}`);
    await page.getByTestId('metric-chart-none/loss').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('metric-empty').textContent()).toContain('broken/nan');
    expect(await page.locator('[data-testid^="metric-chart-"]').count()).toBe(3);
    // Each chart draws its option once: the first one (drawn inside its effect) is not drawn again.
    const charts = page.locator('[data-testid^="metric-chart-"] .plot');
    await expect.poll(() => charts.evaluateAll((els) => els.every((el) => Number(el.getAttribute('data-points')) > 0))).toBe(true);
    await page.waitForTimeout(500);
    expect(await charts.evaluateAll((els) => els.map((el) => (el as HTMLElement & { __echarts_draws?: number }).__echarts_draws))).toEqual([1, 1, 1]);

    await page.getByTestId('metric-search').fill('entropy');
    await expect.poll(() => page.locator('[data-testid^="metric-chart-"]').count()).toBe(1);
    await page.getByTestId('metric-search').fill('');

    await page.getByRole('button', { name: 'Overlay methods' }).click();
    const overlay = page.getByTestId('chart-loss');
    await overlay.waitFor();
    const lines = await overlay.evaluate((el: ChartHost) => el.__echarts!.getOption().series.length);
    expect(lines).toBe(2);

    await page.getByTestId('metric-smoothing').fill('0.9');
    await expect.poll(() => overlay.evaluate((el: ChartHost) => el.__echarts!.getOption().series.length)).toBe(4);
    const [raw, smooth] = await overlay.evaluate((el: ChartHost) => {
      const s = el.__echarts!.getOption().series;
      return [s[0], s[1]].map((x) => ({ opacity: x.lineStyle?.opacity ?? 1, first: x.data.slice(0, 50).map((p) => p[1]) }));
    });
    expect(raw.opacity).toBeLessThan(0.5);
    expect(smooth.opacity).toBe(1);
    // The smoothed line varies less than the raw one.
    const spread = (v: Array<number | null>) => Math.max(...(v as number[])) - Math.min(...(v as number[]));
    expect(spread(smooth.first)).toBeLessThan(spread(raw.first));
    // The header stacks title, the notes, the legend, then the y-axis name above the plot.
    const header = await overlay.evaluate((el: HTMLElement & { __echarts?: { getOption(): Record<string, unknown> } }) => {
      const o = el.__echarts!.getOption() as { title: Array<{ top: number; subtext: string }>; legend: Array<{ top: number }>; grid: Array<{ top: number }> };
      return { notes: o.title[0].subtext.split('\n').length, titleTop: o.title[0].top, legendTop: o.legend[0].top, gridTop: o.grid[0].top, height: el.getBoundingClientRect().height };
    });
    expect(header.notes).toBe(2);
    expect(header.legendTop).toBeGreaterThanOrEqual(header.titleTop + 20 + header.notes * 12);
    expect(header.gridTop).toBeGreaterThanOrEqual(header.legendTop + 20 + 26);
    expect(header.height - header.gridTop).toBeGreaterThanOrEqual(200);
    await page.screenshot({ path: join(resultsDir, 'e2e-metric-smoothing.png'), fullPage: true });

    // A list of objects in the run's backend (the packages it skipped) reads one line per entry, not as JSON.
    const skipped = page.getByTestId('backend-list-skipped');
    await expect.poll(() => skipped.locator('li').count()).toBe(2);
    const entries = await skipped.locator('li').allTextContents();
    expect(entries[0]).toMatch(/^@tensorflow\/tfjs-node-gpu — Cannot find package/);
    expect(await skipped.textContent()).not.toContain('{');
  });

  it('a brush zoom re-queries the store for the range, reset brings the whole run back; charts share a cursor group', async () => {
    const { page } = e;
    await page.getByTestId('metric-smoothing').fill('0');
    const cell = page.getByTestId('metric-chart-loss');
    const chart = page.getByTestId('chart-loss');
    const box = (await chart.boundingBox())!;
    const before = Number(await chart.getAttribute('data-points'));
    // Drag across the middle of the plot.
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.55, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => cell.getAttribute('data-zoomed'), { timeout: 10_000 }).toMatch(/^\d+-\d+$/);
    const [a, b] = (await cell.getAttribute('data-zoomed'))!.split('-').map(Number);
    expect(b - a).toBeLessThan(STEPS / 2);
    expect(a).toBeGreaterThan(0);
    // Charts draw one per frame: wait until this one shows the range.
    await expect.poll(() => chart.evaluate((el: ChartHost) => el.__echarts!.getOption().xAxis[0].min)).toBe(a);
    const zoomed = await chart.evaluate((el: ChartHost) => {
      const o = el.__echarts!.getOption();
      return { min: o.xAxis[0].min, max: o.xAxis[0].max, steps: o.series[0].data.map((p) => p[0]) };
    });
    expect(zoomed.min).toBe(a);
    expect(zoomed.max).toBe(b);
    expect(Math.min(...zoomed.steps)).toBeGreaterThanOrEqual(a);
    expect(Math.max(...zoomed.steps)).toBeLessThanOrEqual(b);
    // Finer than the whole-run view: the store answered for the range, not the browser from the old points.
    const whole = STEPS / (before / 2);
    expect(zoomed.steps.length / (b - a + 1)).toBeGreaterThan(1 / whole);
    await page.screenshot({ path: join(resultsDir, 'e2e-metric-zoom.png'), fullPage: true });

    // The brush stays on after the chart was redrawn with the zoomed data: a second drag zooms further in.
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.55, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => cell.getAttribute('data-zoomed'), { timeout: 10_000 }).not.toBe(`${a}-${b}`);
    const [a2, b2] = (await cell.getAttribute('data-zoomed'))!.split('-').map(Number);
    expect(a2).toBeGreaterThanOrEqual(a);
    expect(b2).toBeLessThanOrEqual(b);

    await page.getByTestId('metric-zoom-reset').click();
    await expect.poll(() => cell.getAttribute('data-zoomed')).toBe('');
    await expect.poll(() => chart.evaluate((el: ChartHost) => Math.max(...el.__echarts!.getOption().series[0].data.map((p) => p[0])))).toBeGreaterThan(STEPS - 64);

    // Shift + wheel over the plot zooms in about the cursor and re-queries like the brush (the reset's click
    // scrolled the page: the chart is measured again).
    const at = (await chart.boundingBox())!;
    await page.mouse.move(at.x + at.width * 0.5, at.y + at.height * 0.55);
    await page.keyboard.down('Shift');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Shift');
    await expect.poll(() => cell.getAttribute('data-zoomed'), { timeout: 10_000 }).toMatch(/^\d+-\d+$/);
    const [c, d] = (await cell.getAttribute('data-zoomed'))!.split('-').map(Number);
    expect(c).toBeGreaterThan(0);
    expect(d).toBeLessThan(STEPS - 1);
    await page.getByTestId('metric-zoom-reset').click();
    await expect.poll(() => cell.getAttribute('data-zoomed')).toBe('');

    // Charts over the same steps share a cursor group; the 50-step chart is not tied to the 20,000-step ones.
    await page.getByRole('button', { name: 'By prefix' }).click();
    await page.getByTestId('chart-entropy/loss').waitFor();
    const group = (id: string) => page.getByTestId(id).evaluate((el: ChartHost) => el.__echarts?.group ?? null);
    expect(await group('chart-entropy/loss')).toBe(await group('chart-none/loss'));
    expect(await group('chart-entropy/loss')).not.toBeNull();
    expect(await group('chart-none/acc')).not.toBe(await group('chart-none/loss'));
  });
});

describe('exported figures in Chromium', () => {
  it('opens every paper-theme SVG export as an SVG document without a parser error', async () => {
    const { figureSvg } = await import('../../src-main/figure-export/render');
    const { figureGallery } = await import('../unit/main/figures/gallery');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'der-svg-chromium-'));
    const page = await e.browser.newPage();
    try {
      for (const fig of figureGallery('run <A> & "B"')) {
        const file = join(dir, `${fig.name}.svg`);
        writeFileSync(file, figureSvg(fig.option, { theme: 'paper', widthPt: 234, heightPt: 173, fontPt: 8 }));
        await page.goto(`file://${file}`);
        const doc = await page.evaluate(() => ({ root: document.documentElement.nodeName, errors: document.getElementsByTagName('parsererror').length, texts: document.getElementsByTagName('text').length }));
        expect(doc, fig.name).toEqual({ root: 'svg', errors: 0, texts: doc.texts });
        expect(doc.texts, fig.name).toBeGreaterThan(0);
      }
    } finally {
      await page.close();
    }
  });
});

describe('figure export from the app', () => {
  it('Save figure → PDF in the paper theme: a PDF with its fonts embedded; Export all figures writes every figure', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/runs/${runId}`);
    const cell = page.getByTestId('metric-chart-none/loss');
    await cell.waitFor({ timeout: 20_000 });
    await cell.getByRole('button', { name: /Save figure/ }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), cell.getByTestId('save-paper-pdf').click()]);
    const pdfPath = join(resultsDir, 'e2e-paper-figure.pdf');
    await download.saveAs(pdfPath);
    const { checkPdfFile } = await import('../unit/main/cli/file-checks');
    expect(checkPdfFile(readFileSync(pdfPath), pdfPath).widthPt).toBeCloseTo(234, 0);

    await page.evaluate(() => {
      (window as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker = undefined;
    });
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await page.getByTestId('export-all-figures').click();
    await expect.poll(async () => page.getByTestId('export-all-message').textContent(), { timeout: 60_000 }).toMatch(/^\d+ files written$/);
    const n = Number((await page.getByTestId('export-all-message').textContent())!.split(' ')[0]);
    expect(n).toBeGreaterThanOrEqual(2 * 3);
    await expect.poll(() => downloads.length, { timeout: 20_000 }).toBe(n);
    expect(downloads).toContain('metric_none_loss.pdf');
  });
});
