/**
 * Our measurements of the paper's claims, taken from finished runs. Convention: an experiment that measures a
 * claim puts a link (src-worker/shared/claim-link.ts: value, CI, unit and the setting it was measured in) in its
 * summary under `claims`, keyed by claim id, or as a list `[{claim, ours: {mean, ci95}, …link}]`. This file
 * knows no experiment's internals; which run a claim is read from: see measurementsFrom.
 */
import { z } from 'zod';
import type { ClaimBreakEven, ClaimMeasurement, ClaimRow, ClaimsReport, ClaimVerdict, Run } from '../api/contract';
import { ClaimLink, MACHINE_BOUND_UNITS } from '../../src-worker/shared/claim-link';
import { arithmeticChecks } from './arithmetic';
import { inferLegacySetting } from './legacy-setting';
import { judgeBreakEven, paperBreakEvens, paperSide } from './break-even';
import { loadCatalog, type Catalog, type Claim } from './catalog';
import { unmeasuredReason } from './unmeasured';
import { RULES, verdictFor } from './verdict';
import { settingDifferences } from './setting';
import { machineOf } from '../figures/machine';

/** What runs of earlier builds wrote: a value, maybe a CI, a unit and a free-text note; no setting. */
const LegacyLink = z.object({
  value: z.number(),
  ci95: z.union([z.tuple([z.number(), z.number()]), z.number(), z.null()]).optional(),
  unit: z.string().default(''),
  note: z.string().optional(),
});

const Interval = z.union([z.tuple([z.number(), z.number()]), z.number(), z.null()]).optional();
/** The list form: `[{claim, unit, ours: {mean, ci95} | null, note, …declared setting}]`. */
const ListedLink = z.object({ claim: z.string(), ours: z.object({ mean: z.number(), ci95: Interval }).nullable() }).passthrough();

function interval(mean: number, ci: [number, number] | number | null | undefined): [number, number] | null {
  if (Array.isArray(ci)) return ci.every(Number.isFinite) ? ci : null;
  return typeof ci === 'number' && Number.isFinite(ci) ? [mean - ci, mean + ci] : null;
}

function hostOf(run: Run): { machine: string; backend: string } {
  const h = run.host ?? {};
  const b = run.backend ?? {};
  const name = typeof b.name === 'string' ? b.name : typeof run.summary?.backend === 'string' ? run.summary.backend : '';
  // A remote run's host holds the workbench's fields with the agent's beside them: the agent measured it.
  const agent = h.agent !== null && typeof h.agent === 'object' && !Array.isArray(h.agent) ? (h.agent as Record<string, unknown>) : {};
  const cpu = typeof agent.cpu === 'string' ? agent.cpu : typeof h.cpu === 'string' ? h.cpu : '';
  const n = typeof agent.cores === 'number' ? agent.cores : h.cores;
  const hw = cpu ? `${cpu}${typeof n === 'number' ? `, ${n} cores` : ''}` : '';
  const m = machineOf(h);
  const machine = m.id.startsWith('agent:') ? `agent ${m.label}${hw ? ` (${hw})` : ''}` : hw || (m.id === 'unknown' ? '' : m.label);
  return { machine, backend: name };
}

/**
 * Every claim link of one run, parsed; an entry that is neither a declared link nor a legacy one is dropped. A
 * legacy link's setting is inferred from the run's stored config where that determines it.
 */
export function linksOf(run: Run, catalog: Catalog = loadCatalog()): Map<string, ClaimMeasurement> {
  const byId = new Map(catalog.claims.map((c) => [c.id, c]));
  const out = new Map<string, ClaimMeasurement>();
  const where = { runId: run.id, runName: run.name, ...hostOf(run) };
  const put = (id: string, raw: unknown): void => {
    const declared = ClaimLink.safeParse(raw);
    if (declared.success) {
      // Before checks declared what they assumed (the `assumed` field), Theorem 1's said it only in its note.
      const assumed = declared.data.assumed ?? (declared.data.check && /constants the paper leaves open/.test(declared.data.note ?? '') ? ['the constants its note names'] : undefined);
      if (Number.isFinite(declared.data.value)) out.set(id, { ...declared.data, ...(assumed ? { assumed } : {}), ...where, declared: true });
      return;
    }
    const legacy = LegacyLink.safeParse(raw);
    if (!legacy.success || !Number.isFinite(legacy.data.value)) return;
    const l = legacy.data;
    const setting = inferLegacySetting(run, byId.get(id), id);
    out.set(id, {
      value: l.value,
      ci95: interval(l.value, l.ci95),
      unit: l.unit,
      quantity: id,
      portability: MACHINE_BOUND_UNITS.has(l.unit) ? 'machine-bound' : 'portable',
      ...setting,
      note: l.note,
      ...where,
      declared: false,
    });
  };
  const c = run.summary?.claims;
  if (Array.isArray(c)) {
    for (const item of c) {
      const listed = ListedLink.safeParse(item);
      if (!listed.success || !listed.data.ours) continue;
      const { claim, ours, ...rest } = listed.data;
      put(claim, { ...rest, value: ours.mean, ci95: interval(ours.mean, ours.ci95) });
    }
  } else if (c && typeof c === 'object') {
    for (const [id, raw] of Object.entries(c)) put(id, raw);
  }
  return out;
}

const lexGreater = (a: readonly number[], b: readonly number[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
};

/** The table or section a claim id belongs to ("T27.der.mce" → "T27"). */
const groupOf = (id: string): string => id.split('.')[0];

/**
 * For each claim, the run whose measurement is shown, among finished runs that measured it: first one whose
 * setting matches the claim's (no named difference), then the one with the most seeds, then the one that
 * measured the most claims of the same table (so a table's rows come from one run and compare), the newest last.
 */
export function measurementsFrom(runs: readonly Run[], catalog: Catalog = loadCatalog()): Map<string, ClaimMeasurement> {
  const byId = new Map(catalog.claims.map((c) => [c.id, c]));
  const newestFirst = [...runs].filter((r) => r.status === 'done').sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
  const measured = newestFirst.map((run) => {
    const links = linksOf(run, catalog);
    const perGroup = new Map<string, number>();
    for (const id of links.keys()) perGroup.set(groupOf(id), (perGroup.get(groupOf(id)) ?? 0) + 1);
    return { links, perGroup };
  });
  const out = new Map<string, ClaimMeasurement>();
  const best = new Map<string, number[]>();
  measured.forEach(({ links, perGroup }, rank) => {
    for (const [id, m] of links) {
      const claim = byId.get(id);
      const known = m.declared || (m.inferred !== undefined && m.inferred.missing.length === 0);
      const matches = claim && known && settingDifferences(claim, m).length === 0 ? 1 : 0;
      const score = [matches, m.declared ? 1 : 0, m.seeds, perGroup.get(groupOf(id)) ?? 0, -rank];
      const cur = best.get(id);
      if (!cur || lexGreater(score, cur)) {
        best.set(id, score);
        out.set(id, m);
      }
    }
  });
  return out;
}

/** Headline claims and the table they rest on (what their measurement is compared with). */
const RESTS_ON: Record<string, string> = {
  'abs.geometry.hull-delaunay.speedup':
    'Table 2 (Synthetic High, algorithm-only 4.14×, n = 10^4 inferred): the only row reaching 4×; no triangulation row does (Table 23: 1.36×). Compared with our end-to-end hull speedup on uniform points.',
  'abs.geometry.hull-error-bound': 'Tables 2 and 15–17 (largest hull error 0.15 %, Table 16 k = 64). Compared with our largest error over the evaluated sets.',
  'S1.geometry.surrogate-r2': 'Appendix E.3 / Figure 4: R² of H_diff against H_R across training (the text\'s "Appendix G.3" points elsewhere, I35).',
};

export function claimsReport(runs: readonly Run[], catalog: Catalog = loadCatalog()): ClaimsReport {
  const measured = measurementsFrom(runs, catalog);
  const breakEvens = new Map(paperBreakEvens(catalog).map((b) => [b.claim, b]));
  const arithmetic = [...arithmeticChecks(catalog), ...[...breakEvens.values()].map((b) => b.entry)];
  const byClaim = new Map<string, string[]>();
  for (const a of arithmetic) for (const id of a.claims) byClaim.set(id, [...(byClaim.get(id) ?? []), a.id]);
  const byId = new Map(catalog.claims.map((c) => [c.id, c]));
  const originalOf = (c: Claim): Claim => {
    let cur = c;
    for (let i = 0; i < 5 && cur.duplicate_of && byId.has(cur.duplicate_of); i++) cur = byId.get(cur.duplicate_of)!;
    return cur;
  };
  type Judged = { ours: ClaimMeasurement | null; verdict: ClaimVerdict; reason: string; differences: string[]; breakEven: ClaimBreakEven | null };
  const judged = new Map<string, Judged>();
  const judge = (c: Claim): Judged => {
    const done = judged.get(c.id);
    if (done) return done;
    const paperBreakEven = breakEvens.get(c.id);
    const be = paperBreakEven ? judgeBreakEven(c, paperBreakEven, measured, byId) : null;
    const ours = measured.get(c.id) ?? null;
    const o = be ?? verdictFor(c, ours, unmeasuredReason(c));
    const breakEven = be?.breakEven ?? (paperBreakEven ? { paper: paperSide(paperBreakEven), ours: null } : null);
    const j = { ours: be ? be.ours : ours, verdict: o.verdict, reason: o.reason, differences: o.differences, breakEven };
    judged.set(c.id, j);
    return j;
  };
  const rows: ClaimRow[] = catalog.claims.map((c) => {
    const original = originalOf(c);
    const restates = original.id !== c.id;
    const j = judge(original);
    return {
      id: c.id,
      pillar: c.pillar,
      where: c.where,
      metric: c.metric,
      quote: c.quote,
      setting: (c.setting ?? {}) as ClaimRow['setting'],
      paper: { value: c.value, valueText: c.value_text ?? null, unit: c.unit, range: c.range ?? null, plusMinus: c.plus_minus ?? null, plusMinusKind: c.plus_minus_kind ?? null, direction: c.direction },
      runnable: c.runnable_on_cpu_workstation,
      duplicateOf: c.duplicate_of ?? null,
      notes: c.notes ?? null,
      ours: j.ours,
      verdict: restates ? 'same as' : j.verdict,
      verdictReason: restates ? `same as ${original.id} (${j.verdict}): ${j.reason}` : j.reason,
      differences: j.differences,
      sameAs: restates ? original.id : null,
      arithmetic: byClaim.get(c.id) ?? [],
      restsOn: RESTS_ON[c.id] ?? null,
      breakEven: j.breakEven,
    };
  });
  const counts: Partial<Record<ClaimVerdict, number>> = {};
  for (const r of rows) if (r.verdict !== 'same as') counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
  return { title: catalog.title, rows, inconsistencies: catalog.inconsistencies, arithmetic, counts, rules: [...RULES] };
}
