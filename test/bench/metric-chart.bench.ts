/**
 * A 10⁶-step metric: the data of the first chart (the whole run, ≤ MAX_POINTS points from the min/max pyramid)
 * and a zoom re-query (a sub-range at the same point budget), from the store, over the HTTP API, and in
 * Chromium against the browser host (run page opened → first chart drawn; brush released → zoomed chart drawn)
 * when the renderer is built. Peer: reading every raw row of the series, what a store without the pyramid returns.
 * METRIC_CHART_BASELINE=<dir of another built renderer> (e.g. one built from an earlier commit) opens the run page
 * with it too, interleaved with out/renderer against the same host and store, as the peer of the Chromium rows;
 * METRIC_CHART_ROUNDS=<n> (default 5) rounds of the Chromium cases.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';
import type { MetricSeries, RunDetail } from '../../src-main/api/contract';
import { startHttpHost } from '../../src-main/api/http';
import { projectRoot } from '../../src-main/paths';
import { openWorkbench } from '../../src-main/workbench';
import type { BenchResult } from './types';

const STEPS = 1_000_000;
/** The run page's point budget per series (MAX_POINTS in src-renderer/src/run-detail.svelte.ts, a browser module). */
const MAX_POINTS = 2000;
const RUN = 'bench-metric-1e6';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Rounds of the Chromium cases (METRIC_CHART_ROUNDS, default 5): more for a comparison on a loaded machine. */
const ROUNDS = Math.max(1, Number(process.env.METRIC_CHART_ROUNDS) || 5);
/** A renderer built elsewhere (an earlier commit) to open the run page with, interleaved: the Chromium rows' peer. */
const baselineDir = process.env.METRIC_CHART_BASELINE || null;
const vsBaseline = (xs: number[], base: number[]): Pick<BenchResult['rows'][number], 'peer' | 'peer_ms' | 'ratio_vs_peer'> =>
  base.length ? { peer: 'baseline renderer (METRIC_CHART_BASELINE)', peer_ms: median(base), ratio_vs_peer: median(xs) / median(base) } : { peer: '', peer_ms: null, ratio_vs_peer: null };

export default async function (): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'der-bench-chart-'));
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  try {
    const wb = openWorkbench({ dbPath: join(dir, 'runs.db') });
    wb.store.runs.create({ id: RUN, kind: 'selftest', name: 'one million steps', config: {}, seed: 1 });
    const steps = Float64Array.from({ length: STEPS }, (_, i) => i);
    const walls = Float64Array.from({ length: STEPS }, (_, i) => 1_800_000_000_000 + i * 5);
    for (const [key, f] of [
      ['loss', (i: number) => Math.exp(-i / 2e5) + 0.1 * Math.sin(i / 37) + (i % 100_003 === 0 ? 3 : 0)],
      ['acc', (i: number) => 1 - Math.exp(-i / 3e5) + 0.05 * Math.cos(i / 91)],
      ['lr', (i: number) => 0.001 * (1 + Math.cos((Math.PI * i) / STEPS)) / 2],
    ] as const) {
      const values = Float64Array.from({ length: STEPS }, (_, i) => f(i));
      wb.store.transaction(() => wb.store.metrics.appendSeries(RUN, key, steps, values, walls));
    }
    const load = Number(loadavg()[0].toFixed(1));

    // Store: the whole run, then zooms of several widths at random places (same ranges for every run of the bench).
    const zooms: Array<[number, number]> = [];
    for (let k = 0; k < 30; k++) {
      const width = [500, 5_000, 50_000, 400_000][k % 4];
      const from = Math.floor(((k * 7919) % 997) / 997 * (STEPS - width));
      zooms.push([from, from + width]);
    }
    const time = (fn: () => unknown): number => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    };
    const whole: number[] = [];
    const zoom: number[] = [];
    const raw: number[] = [];
    const withWall: number[] = [];
    let points = 0;
    for (let k = 0; k < 15; k++) {
      // As the run page asks with x = step (wall times are fetched once, when x becomes time).
      whole.push(time(() => (points = wb.store.metrics.query(RUN, 'loss', { maxPoints: MAX_POINTS }).points.length)));
      const [a, b] = zooms[k % zooms.length];
      zoom.push(time(() => wb.store.metrics.query(RUN, 'loss', { maxPoints: MAX_POINTS, fromStep: a, toStep: b })));
      withWall.push(time(() => wb.store.metrics.query(RUN, 'loss', { maxPoints: MAX_POINTS, withWallTime: true })));
      if (k < 5) raw.push(time(() => wb.store.metrics.allRows(RUN, 'loss')));
    }
    rows.push(
      { case: `store: whole 10^6-step series → ${points} points (median of 15)`, ms: median(whole), load_1min: load, peer: 'every raw row of the series', peer_ms: median(raw), ratio_vs_peer: median(whole) / median(raw) },
      { case: 'store: whole series with each point\'s wall time (x = time; median of 15)', ms: median(withWall), load_1min: load, peer: 'every raw row of the series', peer_ms: median(raw), ratio_vs_peer: median(withWall) / median(raw) },
      { case: 'store: zoom re-query, widths 500…400,000 steps (median of 15)', ms: median(zoom), load_1min: load, peer: 'every raw row of the series', peer_ms: median(raw), ratio_vs_peer: median(zoom) / median(raw) },
    );

    const rendererDir = join(projectRoot(), 'out', 'renderer');
    const host = await startHttpHost(wb.service, { port: 0, rendererDir });
    try {
      const call = async <T>(method: string, args: unknown[]): Promise<T> => {
        const res = await fetch(new URL(`api/${method}`, host.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
        if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      };
      const httpPage: number[] = [];
      const httpTwoSteps: number[] = [];
      const httpWhole: number[] = [];
      const httpZoom: number[] = [];
      for (let k = 0; k < 11; k++) {
        // What the run page asks: the run with every series in one answer; before, the run then its series.
        let t0 = performance.now();
        await call<RunDetail>('getRun', [RUN, { metrics: { maxPoints: MAX_POINTS } }]);
        httpPage.push(performance.now() - t0);
        t0 = performance.now();
        const detail = await call<RunDetail>('getRun', [RUN]);
        await call<MetricSeries[]>('getMetrics', [RUN, detail.series.map((x) => x.key), { maxPoints: MAX_POINTS }]);
        httpTwoSteps.push(performance.now() - t0);
        t0 = performance.now();
        await call<MetricSeries[]>('getMetrics', [RUN, ['loss', 'acc', 'lr'], { maxPoints: MAX_POINTS }]);
        httpWhole.push(performance.now() - t0);
        const [a, b] = zooms[k];
        t0 = performance.now();
        await call<MetricSeries[]>('getMetrics', [RUN, ['loss'], { maxPoints: MAX_POINTS, fromStep: a, toStep: b }]);
        httpZoom.push(performance.now() - t0);
      }
      rows.push(
        { case: 'HTTP API: the run page request, getRun with its 3 series (3 keys × 10^6 steps, median of 11)', ms: median(httpPage), load_1min: load, peer: 'getRun, then getMetrics of its keys', peer_ms: median(httpTwoSteps), ratio_vs_peer: median(httpPage) / median(httpTwoSteps) },
        { case: 'HTTP API: getMetrics of the 3 keys (median of 11)', ms: median(httpWhole), load_1min: load, peer: '', peer_ms: null, ratio_vs_peer: null },
        { case: 'HTTP API: zoom re-query of one chart (median of 11)', ms: median(httpZoom), load_1min: load, peer: '', peer_ms: null, ratio_vs_peer: null },
      );

      const chromiumPath = await findChromium({ install: false });
      if (existsSync(join(rendererDir, 'index.html')) && chromiumPath) {
        const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
        try {
          const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
          const firsts: number[] = [];
          const allDrawn: number[] = [];
          const zoomed: number[] = [];
          const allZoomed: number[] = [];
          const zoomedInPage: number[] = [];
          const allZoomedInPage: number[] = [];
          const keys = ['loss', 'acc', 'lr'];
          /**
           * From the runs list to the run page: the time to its first chart drawn, then to all three, as the driver
           * sees them; and in the page, from the hashchange to the frame after the first chart's points were set.
           */
          const openRunPage = async (p: Page, url: string): Promise<{ first: number; all: number; inPage: number; armed: number }> => {
            await p.goto(`${url}#/runs`);
            await p.getByTestId('run-row').first().waitFor();
            await p.evaluate(() => {
              const w = window as unknown as { __openProbe: { hash: number; first: number } };
              w.__openProbe = { hash: Number.NaN, first: Number.NaN };
              window.addEventListener('hashchange', (e) => (w.__openProbe.hash = e.timeStamp), { once: true });
              new MutationObserver((records, observer) => {
                if (!records.some((r) => Number((r.target as Element).getAttribute('data-points') ?? 0) > 0)) return;
                observer.disconnect();
                requestAnimationFrame(() => (w.__openProbe.first = performance.now()));
              }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-points'] });
            });
            const t0 = performance.now();
            await p.goto(`${url}#/runs/${RUN}`);
            // Charts are drawn one per frame: the first of them, then all three.
            await p.waitForFunction((ks) => ks.some((k) => Number(document.querySelector(`[data-testid="chart-${k}"]`)?.getAttribute('data-points') ?? 0) > 0), keys, { timeout: 30_000 });
            const first = performance.now() - t0;
            await p.waitForFunction((ks) => ks.every((k) => Number(document.querySelector(`[data-testid="chart-${k}"]`)?.getAttribute('data-points') ?? 0) > 0), keys, { timeout: 30_000 });
            const all = performance.now() - t0;
            const inPage = await p.evaluate(() => {
              const probe = (window as unknown as { __openProbe: { hash: number; first: number } }).__openProbe;
              return probe.first - probe.hash;
            });
            // Once more with the driver's poll set before the navigation: the same event seen by the driver, without
            // its goto and poll set-up in series (the first chart can be drawn before the poll above is in place).
            await p.goto(`${url}#/runs`);
            await p.getByTestId('run-row').first().waitFor();
            const t1 = performance.now();
            const drawn = p.waitForFunction((ks) => ks.some((k) => Number(document.querySelector(`[data-testid="chart-${k}"]`)?.getAttribute('data-points') ?? 0) > 0), keys, { timeout: 30_000 });
            await p.goto(`${url}#/runs/${RUN}`);
            await drawn;
            const armed = performance.now() - t1;
            await p.waitForFunction((ks) => ks.every((k) => Number(document.querySelector(`[data-testid="chart-${k}"]`)?.getAttribute('data-points') ?? 0) > 0), keys, { timeout: 30_000 });
            return { first, all, inPage, armed };
          };
          const baseline = baselineDir && existsSync(join(baselineDir, 'index.html')) ? { host: await startHttpHost(wb.service, { port: 0, rendererDir: baselineDir }), page: await browser.newPage({ viewport: { width: 1400, height: 900 } }) } : null;
          if (baselineDir && !baseline) notes.push(`METRIC_CHART_BASELINE ${baselineDir} has no index.html: no baseline rows`);
          const baseFirsts: number[] = [];
          const baseAllDrawn: number[] = [];
          const baseInPage: number[] = [];
          const baseArmed: number[] = [];
          const firstsInPage: number[] = [];
          const firstsArmed: number[] = [];
          for (let k = 0; k < ROUNDS; k++) {
            // The baseline renderer's page, before this build's on even rounds and after it on odd ones.
            const runBaseline = async (): Promise<void> => {
              if (!baseline) return;
              const m = await openRunPage(baseline.page, baseline.host.url);
              baseFirsts.push(m.first);
              baseAllDrawn.push(m.all);
              baseInPage.push(m.inPage);
              baseArmed.push(m.armed);
            };
            if (k % 2 === 0) await runBaseline();
            const m = await openRunPage(page, host.url);
            firsts.push(m.first);
            allDrawn.push(m.all);
            firstsInPage.push(m.inPage);
            firstsArmed.push(m.armed);
            if (k % 2 === 1) await runBaseline();
            await page.getByTestId('metric-smoothing').fill('0');
            const chart = page.getByTestId('chart-loss');
            const box = (await chart.boundingBox())!;
            await page.mouse.move(box.x + box.width * (0.3 + 0.05 * (k % 5)), box.y + box.height * 0.5);
            await page.mouse.down();
            await page.mouse.move(box.x + box.width * (0.36 + 0.05 * (k % 5)), box.y + box.height * 0.55, { steps: 4 });
            // In the page: the pointerup's time and, for each chart, the frame after each setOption with the
            // x-axis min it set, so the brush's latency is the page's own, without CDP round trips.
            await page.evaluate((ks) => {
              type Probe = { up: number; drawn: Record<string, Array<[number, number | undefined]>> };
              const w = window as unknown as { __zoomProbe: Probe };
              w.__zoomProbe = { up: Number.NaN, drawn: {} };
              window.addEventListener('pointerup', (e) => (w.__zoomProbe.up = e.timeStamp), { capture: true, once: true });
              for (const key of ks) {
                const el = document.querySelector(`[data-testid="chart-${key}"]`) as (Element & { __echarts?: { setOption: (o: unknown, ...r: unknown[]) => unknown; __probe?: boolean } }) | null;
                const inst = el?.__echarts;
                if (!inst) continue;
                const drawn: Array<[number, number | undefined]> = (w.__zoomProbe.drawn[key] = []);
                if (inst.__probe) continue;
                inst.__probe = true;
                const setOption = inst.setOption.bind(inst);
                inst.setOption = (o: unknown, ...rest: unknown[]) => {
                  const r = setOption(o, ...rest);
                  const axis = (o as { xAxis?: { min?: number } | Array<{ min?: number }> }).xAxis;
                  const min = Array.isArray(axis) ? axis[0]?.min : axis?.min;
                  requestAnimationFrame(() => (w.__zoomProbe.drawn[key] ?? drawn).push([performance.now(), min]));
                  return r;
                };
              }
            }, keys);
            const z0 = performance.now();
            await page.mouse.up();
            await page.waitForFunction(() => /^\d+-\d+$/.test(document.querySelector('[data-testid="metric-chart-loss"]')?.getAttribute('data-zoomed') ?? ''), undefined, { timeout: 30_000 });
            // Drawn: the chart's x axis spans the zoomed range.
            await page.waitForFunction(() => {
              const cell = document.querySelector('[data-testid="metric-chart-loss"]');
              const el = document.querySelector('[data-testid="chart-loss"]') as (Element & { __echarts?: { getOption(): { xAxis: Array<{ min?: number }> } } }) | null;
              const z = cell?.getAttribute('data-zoomed')?.split('-').map(Number);
              return !!z && el?.__echarts?.getOption().xAxis[0].min === z[0];
            });
            zoomed.push(performance.now() - z0);
            await page.waitForFunction((ks) => {
              const z = document.querySelector('[data-testid="metric-chart-loss"]')?.getAttribute('data-zoomed')?.split('-').map(Number);
              return !!z && ks.every((k) => (document.querySelector(`[data-testid="chart-${k}"]`) as (Element & { __echarts?: { getOption(): { xAxis: Array<{ min?: number }> } } }) | null)?.__echarts?.getOption().xAxis[0].min === z[0]);
            }, keys, { timeout: 30_000 });
            allZoomed.push(performance.now() - z0);
            const inPage = await page.evaluate((ks) => {
              const w = window as unknown as { __zoomProbe: { up: number; drawn: Record<string, Array<[number, number | undefined]>> } };
              const z = Number(document.querySelector('[data-testid="metric-chart-loss"]')?.getAttribute('data-zoomed')?.split('-')[0]);
              // No named function here: the bench's transpiler would wrap it in a helper the page does not have.
              const times = ks.map((key) => w.__zoomProbe.drawn[key]?.find((d) => d[1] === z)?.[0] ?? Number.NaN);
              return { brushed: times[ks.indexOf('loss')] - w.__zoomProbe.up, all: Math.max(...times) - w.__zoomProbe.up };
            }, keys);
            zoomedInPage.push(inPage.brushed);
            allZoomedInPage.push(inPage.all);
          }
          notes.push('"Chromium:" rows are timed by the test driver (each wait is a CDP round trip polled per frame; the driver shares this process\'s event loop with the HTTP host, and its goto and poll set-up wait for the page\'s main thread); "in the page" rows by the page itself');
          rows.push(
            { case: `Chromium: run page opened → first chart drawn, 3 charts of 10^6 steps (median of ${ROUNDS})`, ms: median(firsts), load_1min: load, ...vsBaseline(firsts, baseFirsts) },
            { case: `Chromium: run page opened → all 3 charts drawn (median of ${ROUNDS})`, ms: median(allDrawn), load_1min: load, ...vsBaseline(allDrawn, baseAllDrawn) },
            { case: `Chromium: run page opened → first chart drawn, the driver's poll set before navigating (median of ${ROUNDS})`, ms: median(firstsArmed), load_1min: load, ...vsBaseline(firstsArmed, baseArmed) },
            { case: `Chromium, in the page: hashchange → the frame after the first chart drawn (median of ${ROUNDS})`, ms: median(firstsInPage), load_1min: load, ...vsBaseline(firstsInPage, baseInPage) },
            { case: `Chromium: brush released → the brushed chart re-queried and drawn (median of ${ROUNDS})`, ms: median(zoomed), load_1min: load, peer: '', peer_ms: null, ratio_vs_peer: null },
            { case: `Chromium: brush released → all 3 charts sharing the steps re-queried and drawn (median of ${ROUNDS})`, ms: median(allZoomed), load_1min: load, peer: '', peer_ms: null, ratio_vs_peer: null },
            { case: `Chromium, in the page: pointerup → the brushed chart drawn (frame after its setOption; median of ${ROUNDS})`, ms: median(zoomedInPage), load_1min: load, peer: '', peer_ms: null, ratio_vs_peer: null },
            { case: `Chromium, in the page: pointerup → all 3 charts drawn (median of ${ROUNDS})`, ms: median(allZoomedInPage), load_1min: load, peer: '', peer_ms: null, ratio_vs_peer: null },
          );
          if (baseline) {
            notes.push(`Chromium rows' peer: the renderer in ${baselineDir}, its page opened in the same rounds (alternating first and second)`);
            await baseline.host.close();
          }
        } finally {
          await browser.close();
        }
      } else notes.push('Chromium rows skipped (no built renderer in out/ or no Chromium)');
    } finally {
      await host.close();
    }
    notes.push(`${STEPS} steps per series; MAX_POINTS ${MAX_POINTS}; 1-min load average ${load} on ${cpus().length} cores`);
    await wb.close();
    return { name: 'metric-chart', rows, notes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
