import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../../src-main/claims/catalog';
import { arithmeticChecks, roundingOf } from '../../../../src-main/claims/arithmetic';
import { claimsReport } from '../../../../src-main/claims/measure';
import { claimsText } from '../../../../src-main/claims/text';

const catalog = loadCatalog();
const checks = arithmeticChecks(catalog);
const byId = new Map(checks.map((c) => [c.id, c]));

describe('the paper\'s arithmetic, recomputed', () => {
  it('printed numbers are compared within their rounding', () => {
    expect(roundingOf(4.14)).toBeCloseTo(0.005, 12);
    expect(roundingOf(8.7)).toBeCloseTo(0.05, 12);
    expect(roundingOf(450000)).toBe(5000);
    expect(roundingOf(12240)).toBe(5);
  });
  it('every consistency check and inconsistency of the catalogue is there, with its claims', () => {
    expect(checks.filter((c) => c.kind === 'consistency')).toHaveLength(catalog.consistency_checks.length);
    expect(checks.filter((c) => c.kind === 'inconsistency')).toHaveLength(catalog.inconsistencies.length);
    const ids = new Set(catalog.claims.map((c) => c.id));
    for (const c of checks) for (const id of c.claims) expect(ids.has(id), `${c.id} → ${id}`).toBe(true);
  });
  it('Table 2\'s speedups are raw / runtime (C01), from the catalogue\'s own cells', () => {
    const c01 = byId.get('C01')!;
    expect(c01.ok).toBe(true);
    expect(c01.steps).toHaveLength(4);
    expect(c01.steps[1].value).toBeCloseTo(8.7 / 2.1, 10);
    expect(c01.claims).toContain('T2.synthetic-high.entropynet.speedup');
  });
  it('the inconsistencies that are arithmetic fail when recomputed', () => {
    for (const id of ['I02', 'I03', 'I06', 'I07', 'I08', 'I10', 'I14', 'I17', 'I18', 'I24', 'I38', 'I41']) {
      const c = byId.get(id)!;
      expect(c.steps.length, id).toBeGreaterThan(0);
      expect(c.ok, id).toBe(false);
    }
    const i07 = byId.get('I07')!.steps[0];
    expect(i07.value).toBeCloseTo(172_800 / ((1 - 1 / 1.6) * 0.85), 3);
    expect(i07.paper).toBe(180_000);
    // The end-to-end speedup of Table 22 is 8.7 / 2.9 = 3.00, not 4.14.
    expect(byId.get('I02')!.steps[0].value).toBeCloseTo(3, 10);
  });
  it('recomputation can disagree with the catalogue\'s own "ok": C07 uses Table 5\'s 1.47 against the text\'s 0.6 gain', () => {
    expect(byId.get('C07')!.ok).toBe(false);
  });
  it('each badge sits on every claim row it touches; the headline row says which table it rests on; the text shows them', () => {
    const report = claimsReport([]);
    const headline = report.rows.find((r) => r.id === 'abs.geometry.hull-delaunay.speedup')!;
    expect(headline.arithmetic).toEqual(expect.arrayContaining(['I03']));
    expect(headline.restsOn).toMatch(/Table 2/);
    expect(report.rows.find((r) => r.id === 'T22.synthetic-high.total-time')!.arithmetic).toEqual(expect.arrayContaining(['C10', 'I02']));
    const text = claimsText(report, [headline]);
    expect(text).toMatch(/paper {2}4–5 x/);
    expect(text).toMatch(/✗ I03: .*8\.7 \/ 2\.9 .*= 3 vs 4/);
    expect(text).toMatch(/rests on Table 2/);
  });
});
