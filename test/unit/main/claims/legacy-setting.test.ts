import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Run } from '../../../../src-main/api/contract';
import { loadCatalog } from '../../../../src-main/claims/catalog';
import { inferLegacySetting } from '../../../../src-main/claims/legacy-setting';
import { claimsReport, linksOf } from '../../../../src-main/claims/measure';
import { RunStore } from '../../../../src-main/store/run-store';

const LEGACY = join(import.meta.dirname, '../../../fixtures/legacy/runs-every-kind.sqlite');
const catalog = loadCatalog();
const claim = (id: string) => catalog.claims.find((c) => c.id === id);

function legacyRuns(): Run[] {
  const copy = join(mkdtempSync(join(tmpdir(), 'der-legacy-claims-')), 'runs.db');
  copyFileSync(LEGACY, copy);
  const store = RunStore.open(copy);
  try {
    return store.runs.list({ status: 'done', limit: 1000 });
  } finally {
    store.close();
  }
}

describe('links of earlier builds: the setting inferred from the stored config', () => {
  const runs = legacyRuns();
  const report = claimsReport(runs, catalog);
  const row = (id: string) => report.rows.find((r) => r.id === id)!;

  it('no row of the legacy database reads "inconclusive (undeclared setting)": every kind\'s config settles it', () => {
    const measured = report.rows.filter((r) => r.ours);
    expect(measured.length).toBeGreaterThan(40);
    expect(measured.filter((r) => /does not declare/.test(r.verdictReason))).toEqual([]);
  });

  it('geometry-timing: n is the config\'s largest size, seeds its seed count, Chan\'s algorithm; Table 2 at n = 200 is another setting', () => {
    const r = row('T2.synthetic-high.heuristic-sort.speedup');
    expect(r.ours).toMatchObject({ declared: false, n: 200, seeds: 2, method: 'chan', dataset: { name: 'uniform-square', kind: 'real' } });
    expect(r.verdict).toBe('different setting');
    expect(r.verdictReason).toMatch(/n = 200 where the paper's is 10\^4/);
    expect(r.verdictReason).toMatch(/setting inferred from the geometry-timing config/);
  });

  it('entropynet-train: a model trained below Table 21\'s scale is an analogue; attention-train is always one', () => {
    expect(row('T2.synthetic-high.entropynet.speedup').verdict).toBe('analogue');
    expect(row('T2.synthetic-high.entropynet.speedup').ours).toMatchObject({ n: 200, seeds: 2, scale: 'small-scale' });
    expect(row('T5.der.top1').verdict).toBe('analogue');
    expect(row('T5.der.top1').ours).toMatchObject({ seeds: 1, scale: 'small-scale', dataset: { kind: 'stand-in' } });
  });

  it('entropy-validation\'s old R² was cross-sectional: another quantity than E.3\'s, named', () => {
    const r = row('S1.geometry.surrogate-r2');
    expect(r.verdict).toBe('different setting');
    expect(r.differences.join(' ')).toMatch(/across point sets .* where the paper's is R² across training/);
  });

  it('where the config cannot settle it, the verdict names the missing field', () => {
    const geo = runs.find((r) => r.kind === 'geometry-timing')!;
    const noSizes = { ...geo, id: 'nosizes', config: { ...geo.config, sizes: undefined, seeds: undefined } } as unknown as Run;
    const r = claimsReport([noSizes], catalog).rows.find((x) => x.id === 'T2.synthetic-high.heuristic-sort.speedup')!;
    expect(r.verdict).toBe('inconclusive');
    expect(r.verdictReason).toMatch(/stored config does not give the seeds, n/);
    const odd = inferLegacySetting({ ...geo, kind: 'imported' } as Run, claim('T2.synthetic-high.heuristic-sort.speedup'), 'T2.synthetic-high.heuristic-sort.speedup');
    expect(odd.inferred.missing).toEqual(['dataset', 'seeds', 'model scale', 'n']);
    // A claim without an n in the paper needs none.
    expect(inferLegacySetting({ ...geo, kind: 'attention-train', config: { seeds: [1, 2, 3] } } as unknown as Run, claim('T5.der.top1'), 'T5.der.top1').inferred.missing).toEqual([]);
  });

  it('the values are the ones the run stored: inference changes the verdict, never the number', () => {
    const geo = runs.find((r) => r.kind === 'geometry-timing')!;
    const stored = (geo.summary!.claims as Record<string, { value: number }>)['T2.synthetic-high.heuristic-sort.speedup'].value;
    expect(linksOf(geo).get('T2.synthetic-high.heuristic-sort.speedup')!.value).toBe(stored);
  });
});
