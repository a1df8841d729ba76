/**
 * The reproduction report: one self-contained HTML file (inline CSS and SVG, nothing fetched) and a PDF of the
 * same content. Each of the paper's tables with a measured row is shown side by side with ours (paper number,
 * ours with CI, seeds, n, run id, verdict and its reason), with a figure of our value relative to the paper's
 * for the judged rows; then the theory checks, the recomputed arithmetic, the machine and versions.
 */
import { createRequire } from 'node:module';
import { lazyPackage } from '../lazy-package';
import type { ClaimRow, ClaimsReport, Run } from '../api/contract';
import { escapeHtml } from '../figures/escape-html';
import { arithmeticResult, paperText, rowOursText } from './text';

export interface ReportContext {
  generatedAt: Date;
  machine: string;
  backend: string;
  versions: Record<string, string>;
  runs: readonly Run[];
}

/** The machine, backends and versions a report states, from the runs its measurements come from. */
export function reportContext(report: ClaimsReport, runs: readonly Run[], versions: Record<string, string>): ReportContext {
  const measuredRuns = runs.filter((r) => report.rows.some((row) => row.ours?.runId === r.id));
  const backends = [...new Set(measuredRuns.map((r) => (typeof r.backend?.name === 'string' ? r.backend.name : null)).filter((b): b is string => !!b))];
  const machines = [...new Set(report.rows.map((r) => r.ours?.machine).filter((m): m is string => !!m))];
  return { generatedAt: new Date(), machine: machines.join('; ') || 'no measurement yet', backend: backends.join(', ') || 'none', versions, runs: measuredRuns };
}

const groupOf = (id: string): string => id.split('.')[0];
const GROUP_TITLE = (g: string): string => (/^T\d+$/.test(g) ? `Table ${g.slice(1)}` : g === 'abs' ? 'Abstract' : /^S\d$/.test(g) ? `Section ${g.slice(1)}` : `Appendix ${g}`);
const JUDGED = new Set(['reproduced', 'exceeds', 'not reproduced', 'inconclusive']);
const COLORS: Record<string, string> = { reproduced: '#047857', exceeds: '#065f46', 'not reproduced': '#b91c1c', inconclusive: '#b45309' };

/** Our value (and CI) over the paper's, on a log axis: 1 is the paper's number. */
export function ratioSvg(rows: readonly ClaimRow[]): string | null {
  const items = rows.filter((r) => r.ours && JUDGED.has(r.verdict) && r.paper.value && r.paper.value > 0 && r.ours.value > 0);
  if (items.length === 0) return null;
  const W = 640;
  const rowH = 18;
  const left = 250;
  const H = 30 + rowH * items.length;
  const lo = Math.log10(1 / 20);
  const hi = Math.log10(20);
  const x = (ratio: number): number => left + ((Math.log10(Math.min(20, Math.max(1 / 20, ratio))) - lo) / (hi - lo)) * (W - left - 20);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, sans-serif" font-size="10">`];
  for (const t of [0.1, 0.5, 1, 2, 10]) {
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="14" y2="${H - 4}" stroke="${t === 1 ? '#111' : '#ddd'}"/><text x="${x(t)}" y="10" text-anchor="middle" fill="#555">${t}×</text>`);
  }
  items.forEach((r, i) => {
    const y = 24 + i * rowH;
    const p = r.paper.value!;
    const o = r.ours!;
    const c = COLORS[r.verdict] ?? '#555';
    parts.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end" fill="#222">${escapeHtml(r.id)}</text>`);
    if (o.ci95 && o.ci95[0] > 0) parts.push(`<line x1="${x(o.ci95[0] / p)}" x2="${x(o.ci95[1] / p)}" y1="${y}" y2="${y}" stroke="${c}" stroke-width="2"/>`);
    parts.push(`<circle cx="${x(o.value / p)}" cy="${y}" r="3.5" fill="${c}"><title>${escapeHtml(`${r.id}: ours / paper = ${(o.value / p).toPrecision(3)} (${r.verdict})`)}</title></circle>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function groups(report: ClaimsReport): Map<string, ClaimRow[]> {
  const out = new Map<string, ClaimRow[]>();
  for (const r of report.rows) {
    // A break-even row always shows its recomputation from the paper's own inputs, measured or not.
    if ((!r.ours && !r.breakEven) || r.verdict === 'same as' || r.pillar === 'theory') continue;
    const g = groupOf(r.id);
    out.set(g, [...(out.get(g) ?? []), r]);
  }
  return out;
}

const CSS = `body{font-family:DejaVu Sans,system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#1f2937;font-size:13px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #e5e7eb}table{border-collapse:collapse;width:100%;margin:8px 0}
td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f9fafb}
.v{font-weight:600;white-space:nowrap}.v-reproduced{color:#047857}.v-exceeds{color:#065f46}.v-not-reproduced{color:#b91c1c}.v-inconclusive{color:#b45309}
.muted{color:#6b7280}.bad{color:#b91c1c}code{font-size:12px}`;

export function reportHtml(report: ClaimsReport, ctx: ReportContext): string {
  const e = escapeHtml;
  const counts = Object.entries(report.counts).map(([k, v]) => `${v} ${k}`).join(', ');
  const out: string[] = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(`Reproduction report: ${report.title}`)}</title><style>${CSS}</style></head><body>`,
    `<h1>Reproduction report</h1><p>${e(report.title)}</p>`,
    `<p class="muted">Generated ${e(ctx.generatedAt.toISOString())} on ${e(ctx.machine)}, ${e(ctx.backend)} backend; ${Object.entries(ctx.versions).map(([k, v]) => `${e(k)} ${e(v)}`).join(', ')}. Runs: ${ctx.runs.map((r) => `<code>${e(r.id)}</code> (${e(r.kind)}, ${e(r.name)})`).join(', ') || 'none'}.</p>`,
    `<p data-testid="report-counts">Verdicts (restatements counted once): ${e(counts)}</p>`,
    `<details><summary>How a verdict is reached</summary><ul>${report.rules.map((r) => `<li><b>${e(r.verdict)}</b>: ${e(r.rule)}</li>`).join('')}</ul></details>`,
  ];
  for (const [g, rows] of groups(report)) {
    out.push(`<h2>${e(GROUP_TITLE(g))}</h2>`);
    const svg = ratioSvg(rows);
    if (svg) out.push(`<figure>${svg}<figcaption class="muted">Our value over the paper's (log scale; bar: our 95% CI), for the rows that are judged.</figcaption></figure>`);
    out.push('<table><thead><tr><th>Claim</th><th>Paper</th><th>Ours</th><th>Verdict</th><th>Why</th></tr></thead><tbody>');
    for (const r of rows) {
      out.push(
        `<tr data-claim-id="${e(r.id)}"><td><code>${e(r.id)}</code><div class="muted">${e(r.where)}</div></td><td>${e(paperText(r.paper))}${r.breakEven ? `<div class="muted">recomputed: ${e(r.breakEven.paper.text)}</div>` : ''}</td><td>${e(rowOursText(r))}</td><td class="v v-${e(r.verdict.replace(/\s+/g, '-'))}">${e(r.verdict)}</td><td>${e(r.verdictReason)}${r.restsOn ? `<div class="muted">Rests on ${e(r.restsOn)}</div>` : ''}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  const theory = report.rows.filter((r) => r.pillar === 'theory');
  out.push('<h2>Theory checks</h2><table><thead><tr><th>Claim</th><th>Statement</th><th>Verdict</th><th>Why</th></tr></thead><tbody>');
  for (const r of theory) out.push(`<tr data-claim-id="${e(r.id)}"><td><code>${e(r.id)}</code></td><td>${e(r.paper.valueText ?? paperText(r.paper))}</td><td class="v v-${e(r.verdict.replace(/\s+/g, '-'))}">${e(r.verdict)}</td><td>${e(r.verdictReason)}</td></tr>`);
  out.push('</tbody></table>');
  out.push('<h2>The paper\'s arithmetic, recomputed</h2><table><thead><tr><th>Id</th><th>What</th><th>Recomputed</th><th>Result</th></tr></thead><tbody>');
  for (const a of report.arithmetic) {
    const steps = a.steps.map((s) => `<div class="${s.ok === false ? 'bad' : ''}"><code>${e(s.expr)}</code> = ${e(String(Number(s.value.toPrecision(5))))}${s.paper !== null ? `; the paper: ${e(String(s.paper))}` : ''}</div>`).join('');
    out.push(`<tr><td><code>${e(a.id)}</code></td><td>${e(a.what)}</td><td>${steps || '<span class="muted">no arithmetic</span>'}</td><td>${a.ok || /^(found|no latency)/.test(arithmeticResult(a)) ? e(arithmeticResult(a)) : `<b class="bad">${e(arithmeticResult(a))}</b>`}</td></tr>`);
  }
  out.push('</tbody></table></body></html>');
  return out.join('\n');
}

const requireHere = createRequire(import.meta.url);
const PDFDocument = lazyPackage<typeof import('pdfkit')>('pdfkit');
const SVGtoPDF = lazyPackage<typeof import('svg-to-pdfkit')>('svg-to-pdfkit');
const font = (file: string): string => requireHere.resolve(`dejavu-fonts-ttf/ttf/${file}`);

/** The same content as a PDF (A4 landscape, DejaVu embedded), figures drawn from the same SVG. */
export function reportPdf(report: ClaimsReport, ctx: ReportContext): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new (PDFDocument())({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: `Reproduction report: ${report.title}`, Creator: 'DER Workbench' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('Sans', font('DejaVuSans.ttf'));
    doc.registerFont('Sans Bold', font('DejaVuSans-Bold.ttf'));
    const width = doc.page.width - 72;
    const text = (s: string, size = 9, bold = false): void => void doc.font(bold ? 'Sans Bold' : 'Sans').fontSize(size).text(s, { width });
    try {
      text('Reproduction report', 18, true);
      text(report.title, 11);
      text(`Generated ${ctx.generatedAt.toISOString()} on ${ctx.machine}, ${ctx.backend} backend; ${Object.entries(ctx.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`, 8);
      text(`Verdicts (restatements counted once): ${Object.entries(report.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`, 9);
      for (const [g, rows] of groups(report)) {
        doc.moveDown();
        text(GROUP_TITLE(g), 13, true);
        const svg = ratioSvg(rows);
        if (svg) {
          const h = 30 + 18 * rows.filter((r) => JUDGED.has(r.verdict)).length;
          if (doc.y + h > doc.page.height - 36) doc.addPage();
          SVGtoPDF()(doc, svg, 36, doc.y, { width: 640, height: h, fontCallback: () => 'Sans' });
          doc.y += h + 6;
        }
        for (const r of rows) {
          text(`${r.id}  [${r.verdict}]`, 9, true);
          text(`paper ${paperText(r.paper)}${r.breakEven ? ` (recomputed: ${r.breakEven.paper.text})` : ''}   ours ${rowOursText(r)}`, 8);
          text(r.verdictReason, 8);
        }
      }
      doc.moveDown();
      text('Theory checks', 13, true);
      for (const r of report.rows.filter((x) => x.pillar === 'theory')) text(`${r.id} [${r.verdict}]: ${r.verdictReason}`, 8);
      doc.moveDown();
      text('The paper\'s arithmetic, recomputed', 13, true);
      for (const a of report.arithmetic) {
        text(`${a.id} ${arithmeticResult(a)}: ${a.what}`, 8, true);
        for (const s of a.steps) text(`   ${s.expr} = ${Number(s.value.toPrecision(5))}${s.paper !== null ? `; the paper: ${s.paper}` : ''}${s.ok === false ? '  ✗' : ''}`, 7.5);
      }
      doc.end();
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
