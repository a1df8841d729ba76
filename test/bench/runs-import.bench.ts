/**
 * Runs at scale and imports. 10,000 runs: the first page of the list, a filter expression and a sort over all of
 * them in SQL (queryRuns), against the old way (load every run and filter in JS) in the same run; the Runs view
 * in Chromium against the browser host (first row on screen, a filter round trip) when the renderer is built.
 * Imports of 10⁶ rows are in metric-import.bench.ts.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';
import type { Run } from '../../src-main/api/contract';
import { startHttpHost } from '../../src-main/api/http';
import { projectRoot } from '../../src-main/paths';
import { openWorkbench } from '../../src-main/workbench';
import type { BenchResult } from './types';

const RUNS = 10_000;
const FILTER = 'kind = entropynet-train and config.lambda >= 0.05 and summary.hullErrorPct < 1';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function timeIt(n: number, fn: () => unknown): number {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

export default async function (): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'der-bench-runs-'));
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  try {
    const wb = openWorkbench({ dbPath: join(dir, 'runs.db') });
    const insert = wb.store.db.prepare(
      `INSERT INTO runs (id, kind, name, status, config, seed, summary, created_at) VALUES (?, ?, ?, 'done', ?, 42, ?, ?)`,
    );
    wb.store.transaction(() => {
      for (let i = 0; i < RUNS; i++) {
        const en = i % 4 === 0;
        insert.run(
          `run-${i}`,
          en ? 'entropynet-train' : 'selftest',
          `bench run ${i}`,
          JSON.stringify(en ? { lambda: (i % 40) / 400, epochs: 20, n: 1000 } : { steps: i % 50, delayMs: 0 }),
          JSON.stringify(en ? { hullErrorPct: (i % 7) / 3, trainMs: i } : { finalLoss: 1 / (1 + i) }),
          1_700_000_000_000 + i * 1000,
        );
      }
    });
    const svc = wb.service;
    const firstPage = timeIt(15, () => wb.store.runs.page({ roots: true, limit: 100 }));
    let matched = 0;
    const filtered = timeIt(15, () => (matched = wb.store.runs.page({ filter: FILTER, limit: 100 }).total));
    const sorted = timeIt(15, () => wb.store.runs.page({ sort: { by: 'summary.hullErrorPct', dir: 'asc' }, limit: 100 }));
    const exact = timeIt(15, () => wb.store.runs.page({ filter: 'name = "bench run 3"', limit: 100 }));
    const searched = timeIt(15, () => wb.store.runs.page({ search: 'run 3', limit: 100 }));
    // The old way: every run to the client, filtered there.
    const jsFilter = timeIt(5, () => {
      const all = wb.store.runs.list({ limit: RUNS });
      return all.filter((r: Run) => r.kind === 'entropynet-train' && Number(r.config.lambda) >= 0.05 && Number(r.summary?.hullErrorPct) < 1).length;
    });
    rows.push(
      { case: `queryRuns first page of ${RUNS} runs (median of 15)`, ms: firstPage, peer: 'list all + filter in JS', peer_ms: jsFilter, ratio_vs_peer: firstPage / jsFilter },
      { case: `filter "${FILTER}" → ${matched} runs + count`, ms: filtered, peer: 'list all + filter in JS', peer_ms: jsFilter, ratio_vs_peer: filtered / jsFilter },
      { case: 'sort all by summary.hullErrorPct, first page', ms: sorted, peer: '', peer_ms: null, ratio_vs_peer: null },
      { case: 'exact name of the oldest run (indexed)', ms: exact, peer: '', peer_ms: null, ratio_vs_peer: null },
      { case: 'contains-search over name/id/tags', ms: searched, peer: '', peer_ms: null, ratio_vs_peer: null },
    );

    const rendererDir = join(projectRoot(), 'out', 'renderer');
    const chromiumPath = await findChromium({ install: false });
    if (existsSync(join(rendererDir, 'index.html')) && chromiumPath) {
      const host = await startHttpHost(svc, { port: 0, rendererDir });
      const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        const paints: number[] = [];
        for (let k = 0; k < 5; k++) {
          const t0 = performance.now();
          await page.goto(`${host.url}#/runs`);
          await page.getByTestId('run-row').first().waitFor();
          paints.push(performance.now() - t0);
        }
        const rendered = await page.getByTestId('run-row').count();
        const filters: number[] = [];
        for (let k = 0; k < 5; k++) {
          const expr = k % 2 ? FILTER : 'kind = selftest and config.steps < 10';
          const t0 = performance.now();
          await page.getByTestId('runs-filter').fill(expr);
          await page.getByTestId('runs-filter').press('Enter');
          await page.waitForFunction((e) => (document.querySelector('[data-testid="runs-filter"]') as HTMLInputElement | null)?.value === e && /match/.test(document.querySelector('[data-testid="runs-count"]')?.textContent ?? ''), expr);
          await page.waitForFunction(
            (want) => [...document.querySelectorAll('[data-testid="run-row"]')].every((r) => (want === 'selftest' ? /selftest/.test(r.textContent ?? '') : /entropynet-train/.test(r.textContent ?? ''))),
            k % 2 ? 'entropynet-train' : 'selftest',
          );
          filters.push(performance.now() - t0);
        }
        const scrolls: number[] = [];
        const viewport = page.getByTestId('runs-viewport');
        await page.getByTestId('runs-filter').fill('');
        await page.getByTestId('runs-filter').press('Enter');
        await page.waitForFunction(() => /10,000 runs/.test(document.querySelector('[data-testid="runs-count"]')?.textContent ?? ''));
        for (const frac of [0.25, 0.5, 0.75, 1]) {
          const t0 = performance.now();
          await viewport.evaluate((el, f) => (el.scrollTop = (el.scrollHeight - el.clientHeight) * f), frac);
          await page.waitForFunction(() => document.querySelectorAll('tr.pending').length === 0 && document.querySelectorAll('[data-testid="run-row"]').length > 0);
          scrolls.push(performance.now() - t0);
        }
        // Continuous scrolling, one step per animation frame: frame intervals while rows are swapped in.
        // A string, not a function: tsx would wrap a named inner function in a helper the page does not have.
        const frames = (await page.evaluate(`new Promise((resolve) => {
          const el = document.querySelector('[data-testid="runs-viewport"]');
          el.scrollTop = 0;
          const deltas = [];
          let last = performance.now();
          let k = 0;
          const step = (now) => {
            deltas.push(now - last);
            last = now;
            el.scrollTop += 240;
            if (++k < 240) requestAnimationFrame(step);
            else resolve(deltas.slice(2));
          };
          requestAnimationFrame(step);
        })`)) as number[];
        // Peer: the same frame loop on the same page without scrolling (what this machine's headless Chromium gives).
        const idle = (await page.evaluate(`new Promise((resolve) => {
          const deltas = [];
          let last = performance.now();
          let k = 0;
          const step = (now) => {
            deltas.push(now - last);
            last = now;
            if (++k < 240) requestAnimationFrame(step);
            else resolve(deltas.slice(2));
          };
          requestAnimationFrame(step);
        })`)) as number[];
        const idleSorted = [...idle].sort((a, b) => a - b);
        const sortedFrames = [...frames].sort((a, b) => a - b);
        rows.push({
          case: `Runs view in Chromium: scroll 240 frames × 240 px, frame interval p50 / p95 (ms)`,
          ms: sortedFrames[Math.floor(sortedFrames.length / 2)],
          p95_ms: sortedFrames[Math.floor(sortedFrames.length * 0.95)],
          frames_over_33ms: frames.filter((f) => f > 33.4).length,
          // The same for the idle loop, so dropped frames can be told from a loaded machine's.
          idle_p95_ms: idleSorted[Math.floor(idleSorted.length * 0.95)],
          idle_frames_over_33ms_per_240: Math.round((idle.filter((f) => f > 33.4).length * frames.length) / idle.length),
          load_1min: Number(loadavg()[0].toFixed(1)),
          peer: 'idle frame loop, same page (p50)',
          peer_ms: idleSorted[Math.floor(idleSorted.length / 2)],
          ratio_vs_peer: sortedFrames[Math.floor(sortedFrames.length / 2)] / idleSorted[Math.floor(idleSorted.length / 2)],
        });
        rows.push(
          { case: 'Runs view in Chromium: navigation to first row (median of 5)', ms: median(paints), peer: '', peer_ms: null, ratio_vs_peer: null },
          { case: 'Runs view in Chromium: filter typed → rows of the match (median of 5)', ms: median(filters), peer: '', peer_ms: null, ratio_vs_peer: null },
          { case: 'Runs view in Chromium: jump-scroll → rows loaded (median of 4)', ms: median(scrolls), peer: '', peer_ms: null, ratio_vs_peer: null },
        );
        notes.push(`the table renders ${rendered} <tr> rows for ${RUNS} runs (virtualised)`);
      } finally {
        await browser.close();
        await host.close();
      }
    } else notes.push('Runs view in Chromium: skipped (no built renderer in out/ or no Chromium)');

    await wb.close();
    return { name: 'runs-import', rows, notes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
