/**
 * The reproduction report opens in Chromium: written by the CLI's writeReport from a database holding a real
 * theory-checks run and a geometry run, it shows the tables side by side, inline SVG, the theory checks with
 * E.2's cosines (the paper's formula and ours), and its PDF exists.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';
import { openWorkbench, type Workbench } from '../../src-main/workbench';
import { writeReport } from '../../src-main/cli/reproduce';
import { run as theoryChecks } from '../../src-worker/experiments/theory-checks/run';
import { configSchema } from '../../src-worker/experiments/theory-checks/config';
import type { ExperimentContext } from '../../src-worker/experiments/types';

let browser: Browser;
let wb: Workbench;
let out: { html: string; pdf: string };

const ctx = (): ExperimentContext =>
  ({ runId: 't', seed: 1, metric() {}, metrics() {}, timing() {}, artifact() {}, progress() {}, log() {}, backend() {}, signal: new AbortController().signal, tick: async () => {}, input: () => new Uint8Array() }) as ExperimentContext;

beforeAll(async () => {
  const executablePath = await findChromium({ install: false });
  if (!executablePath) throw new Error('e2e: no Chromium; install one with `sudo apt-get install -y chromium` or set CHROMIUM_PATH');
  const dir = mkdtempSync(join(tmpdir(), 'der-report-'));
  wb = openWorkbench({ dbPath: join(dir, 'runs.db') });
  // Runs recorded through the store as a finished worker would leave them.
  const summary = await theoryChecks(configSchema.parse({ gradientConfigs: 12, maxPoints: 40, coverDistributions: 50, maxLightClusters: 10_000, continuityPairs: 500 }), ctx());
  const tc = wb.store.runs.create({ id: 'tc-run', kind: 'theory-checks', name: 'theory', config: {}, seed: 1 });
  wb.store.runs.markRunning(tc.id, { cpu: 'test cpu', cores: 2 });
  wb.store.runs.finish(tc.id, 'done', { summary: JSON.parse(JSON.stringify(summary)) });
  const link = { value: 12, ci95: [11, 13], unit: 'x', quantity: 'hull speedup', portability: 'portable', dataset: { name: 'uniform-square', kind: 'real' }, n: 10_000, method: 'chan', seeds: 5, scale: 'paper' };
  const geo = wb.store.runs.create({ id: 'geo-run', kind: 'entropynet-train', name: 'geometry', config: {}, seed: 1 });
  wb.store.runs.markRunning(geo.id, { cpu: 'test cpu', cores: 2 });
  wb.store.runs.finish(geo.id, 'done', { summary: { claims: { 'T2.synthetic-high.entropynet.speedup': link, 'T2.synthetic-high.entropynet.runtime': { ...link, value: 0.7, ci95: [0.6, 0.8], unit: 'ms', portability: 'machine-bound' }, 'T8.entropynet.speedup': { ...link, value: 0.03, ci95: [0.02, 0.04], scale: 'small-scale' } } } });
  out = await writeReport(wb, join(dir, 'report'));
  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await wb?.close();
});

describe('reproduction report', () => {
  it('opens in Chromium with the tables, inline SVG, theory checks and arithmetic; its PDF exists', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) errors.push(`fetched ${r.url()}`);
    });
    await page.goto(`file://${out.html}`);
    expect(await page.locator('h2', { hasText: 'Table 2' }).count()).toBe(1);
    expect(await page.locator('figure svg circle').count()).toBeGreaterThan(0);
    const speedup = page.locator('tr[data-claim-id="T2.synthetic-high.entropynet.speedup"]');
    expect(await speedup.locator('.v').textContent()).toBe('exceeds');
    expect(await page.locator('tr[data-claim-id="T2.synthetic-high.entropynet.runtime"] .v').textContent()).toBe('machine-bound');
    const e2 = await page.locator('tr[data-claim-id="E2.anchor-gradient"]').textContent();
    expect(e2).toMatch(/not reproduced/);
    expect(e2).toMatch(/The paper's formula: cosine median -?[\d.]+/);
    expect(e2).toMatch(/The derived .*cosine median 1/);
    expect(await page.locator('tr[data-claim-id="E4.prop1.mass-cover"]').textContent()).toMatch(/counterexample/);
    expect(await page.locator('text=disagrees').count()).toBeGreaterThan(0);
    // Break-even rows: the paper's own inputs always, ours as "no break-even" when our speedup is ≤ 1.
    const be = await page.locator('tr[data-claim-id="T8.entropynet.break-even"]').textContent();
    expect(be).toMatch(/recomputed: 27364 batches from the paper's own inputs/);
    expect(be).toMatch(/no break-even: measured speedup 0\.03× \[0\.02, 0\.04\]/);
    expect(await page.locator('tr[data-claim-id="T8.vit-base-imagenet.break-even"]').textContent()).toMatch(/recomputed: 384000 batches/);
    expect(errors).toEqual([]);
    await page.close();
    expect(existsSync(out.pdf)).toBe(true);
    expect(readFileSync(out.pdf).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
