/**
 * The claims report as plain text for `der claims`: one block per claim with the paper's number (ranges as
 * ranges, ± with its kind), ours with CI, seeds, n and run, the verdict with its reason, and the arithmetic
 * badges (inconsistencies and consistency checks) that touch the claim.
 */
import type { ClaimRow, ClaimsReport } from '../api/contract';

const fmt = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(4))));

export function paperText(p: ClaimRow['paper']): string {
  if (p.value === null) return p.valueText ?? '–';
  let s = p.range && p.range.length === 2 ? `${fmt(p.range[0])}–${fmt(p.range[1])}` : fmt(p.value);
  if (p.plusMinus !== null) s += ` ± ${fmt(p.plusMinus)}${p.plusMinusKind && p.plusMinusKind !== 'unspecified' ? ` (${p.plusMinusKind === 'std' ? 'sd' : '95% CI'})` : ''}`;
  return p.unit ? `${s} ${p.unit}` : s;
}

export function oursText(o: NonNullable<ClaimRow['ours']>): string {
  // A theory check's number is what its quantity says (a cosine, a worst ratio, a fraction of steps), not an
  // amount in the claim's unit, and its count is of the cases tried, not of seeds.
  if (o.check) return `check ${o.check}: ${o.quantity} = ${fmt(o.value)}, ${o.seeds} case${o.seeds === 1 ? '' : 's'}${o.n !== null ? `, n = ${o.n}` : ''}, run ${o.runId}`;
  const ci = o.ci95 ? ` [${fmt(o.ci95[0])}, ${fmt(o.ci95[1])}]` : ' (no CI)';
  const n = o.n !== null ? `, n = ${o.n}` : '';
  return `${fmt(o.value)} ${o.unit}${ci}, ${o.seeds} seed${o.seeds === 1 ? '' : 's'}${n}, run ${o.runId}`;
}

/** A row's "ours": a break-even row whose measured speedup is ≤ 1 shows that speedup, not a break-even. */
export function rowOursText(r: ClaimRow): string {
  const be = r.breakEven?.ours;
  if (be && !be.reachable) return `${be.text}, ${be.seeds} seed${be.seeds === 1 ? '' : 's'}, run ${be.runId}`;
  return r.ours ? oursText(r.ours) : '–';
}

/** How a recomputed arithmetic entry came out, in words. */
export function arithmeticResult(a: ClaimsReport['arithmetic'][number]): string {
  if (a.kind === 'consistency') return a.ok ? 'agrees' : 'disagrees';
  if (a.kind === 'break-even') return a.steps.some((s) => s.ok !== null) ? (a.ok ? 'agrees' : 'differs from the printed') : 'no latency given';
  return a.steps.length ? (a.ok ? 'agrees' : 'inconsistent') : 'found by reading';
}

export function claimsText(report: ClaimsReport, rows: readonly ClaimRow[]): string {
  const badges = new Map(report.arithmetic.map((a) => [a.id, a]));
  const lines: string[] = [];
  for (const r of rows) {
    lines.push(`${r.id}  [${r.verdict}${r.sameAs ? ` ${r.sameAs}` : ''}]`);
    lines.push(`  paper  ${paperText(r.paper)}   (${r.where})`);
    const be = r.breakEven;
    if (r.ours || be?.ours) lines.push(`  ours   ${rowOursText(r)}`);
    if (be) lines.push(`  break-even  ${be.paper.text}${be.ours ? `; ours: ${be.ours.text}` : ''}`);
    lines.push(`  why    ${r.verdictReason}`);
    if (r.restsOn) lines.push(`  rests on ${r.restsOn}`);
    for (const id of r.arithmetic) {
      const a = badges.get(id);
      if (a) lines.push(`  ${a.ok ? '✓' : '✗'} ${id}: ${a.what}${a.steps.length ? ` (${a.steps.map((s) => `${s.expr} = ${fmt(s.value)}${s.paper !== null ? ` vs ${fmt(s.paper)}` : ''}`).join('; ')})` : ''}`);
    }
  }
  const counted = rows.filter((r) => r.verdict !== 'same as');
  const counts = counted.reduce<Record<string, number>>((acc, r) => ((acc[r.verdict] = (acc[r.verdict] ?? 0) + 1), acc), {});
  lines.push('');
  lines.push(`${rows.length} claims (${rows.length - counted.length} restatements counted once): ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  return lines.join('\n');
}
