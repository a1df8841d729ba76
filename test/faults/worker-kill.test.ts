import { describe, expect, it } from 'vitest';
import { SpyHost, tempWorkbench, until } from '../integration/helpers';
import { figure, fmt, quantile, scale, seriesSound } from './figures';

describe('fault: SIGKILL of the worker at random moments', () => {
  it('ends the run crashed, keeps every series contiguous, leaves the database sound', async () => {
    const n = scale(4, 25);
    const host = new SpyHost();
    const wb = tempWorkbench({ host });
    const latencies: number[] = [];
    let contiguous = 0;
    let integrity = 0;
    try {
      for (let i = 0; i < n; i++) {
        const run = await wb.service.startRun('selftest', { steps: 10_000_000, delayMs: 1 });
        await until(() => wb.store.runs.get(run.id)?.status === 'running', 60_000, 'running');
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 1500));
        const t0 = performance.now();
        process.kill(host.workers[i].pid!, 'SIGKILL');
        await until(() => wb.store.runs.get(run.id)?.status === 'crashed', 30_000, 'crashed');
        latencies.push((performance.now() - t0) / 1000);
        if (seriesSound(wb.store.metrics.listSeries(run.id), ['accuracy', 'loss', 'lr'])) contiguous++;
        if (wb.store.integrityCheck() === 'ok') integrity++;
      }
    } finally {
      await wb.dispose();
    }
    figure(
      `SIGKILL worker × ${n}`,
      `crashed within max ${fmt(Math.max(...latencies), 3)} s (median ${fmt(quantile(latencies, 0.5), 3)} s), rows contiguous ${contiguous}/${n}, integrity ok ${integrity}/${n}`,
    );
    expect(contiguous).toBe(n);
    expect(integrity).toBe(n);
  });
});
