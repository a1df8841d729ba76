import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSummary, formatIssues, numberAt, readSummary, registeredKinds, resultsOf } from '../../../../../src-worker/shared/results';

const fixtures = join(import.meta.dirname, '../../../../fixtures');
const legacy = JSON.parse(readFileSync(join(fixtures, 'legacy/runs-every-kind.views.json'), 'utf8')) as { runs: Array<{ kind: string; summary: Record<string, unknown> }> };

describe('shared/results', () => {
  it('has a descriptor for every kind of the legacy database', () => {
    for (const r of legacy.runs) expect(resultsOf(r.kind), r.kind).not.toBeNull();
    expect(registeredKinds()).toEqual(expect.arrayContaining(['selftest', 'geometry-timing', 'entropy-validation', 'entropynet-train', 'attention-train', 'sweep']));
  });

  it('reads every summary written before the schemas, keeping every stored field', () => {
    const bundle = JSON.parse(readFileSync(join(fixtures, 'e2e/attention-quick-run.json'), 'utf8')) as { run: { kind: string; summary: Record<string, unknown> } };
    for (const r of [...legacy.runs, bundle.run]) {
      const c = checkSummary(r.kind, r.summary);
      expect(c.ok ? '' : formatIssues(c.issues), r.kind).toBe('');
      expect(readSummary(r.kind, r.summary)).toMatchObject(r.summary);
    }
  });

  it('fills defaults for fields an older run lacks', () => {
    const s = readSummary('sweep', { kind: 'selftest', children: [] }) as Record<string, unknown>;
    expect(s.variants).toEqual([]);
    expect(s.done).toBeNull();
  });

  it('accepts NaN and ±∞ in the worker (JSON turns them into null later) but not a string where a number belongs', () => {
    expect(checkSummary('selftest', { steps: 10, final_loss: NaN }).ok).toBe(true);
    const bad = checkSummary('selftest', { steps: 'ten', final_loss: 1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(formatIssues(bad.issues)).toMatch(/^steps: /);
  });

  it('hands back a stored summary its schema cannot read as it is', () => {
    const odd = { steps: 'legacy text' };
    expect(readSummary('selftest', odd)).toBe(odd);
  });

  it('headline paths point at numbers in real summaries', () => {
    const en = legacy.runs.find((r) => r.kind === 'entropynet-train')!;
    const d = resultsOf('entropynet-train')!;
    expect(d.headline.some((h) => numberAt(en.summary, h.path) !== null)).toBe(true);
    expect(numberAt({ a: { b: 2 } }, 'a.b')).toBe(2);
    expect(numberAt({ a: { b: 'x' } }, 'a.b')).toBeNull();
  });
});
