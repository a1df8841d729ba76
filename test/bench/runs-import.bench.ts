/**
 * Runs at scale and imports. 10,000 runs: the first page of the list, a filter expression and a sort over all of
 * them in SQL (queryRuns), against the old way (load every run and filter in JS) in the same run; the Runs view
 * in Chromium against the browser host (first row on screen, a filter round trip, continuous scrolling) when the
 * renderer is built. Imports of 10⁶ rows are in metric-import.bench.ts.
 *
 * Scrolling: the list scrolled 240 px per animation frame for 240 frames, in RUNS_IMPORT_ROUNDS rounds (default 3),
 * each round beside two controls in the same browser: the same frame loop without scrolling, and a static scroller
 * of the viewport's size over 1,700 plain text lines (what scrolling alone costs this machine's software-composited
 * headless Chromium). RUNS_IMPORT_BASELINE=<dir of another built renderer> scrolls that build too, in its own
 * browser, in the same rounds. Reported per loop: frame intervals (p50, p95, frames over 17 and 33 ms) and, on
 * Linux, the CPU time of the browser's processes beyond the idle loop's, per frame.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

const ROUNDS = Math.max(1, Number(process.env.RUNS_IMPORT_ROUNDS) || 3);
const baselineDir = process.env.RUNS_IMPORT_BASELINE || null;
const FRAMES = 240;
const STEP_PX = 240;

/**
 * A frame loop in the page: `scroll` 'list' moves the Runs viewport STEP_PX per frame from the top, 'static' a plain
 * scroller of the same size and place (removed after), 'none' nothing. Resolves the frame intervals (the first two,
 * before the loop settles, dropped). A string, not a function: tsx would wrap named inner functions in a helper the
 * page does not have.
 */
const frameLoop = (scroll: 'list' | 'static' | 'none'): string => `new Promise((resolve) => {
  const vp = document.querySelector('[data-testid="runs-viewport"]');
  let el = vp;
  if (${JSON.stringify(scroll)} === 'static') {
    const r = vp.getBoundingClientRect();
    el = document.createElement('div');
    el.style.cssText = 'position:fixed;overflow:auto;contain:strict;background:#fff;font-size:13px;left:' + r.left + 'px;top:' + r.top + 'px;width:' + r.width + 'px;height:' + r.height + 'px';
    const lines = [];
    for (let i = 0; i < 1700; i++) lines.push('<div style="height:35px;line-height:35px;border-bottom:1px solid #eee;white-space:nowrap;padding-left:12px">bench run ' + i + ' \u00a0 selftest \u00a0 done \u00a0 2023-11-15 00:59:' + String(i % 60).padStart(2, '0') + ' \u00a0 \u2013 \u00a0 Delete</div>');
    el.innerHTML = lines.join('');
    document.body.appendChild(el);
  }
  el.scrollTop = 0;
  const deltas = [];
  let last = performance.now();
  let k = 0;
  const step = (now) => {
    deltas.push(now - last);
    last = now;
    if (${JSON.stringify(scroll)} !== 'none') el.scrollTop += ${STEP_PX};
    if (++k < ${FRAMES}) requestAnimationFrame(step);
    else {
      if (el !== vp) el.remove();
      resolve(deltas.slice(2));
    }
  };
  setTimeout(() => requestAnimationFrame(step), 200);
})`;

/** CPU time (ms) of a process and its descendants, from /proc; null where there is no /proc. */
function treeCpuMs(root: number | null): number | null {
  if (root === null || !existsSync('/proc/self/stat')) return null;
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(f[1]);
      cpu.set(Number(d), Number(f[11]) + Number(f[12]));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let ticks = 0;
  const todo = [root];
  while (todo.length) {
    const p = todo.pop()!;
    ticks += cpu.get(p) ?? 0;
    todo.push(...(children.get(p) ?? []));
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** The pid of the browser process launched with `marker` among its arguments (null where there is no /proc). */
function browserPid(marker: string): number | null {
  if (!existsSync('/proc/self/cmdline')) return null;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      if (cmd.includes(marker) && !cmd.some((a) => a.startsWith('--type='))) return Number(d);
    } catch {
      // The process ended while we looked.
    }
  }
  return null;
}

interface LoopStats {
  frames: number;
  p50: number;
  p95: number;
  over17: number;
  over33: number;
}
function loopStats(deltas: number[]): LoopStats {
  const s = [...deltas].sort((a, b) => a - b);
  // 17.5 and 33.4 ms: one and two frames at 60 Hz, with room for timer jitter.
  return { frames: s.length, p50: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)], over17: s.filter((f) => f > 17.5).length, over33: s.filter((f) => f > 33.4).length };
}

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
      // Marked, so that the CPU time of this browser's processes can be told from the baseline browser's.
      const marker = `--der-bench-runs-${process.pid}-0`;
      const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: [...CHROMIUM_ARGS, marker] });
      const baselineOk = baselineDir !== null && existsSync(join(baselineDir, 'index.html'));
      if (baselineDir !== null && !baselineOk) notes.push(`RUNS_IMPORT_BASELINE ${baselineDir} has no index.html: no baseline rows`);
      const baseMarker = `--der-bench-runs-${process.pid}-1`;
      const baseHost = baselineOk ? await startHttpHost(svc, { port: 0, rendererDir: baselineDir }) : null;
      const baseBrowser = baselineOk ? await chromium.launch({ executablePath: chromiumPath, headless: true, args: [...CHROMIUM_ARGS, baseMarker] }) : null;
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
        // Rows not loaded yet show as pending (data-testid run-pending; tr.pending in builds before the grid rows).
        for (const frac of [0.25, 0.5, 0.75, 1]) {
          const t0 = performance.now();
          await viewport.evaluate((el, f) => (el.scrollTop = (el.scrollHeight - el.clientHeight) * f), frac);
          await page.waitForFunction(() => document.querySelectorAll('[data-testid="run-pending"], tr.pending').length === 0 && document.querySelectorAll('[data-testid="run-row"]').length > 0);
          scrolls.push(performance.now() - t0);
        }

        const basePage = baseBrowser && baseHost ? await baseBrowser.newPage({ viewport: { width: 1400, height: 900 } }) : null;
        if (basePage && baseHost) {
          await basePage.goto(`${baseHost.url}#/runs`);
          await basePage.getByTestId('run-row').first().waitFor();
        }
        const pid = browserPid(marker);
        const basePid = basePage ? browserPid(baseMarker) : null;
        type Loop = 'list' | 'idle' | 'static' | 'baseline list' | 'baseline idle';
        const deltas = new Map<Loop, number[]>();
        const cpu = new Map<Loop, number[]>();
        const run = async (name: Loop, p: typeof page, root: number | null, scroll: 'list' | 'static' | 'none'): Promise<void> => {
          const c0 = treeCpuMs(root);
          const d = (await p.evaluate(frameLoop(scroll))) as number[];
          const c1 = treeCpuMs(root);
          deltas.set(name, [...(deltas.get(name) ?? []), ...d]);
          if (c0 !== null && c1 !== null) cpu.set(name, [...(cpu.get(name) ?? []), c1 - c0]);
        };
        const loads: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          loads.push(loadavg()[0]);
          await run('list', page, pid, 'list');
          await run('idle', page, pid, 'none');
          await run('static', page, pid, 'static');
          if (basePage) {
            await run('baseline list', basePage, basePid, 'list');
            await run('baseline idle', basePage, basePid, 'none');
          }
        }
        const load = Number((loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(1));
        // CPU per frame beyond the same browser's idle loop (the idle loop's own CPU is the floor of a frame loop).
        const cpuPerFrame = (name: Loop, idle: Loop): number | null => {
          const [c, i] = [cpu.get(name), cpu.get(idle)];
          if (!c || !i) return null;
          return (median(c) - median(i)) / (FRAMES - 2);
        };
        const scrollRow = (name: Loop, label: string, idle: Loop): BenchResult['rows'][number] => {
          const st = loopStats(deltas.get(name)!);
          return {
            case: label,
            ms: st.p50,
            p95_ms: st.p95,
            frames: st.frames,
            frames_over_17ms: st.over17,
            frames_over_33ms: st.over33,
            cpu_ms_per_frame_over_idle: name.endsWith('idle') ? null : cpuPerFrame(name, idle),
            load_1min: load,
            peer: '',
            peer_ms: null,
            ratio_vs_peer: null,
          };
        };
        const what = `${STEP_PX} px per frame × ${FRAMES - 2} frames × ${ROUNDS} rounds`;
        rows.push(
          scrollRow('list', `Runs view in Chromium: scroll 10,000 runs, ${what}: frame interval p50 (ms)`, 'idle'),
          scrollRow('idle', `  control: idle frame loop, same page, same rounds`, 'idle'),
          scrollRow('static', `  control: static scroller of the viewport's size (1,700 text lines), ${what}`, 'idle'),
        );
        if (basePage) rows.push(scrollRow('baseline list', `  baseline renderer (RUNS_IMPORT_BASELINE): scroll 10,000 runs, ${what}`, 'baseline idle'), scrollRow('baseline idle', '  baseline renderer: idle frame loop', 'baseline idle'));
        rows.push(
          { case: 'Runs view in Chromium: navigation to first row (median of 5)', ms: median(paints), peer: '', peer_ms: null, ratio_vs_peer: null },
          { case: 'Runs view in Chromium: filter typed → rows of the match (median of 5)', ms: median(filters), peer: '', peer_ms: null, ratio_vs_peer: null },
          { case: 'Runs view in Chromium: jump-scroll → rows loaded (median of 4)', ms: median(scrolls), peer: '', peer_ms: null, ratio_vs_peer: null },
        );
        notes.push(`the table renders ${rendered} row elements for ${RUNS} runs (virtualised)`);
        notes.push(`scrolling: load_1min is the mean of the 1-minute load average at the start of each round (${loads.map((l) => l.toFixed(1)).join(', ')})`);
      } finally {
        await browser.close();
        await baseBrowser?.close();
        await host.close();
        await baseHost?.close();
      }
    } else notes.push('Runs view in Chromium: skipped (no built renderer in out/ or no Chromium)');

    await wb.close();
    return { name: 'runs-import', rows, notes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
