import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../../../src-worker/experiments/attention-train/config';
import { combineSeedChildren, seedKey, type SeedChild } from '../../../../../src-worker/experiments/attention-train/combine';
import { buildPruning, buildTable } from '../../../../../src-worker/experiments/attention-train/table';
import { evalOf } from './fake-eval';

const config = configSchema.parse({ seeds: [42, 123, 456], methods: ['none', 'top-b', 'l1', 'entropy'], entropyLambdas: [0.01] });
const names = ['none', 'l1', 'entropy'];
const accs: Record<number, number[]> = { 42: [0.9, 0.8, 0.7], 123: [0.85, 0.75, 0.6], 456: [0.95, 0.7, 0.65] };
const child = (seed: number): SeedChild => ({
  runId: `run-${seed}`,
  seed,
  summary: {
    kind: 'attention-train', protocol: { recipe: 'r' }, columns: { accuracy: { label: 'top-1', unit: '%' } }, backend: { name: 'wasm' },
    models: names.map((name) => ({ name, seed })), stepCosts: { none: { medianMs: seed } },
    metricKeys: { pattern: 'p', prefixes: names }, artifacts: names.flatMap((n) => [`gallery/${n}.json`, `eval/${n}.json`]).concat('table.json'),
  },
  evals: names.map((n, i) => ({ ...evalOf(n, seed, accs[seed][i]), model: n, lambda: 0 }) as unknown as Record<string, unknown>),
});

describe('attention-train: a multi-seed run rebuilt from one child run per seed', () => {
  it('gives the table, pruning and claims one run of every seed gives (CIs over seeds), in the config\'s seed order', () => {
    const all = [42, 123, 456].flatMap((s) => names.map((n, i) => evalOf(n, s, accs[s][i])));
    const direct = buildTable(all, config.methods, ['entropy']);
    const { summary, table } = combineSeedChildren(config, [child(456), child(42), child(123)], 321);
    expect(summary.table).toEqual(direct.rows);
    expect(table.grid).toEqual(direct.grid);
    expect(summary.pruning).toEqual(buildPruning(all));
    const rows = summary.table as typeof direct.rows;
    expect(rows.map((r) => `${r.row}:${r.seeds}`)).toEqual(['none:3', 'top-b:3', 'l1:3', 'entropy:3']);
    expect(rows.find((r) => r.row === 'entropy')!.cells.accuracy.ci95).not.toBeNull();
    const claims = summary.claims as Array<{ claim: string; seeds: number }>;
    expect(claims.find((c) => c.claim === 'T4.der.top1')!.seeds).toBe(3);
    expect(claims.some((c) => c.claim === 'E4.lemma2.truncation')).toBe(true);
    expect((summary.metricKeys as { prefixes: string[] }).prefixes.slice(0, 3)).toEqual(['none/seed-42', 'l1/seed-42', 'entropy/seed-42']);
    expect(summary.artifacts).toContain('gallery/entropy/seed-123.json');
    expect((summary.artifacts as string[]).filter((a) => a === 'table.json')).toHaveLength(1);
    expect(summary.seedChildren).toEqual([{ seed: 42, runId: 'run-42' }, { seed: 123, runId: 'run-123' }, { seed: 456, runId: 'run-456' }]);
    expect(summary.stepCosts).toEqual({ 'seed-42': { none: { medianMs: 42 } }, 'seed-123': { none: { medianMs: 123 } }, 'seed-456': { none: { medianMs: 456 } } });
    expect(summary.wallSeconds).toBe(321);
    expect(summary.missingSeeds).toEqual([]);
  });
  it('a seed whose child failed is named missing and the CIs are over the others; no child is an error', () => {
    const { summary } = combineSeedChildren(config, [child(42), child(456)], 1);
    expect(summary.missingSeeds).toEqual([123]);
    expect((summary.table as Array<{ seeds: number }>).every((r) => r.seeds === 2)).toBe(true);
    expect(() => combineSeedChildren(config, [], 1)).toThrow(/no finished child/);
  });
  it('names a child\'s artifacts and metric keys as one run of every seed names them', () => {
    const prefixes = ['entropy', 'entropy-floor', 'none'];
    expect(seedKey('gallery/entropy-floor.json', prefixes, 7)).toBe('gallery/entropy-floor/seed-7.json');
    expect(seedKey('eval/none.json', prefixes, 7)).toBe('eval/none/seed-7.json');
    expect(seedKey('entropy-floor/collapse/l0h1/mass_entropy', prefixes, 7)).toBe('entropy-floor/seed-7/collapse/l0h1/mass_entropy');
    expect(seedKey('entropy/train/loss', prefixes, 7)).toBe('entropy/seed-7/train/loss');
    expect(seedKey('wall', prefixes, 7)).toBe('seed-7/wall');
  });
});
