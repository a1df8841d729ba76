/**
 * `der reproduce [--quick | --full] [--plan] [--out DIR]`: prints the plan (presets, the claims each measures,
 * estimated time), runs the steps not yet done through the job queue one after another, then writes the
 * reproduction report (report.html, report.pdf) from every finished run of the database.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Run } from '../api/contract';
import { claimsReport } from '../claims/measure';
import { reportContext, reportHtml, reportPdf } from '../claims/report';
import { version } from '../paths';
import { buildPlan, planText, refreshStep, selectSteps, type PlanMode } from '../claims/reproduce';
import { openWorkbench, type Workbench } from '../workbench';

export const REPRODUCE_HELP = `Usage: der reproduce [--quick | --full] [--only PART]... [--plan] [--out DIR] [--db PATH]
  Shows the plan (presets, the claims each measures, estimated time from the step costs finished runs here
  measured), runs the steps that no finished run of the same config has done yet (an interrupted reproduction
  resumes), then writes DIR/report.html (self-contained, inline SVG) and DIR/report.pdf. --plan only prints the
  plan; default --quick, DIR reproduction/. --only PART (repeatable, or comma-separated) keeps the steps whose
  preset contains PART, whose kind is PART, or that measure a table ("T23", "Table 15") or claims whose id starts
  with PART ("T23.hull.entropynet"). Table 23's EntropyNet steps time the newest finished Paper model, else the
  newest Paper (CPU) one (Table 21's settings on less data: its rows read as an analogue, never the paper's).`;

const ENDED = new Set(['done', 'failed', 'cancelled', 'crashed']);

async function waitFor(wb: Workbench, id: string): Promise<Run> {
  for (;;) {
    const r = wb.store.runs.get(id);
    if (r && ENDED.has(r.status)) return r;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

export async function writeReport(wb: Workbench, dir: string): Promise<{ html: string; pdf: string }> {
  const runs = wb.store.runs.list({ status: 'done', limit: 10_000 });
  const report = claimsReport(runs);
  const ctx = reportContext(report, runs, { node: process.version, 'der-workbench': version() });
  mkdirSync(dir, { recursive: true });
  const html = join(dir, 'report.html');
  const pdf = join(dir, 'report.pdf');
  writeFileSync(html, reportHtml(report, ctx));
  writeFileSync(pdf, await reportPdf(report, ctx));
  return { html, pdf };
}

export async function reproduceCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean', default: false }, full: { type: 'boolean', default: false }, only: { type: 'string', multiple: true }, plan: { type: 'boolean', default: false }, out: { type: 'string' }, db: { type: 'string' }, help: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  if (values.help) return (console.log(REPRODUCE_HELP), 0);
  if (values.quick && values.full) {
    console.error('der reproduce: --quick or --full, not both');
    return 2;
  }
  const mode: PlanMode = values.full ? 'full' : 'quick';
  const wb = openWorkbench({ dbPath: values.db });
  try {
    let plan;
    try {
      plan = selectSteps(buildPlan(mode, wb.store.runs.list({ status: 'done', limit: 10_000 })), (values.only ?? []).flatMap((t) => t.split(',')).filter((t) => t.trim()));
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      return 2;
    }
    console.log(planText(plan));
    if (values.plan) return 0;
    let failed = 0;
    for (const planned of plan.filter((s) => !s.doneBy)) {
      // A step timing a trained model learns the model's run once the training step before it has finished.
      const step = planned.waitsFor ? refreshStep(mode, planned, wb.store.runs.list({ status: 'done', limit: 10_000 })) : planned;
      if (step.doneBy) continue;
      if (step.waitsFor) {
        console.error(`${step.kind} / ${step.preset} not started: no finished ${step.waitsFor} run has a model to time (run that step first)`);
        failed++;
        continue;
      }
      const run = await wb.service.startRun(step.kind, step.config, `reproduce ${mode}: ${step.kind} / ${step.preset}`);
      console.error(`run ${run.id} (${step.kind} / ${step.preset}) started`);
      const ended = await waitFor(wb, run.id);
      console.error(`run ${run.id} ${ended.status}${ended.error ? `: ${ended.error}` : ''}`);
      if (ended.status !== 'done') failed++;
    }
    const out = await writeReport(wb, resolve(values.out ?? 'reproduction'));
    console.log(`wrote ${out.html}\nwrote ${out.pdf}`);
    return failed ? 1 : 0;
  } finally {
    await wb.close();
  }
}
