import { describe, expect, it } from 'vitest';
import type { SweepChild } from '../../../../src-main/figures/sweep';
import { sweepFigureSet } from '../../../../src-main/figures/sweep-figures';

const est = (mean: number) => ({ mean, ci95: [mean * 0.8, mean * 1.2], n: 3 });
const enet = (e2e: number, err: number): Record<string, unknown> => ({
  headline: { end_to_end_speedup: est(e2e), algorithm_speedup: est(e2e * 1.5), hull_error_pct: est(err), exact_end_to_end_speedup: null },
  final_validation: { 'val/h_hard_nats': 1.2 },
  train_time_s: 12,
});
const child = (runId: string, params: Record<string, unknown>, summary: Record<string, unknown> | null): SweepChild => ({ runId, params, status: 'done', error: null, summary });
const titleOf = (o: { title?: unknown }): string => (Array.isArray(o.title) ? o.title[0] : (o.title as { text?: string })).text ?? '';

describe('a sweep’s figures', () => {
  it('an EntropyNet λ curve: the trade-off first, then one curve per value, named as der figure lists them', () => {
    const children = [child('a', { lambda: 0.01 }, enet(1.2, 0.5)), child('b', { lambda: 0.1 }, enet(1.6, 1.5))];
    const set = sweepFigureSet({ kind: 'entropynet-train', grid: { lambda: [0.01, 0.1] }, variants: [] }, children);
    const all = set.all();
    expect(all[0].name).toBe('sweep-tradeoff');
    expect(set.tradeoff?.kind).toBe('tradeoff');
    expect(all.slice(1).map((f) => f.name)).toEqual(set.metrics.map((m) => `sweep-line:${m.key}`));
    expect(all.slice(1).every((f) => f.kind === 'line')).toBe(true);
    expect(titleOf(all[1].option({ title: 'T' }))).toBe('T');
  });

  it('two settings give heatmaps and no trade-off; variants alone give bars; other kinds never a trade-off', () => {
    const grid = sweepFigureSet(
      { kind: 'entropynet-train', grid: { k: [8, 16] }, variants: [{ variant: 'a', alphaStart: 1 }, { variant: 'b', alphaStart: 10 }] },
      [child('a', { k: 8, variant: 'a' }, enet(1, 1)), child('b', { k: 16, variant: 'b' }, enet(2, 1))],
    );
    expect(grid.tradeoff).toBeNull();
    expect(grid.all().every((f) => f.kind === 'heatmap' && f.name.startsWith('sweep-heatmap:'))).toBe(true);
    const bars = sweepFigureSet({ kind: 'selftest', grid: {}, variants: [{ variant: 'x' }, { variant: 'y', steps: 3 }] }, [child('a', { variant: 'x' }, { loss: 1 }), child('b', { variant: 'y' }, { loss: 2 })]);
    expect(bars.all().map((f) => f.name)).toEqual(['sweep-bars:loss']);
    const curve = sweepFigureSet({ kind: 'selftest', grid: { steps: [1, 2] }, variants: [] }, [child('a', { steps: 1 }, { loss: 1 }), child('b', { steps: 2 }, { loss: 2 })]);
    expect(curve.tradeoff).toBeNull();
    expect(curve.all().map((f) => f.name)).toEqual(['sweep-line:loss']);
  });
});
