/**
 * The claim's setting as the catalogue declares it, against the setting a link declares it measured in: the
 * named differences decide between a judged verdict, "analogue" and "different setting".
 */
import type { ClaimMeasurement } from '../api/contract';
import type { Claim } from './catalog';

export interface Difference {
  /** `analogue`: stand-in data, a small-scale model, a setting this machine cannot run; `setting`: n, unit. */
  kind: 'analogue' | 'setting';
  text: string;
}

const normUnit = (u: string | null | undefined): string => (u ?? '').replace('×', 'x').trim();

/**
 * n where the paper does not print it but its own numbers pin it down. Table 16 (10K points) repeats Table 2's
 * 4.1× and 0.11 ± 0.04 % at k = 16, the paper's default, so Table 2 and the tables that copy its rows (15, 17, 20,
 * 22, and the headline speedup resting on Table 2) are read at n = 10⁴.
 */
const INFERRED_N: Array<{ match: RegExp; n: number; why: string }> = [
  {
    match: /^(T2|T15|T17|T20|T22)\.|^(abs\.geometry\.hull-delaunay\.speedup|S1\.geometry\.speedup)$/,
    n: 10_000,
    why: 'inferred: Table 16 at 10K points repeats Table 2\'s numbers',
  },
];

export function expectedN(c: Claim): { n: number; why: string } | null {
  const stated = c.setting?.n;
  if (typeof stated === 'number') return { n: stated, why: 'stated' };
  const inferred = INFERRED_N.find((x) => x.match.test(c.id));
  return inferred ? { n: inferred.n, why: inferred.why } : null;
}

const fmtN = (n: number): string => (n >= 1e4 && Number.isInteger(Math.log10(n)) ? `10^${Math.log10(n)}` : String(n));

export function settingDifferences(c: Claim, m: ClaimMeasurement): Difference[] {
  const out: Difference[] = [];
  if (!m.check && normUnit(c.unit) !== normUnit(m.unit)) out.push({ kind: 'setting', text: `unit ${m.unit || '(none)'} where the paper's is ${c.unit ?? '(none)'}` });
  if (!m.declared && (!m.inferred || m.inferred.missing.length)) return out;
  for (const d of m.inferred?.differences ?? []) out.push({ kind: 'setting', text: d });
  if (m.dataset.kind === 'stand-in') out.push({ kind: 'analogue', text: `stand-in data (${m.dataset.name})` });
  if (m.scale === 'small-scale') out.push({ kind: 'analogue', text: `a small-scale model or method (${m.method})` });
  if (!c.runnable_on_cpu_workstation && m.dataset.kind !== 'stand-in' && m.scale !== 'small-scale') {
    out.push({ kind: 'analogue', text: `a setting the catalogue marks not runnable here (the paper's: ${[c.setting?.dataset, c.setting?.model].filter((v) => typeof v === 'string').join(', ') || c.where})` });
  }
  const covers = [c.setting?.other, c.setting?.method].filter((v) => typeof v === 'string').join(' ');
  if (/triangulation/i.test(covers) && !/triangulation|delaunay/i.test(`${m.quantity} ${m.method}`)) {
    out.push({ kind: 'setting', text: `convex hull only, where the paper's claim covers convex hull and triangulation` });
  }
  const want = expectedN(c);
  if (want && m.n !== null && m.n !== want.n) out.push({ kind: 'setting', text: `n = ${fmtN(m.n)} where the paper's is ${fmtN(want.n)}${want.why === 'stated' ? '' : ` (${want.why})`}` });
  return out;
}
