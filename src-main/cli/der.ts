#!/usr/bin/env node
/**
 * `der`: the workbench from a terminal. Every command goes through the same ApiService as the app.
 * Exit codes: 0 ok, 1 the run failed / crashed / was cancelled, 2 bad usage or bad config.
 */
import { claimsText } from '../claims/text';
import { REPRODUCE_HELP, reproduceCommand } from './reproduce';
import { writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ApiError, type Run, type RunPage } from '../api/contract';
import { DatabaseRefusedError, defaultDbPath } from '../store/database';
import { openWorkbench } from '../workbench';
import { buildConfig, UsageError } from './config-args';
import { AGENT_HELP, AgentUsageError, agentCommand } from '../cluster/agent-command';
import { RedisUnreachableError, reachRedis, remoteCancelTarget, type RemoteCancelTarget } from '../cluster/remote-cancel';
import { RunStore } from '../store/run-store';
import { allFigures, listFigures, metricFigure, namedFigure } from './figure';
import { serveCommand } from './serve';
import { extraCommands } from './science-commands';

const HELP: Record<string, string> = {
  main: `der — DER Workbench command line

Usage: npm run der -- <command> [options]

Commands:
  run <kind>        run an experiment in a worker and print its summary
  list              list runs
  show <id>         show one run (id or unique prefix)
  export <id>       write a run (config, metrics, timings, artifacts) as JSON
  import <path…>    import runs: exports, CSV/JSONL logs, TensorBoard event files, MLflow stores
  cancel <id>       cancel a queued or running run (of this database)
  delete <id>       delete a run and everything it logged
  serve             serve the app and the Api on 127.0.0.1 (browser host)
  agent             run queued runs of a workbench started with --redis (cluster agent)
  experiments       list experiment kinds, their presets and defaults
  claims            the paper's claims beside our measurements, with verdicts
  reproduce         run the presets that measure the claims, then write an HTML + PDF report
  figure <run…> <figure>  export a run's figure as SVG, PDF or PNG (--list names them)
${Object.entries(extraCommands).map(([n, c]) => `  ${n.padEnd(18)}${c.summary}`).join('\n')}

Global options:
  --db PATH         run database (default ${defaultDbPath()}; env DER_DB)
  --help            help for a command: der <command> --help`,
  run: `Usage: der run <kind> [--preset NAME] [--config file.json] [--set key=value ...] [--name NAME] [--concurrency N] [--redis URL] [--json]
  --redis redis://HOST:PORT runs it (or a sweep's children) on cluster agents (der agent) instead of here.
  --concurrency N: a sweep's children run N at once (default env DER_CONCURRENCY, else one per core); timing kinds run alone.
  --set values are JSON when they parse (steps=50, seeds=[1,2], flag=true), else strings; a.b=1 nests.
  Prints a progress bar on stderr and the summary on stdout; exits 1 when the run did not end done, 2 on a bad config.`,
  list: `Usage: der list [--kind K] [--status S] [--filter EXPR] [--sort KEY[:asc|desc]] [--limit N] [--json]
  --filter 'kind = entropynet-train and config.lambda >= 0.05 and summary.hullErrorPct < 1'
    fields: kind name status id source notes seed parent created tag config.<key> summary.<key>;
    operators: = != < <= > >= ~ (contains) !~ in (…) not in (…); and, or, not, parentheses; null.
  --sort created|name|kind|status|ended|seed|config.<key>|summary.<key>, e.g. --sort summary.hullErrorPct:asc`,
  show: 'Usage: der show <id> [--json]',
  export: 'Usage: der export <id> [--out file.json]   (stdout without --out)',
  import: `Usage: der import <file or folder>… [--json]
  Reads workbench exports (.json), CSV and JSONL metric logs (long run,key,step,value or wide step,loss,…),
  TensorBoard event files (events.out.tfevents.*, or a folder of them: one run per folder) and MLflow file
  stores (mlruns/, an experiment or a run folder). Everything is read and checked before anything is written:
  a bad line, a duplicate run id or an id already in the store imports nothing and names the file and line.`,
  cancel: `Usage: der cancel <id> [--redis URL] [--forget]
  A run on cluster agents whose workbench is gone is cancelled through the Redis it was queued on (the run
  records it without the password; --redis or DER_REDIS gives the password): its agent stops the job, and what
  it sent is stored. Exits 3, changing nothing, when that Redis cannot be reached.
  --forget  do not reach the agent (its Redis is gone for good): the run ends crashed with what it stored.`,
  delete: 'Usage: der delete <id>',
  serve: 'Usage: der serve [--port N] [--db PATH] [--concurrency N] [--redis URL]   binds 127.0.0.1 only; Ctrl-C stops it\n  --concurrency N: runs at once (default env DER_CONCURRENCY, else one per core); timing kinds run alone\n  --redis: runs go to cluster agents (der agent) through BullMQ on that Redis; runs left by a previous serve are taken over',
  agent: AGENT_HELP,
  experiments: 'Usage: der experiments [--json]',
  figure: 'Usage: der figure <run…> <figure> --out FILE [--theme paper|screen] [--width 3.25in|6.75in|Ncm] [--height LEN] [--font-size 8pt] [--format svg|pdf|png] [--scale 1|2|3] [--no-title]\n       der figure --list <run…>            names the figures of a run (a sweep: its Sweep figures; of several: the Compare overlays, seed bands, scatter, parallel)\n       der figure <run…> --all DIR [--format F]  writes every figure (SVG and PDF unless --format)\n       der figure <run> [--metric KEY ...] --out FILE [--width 800] [--height 450] [--log-y]  (metrics in one chart, screen theme)\n  Drawn from the database with the app\'s figure builders. The paper theme: Okabe–Ito colours, a dash and marker per line,\n  DejaVu Serif embedded in the PDF, 3.25 in wide at 8 pt by default. The format follows the --out extension.',
  claims: 'Usage: der claims [--pillar P] [--measured] [--json]   (--measured: only claims with a measurement)',
  reproduce: REPRODUCE_HELP,
};

const common = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends ParseArgsConfig['options']>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...common, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const fmtTime = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));
const fmtDuration = (r: Run): string => (r.startedAt && r.endedAt ? `${((r.endedAt - r.startedAt) / 1000).toFixed(1)}s` : '');

function progressBar(fraction: number, message: string): string {
  const width = 30;
  const filled = Math.round(fraction * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${message.slice(0, 60).padEnd(60)}`;
}

/**
 * One stderr line per child of a sweep whenever its progress passes another tenth: children run side by side,
 * so one bar cannot show them all.
 */
class ChildProgress {
  private readonly shown = new Map<string, { tenth: number; label: string } | null>();

  constructor(
    private readonly wb: ReturnType<typeof openWorkbench>,
    private readonly parentId: string,
  ) {}

  line(id: string, fraction: number, message: string): string | null {
    let seen = this.shown.get(id);
    if (seen === undefined) {
      const child = this.wb.store.runs.get(id);
      seen = child?.parentId === this.parentId ? { tenth: -1, label: `${id.slice(0, 8)} ${child.name.split(' · ').pop() ?? ''}` } : null;
      this.shown.set(id, seen);
    }
    if (!seen) return null;
    const tenth = Math.floor(fraction * 10);
    if (tenth <= seen.tenth) return null;
    seen.tenth = tenth;
    return `  child ${seen.label.slice(0, 40).padEnd(40)} ${(fraction * 100).toFixed(0).padStart(3)}% ${message.slice(0, 50)}`;
  }
}

async function cmdRun(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    preset: { type: 'string' },
    redis: { type: 'string' },
    config: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    name: { type: 'string' },
    concurrency: { type: 'string' },
  });
  if (values.help) return (console.log(HELP.run), 0);
  const kind = positionals[0];
  if (!kind) throw new UsageError('der run needs an experiment kind (der experiments lists them)');
  const wb = openWorkbench({ dbPath: values.db, redis: values.redis, concurrency: values.concurrency });
  try {
    const info = (await wb.service.listExperiments()).find((e) => e.kind === kind);
    if (!info) throw new UsageError(`unknown experiment kind "${kind}" (known: ${(await wb.service.listExperiments()).map((e) => e.kind).join(', ')})`);
    const config = buildConfig(info, { preset: values.preset, configFile: values.config, sets: values.set });
    const run = await wb.service.startRun(kind, config, values.name);
    const tty = process.stderr.isTTY;
    const children = new ChildProgress(wb, run.id);
    const off = wb.service.onEvent((e) => {
      if (e.type !== 'runProgress') return;
      if (e.id === run.id) {
        if (tty) process.stderr.write(progressBar(e.fraction, e.message));
        return;
      }
      const line = children.line(e.id, e.fraction, e.message);
      if (line) process.stderr.write(tty ? `\r\x1b[K${line}\n` : `${line}\n`);
    });
    if (!tty) process.stderr.write(`run ${run.id} (${kind}) started\n`);
    // The first Ctrl-C (or a SIGTERM) cancels: the worker gets the cancel grace period, then is killed. A second
    // one kills the worker at once and exits.
    let signals = 0;
    const onSignal = (): void => {
      if (++signals > 1) {
        wb.queue.killAllNow();
        process.exit(130);
      }
      process.stderr.write('\ncancelling…\n');
      void wb.service.cancelRun(run.id).catch(() => undefined);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const ended = await waitForEnd(wb, run.id);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    off();
    if (tty) process.stderr.write('\n');
    if (values.json) console.log(JSON.stringify({ id: ended.id, kind: ended.kind, status: ended.status, error: ended.error, summary: ended.summary }, null, 2));
    else {
      const why = ended.error && ended.error !== ended.status ? ` — ${ended.error}` : '';
      console.log(`run ${ended.id}: ${ended.status}${why} (${fmtDuration(ended)})`);
      if (ended.summary) console.log(JSON.stringify(ended.summary, null, 2));
    }
    return ended.status === 'done' && endRecorded(wb, ended.id) ? 0 : 1;
  } finally {
    await wb.close();
  }
}

const ended = (r: Run | null | undefined): r is Run => !!r && r.status !== 'queued' && r.status !== 'running';

/** False when the store still has the run queued or running: its end could not be written (a full disk). */
function endRecorded(wb: ReturnType<typeof openWorkbench>, id: string): boolean {
  try {
    return ended(wb.store.runs.get(id));
  } catch {
    return false;
  }
}

/**
 * Resolves when the run has ended, whoever runs it (a worker, or main for sweeps). The event says so even when
 * the store could not record the end, so a full disk cannot leave this waiting for a row that never changes.
 */
function waitForEnd(wb: ReturnType<typeof openWorkbench>, id: string): Promise<Run> {
  return new Promise((resolve) => {
    const finish = (r: Run): void => {
      off();
      clearInterval(timer);
      resolve(r);
    };
    const check = (): boolean => {
      let r: Run | null = null;
      try {
        r = wb.store.runs.get(id);
      } catch {
        /* a busy database: the next check or event tells */
      }
      if (ended(r)) finish(r);
      return ended(r);
    };
    const off = wb.service.onEvent((e) => {
      if (e.type === 'runChanged' && e.run.id === id) {
        if (ended(e.run)) finish(e.run);
        else check();
      }
    });
    const timer = setInterval(check, 1000);
    check();
  });
}

async function cmdList(argv: string[]): Promise<number> {
  const { values } = parse(argv, { kind: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, filter: { type: 'string' }, sort: { type: 'string' } });
  if (values.help) return (console.log(HELP.list), 0);
  const wb = openWorkbench({ dbPath: values.db });
  try {
    let runs: Run[];
    if (values.filter !== undefined || values.sort !== undefined) {
      const [by, dir] = (values.sort ?? 'created:desc').split(':');
      const clauses = [values.filter, values.kind && `kind = "${values.kind.replace(/["\\]/g, '\\$&')}"`, values.status && `status = ${values.status}`].filter(Boolean);
      const page = (await wb.service.invoke('queryRuns', [
        { filter: clauses.length === 1 ? String(clauses[0]) : clauses.map((c) => `(${c})`).join(' and '), sort: { by, dir: dir === 'asc' ? 'asc' : 'desc' }, limit: values.limit ? Number(values.limit) : 500 },
      ])) as RunPage;
      runs = page.runs;
      if (!values.json) process.stderr.write(`${page.total} run${page.total === 1 ? '' : 's'} match${page.total === 1 ? 'es' : ''}${page.total > runs.length ? ` (first ${runs.length} shown; --limit N for more)` : ''}\n`);
    } else {
      runs = (await wb.service.invoke('listRuns', [
        { kind: values.kind, status: values.status, limit: values.limit ? Number(values.limit) : undefined },
      ])) as Run[];
    }
    if (values.json) {
      const withCounts = runs.map((r) => ({ ...r, metricRows: Object.fromEntries(wb.store.metrics.listSeries(r.id).map((s) => [s.key, s.count])) }));
      console.log(JSON.stringify(withCounts, null, 2));
    } else {
      console.log(['id'.padEnd(16), 'kind'.padEnd(20), 'status'.padEnd(10), 'created'.padEnd(20), 'duration'.padEnd(9), 'name'].join(' '));
      for (const r of runs) console.log([r.id.padEnd(16), r.kind.padEnd(20), r.status.padEnd(10), fmtTime(r.createdAt).padEnd(20), fmtDuration(r).padEnd(9), r.name].join(' '));
    }
    return 0;
  } finally {
    await wb.close();
  }
}

function resolve(wb: ReturnType<typeof openWorkbench>, idOrPrefix: string | undefined): string {
  if (!idOrPrefix) throw new UsageError('a run id (or a unique prefix) is needed');
  const id = wb.store.runs.resolveId(idOrPrefix);
  if (!id) throw new ApiError('not_found', `no single run matches "${idOrPrefix}"`);
  return id;
}

async function cmdShow(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {});
  if (values.help) return (console.log(HELP.show), 0);
  const wb = openWorkbench({ dbPath: values.db });
  try {
    const d = await wb.service.getRun(resolve(wb, positionals[0]));
    if (values.json) return (console.log(JSON.stringify(d, null, 2)), 0);
    console.log(`${d.id}  ${d.kind}  ${d.status}  "${d.name}"`);
    console.log(`created ${fmtTime(d.createdAt)}  started ${fmtTime(d.startedAt)}  ended ${fmtTime(d.endedAt)}  ${fmtDuration(d)}`);
    if (d.error) console.log(`error: ${d.error}${d.exitInfo ? ` (${d.exitInfo})` : ''}`);
    if (d.backend) console.log(`backend: ${JSON.stringify(d.backend)}`);
    console.log(`config: ${JSON.stringify(d.config)}`);
    if (d.summary) console.log(`summary: ${JSON.stringify(d.summary, null, 2)}`);
    for (const s of d.series) console.log(`metric ${s.key}: ${s.count} rows, steps ${s.minStep}..${s.maxStep}, last ${s.lastValue}`);
    for (const a of d.artifacts) console.log(`artifact ${a.name} (${a.mime}, ${a.size} bytes)`);
    return 0;
  } finally {
    await wb.close();
  }
}

async function cmdExport(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: 'string' } });
  if (values.help) return (console.log(HELP.export), 0);
  const wb = openWorkbench({ dbPath: values.db });
  try {
    const text = JSON.stringify(await wb.service.exportRun(resolve(wb, positionals[0]), 'json'));
    if (values.out) writeFileSync(values.out, text);
    else process.stdout.write(text + '\n');
    return 0;
  } finally {
    await wb.close();
  }
}

async function cmdImport(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {});
  if (values.help || !positionals[0]) return (console.log(HELP.import), values.help ? 0 : 2);
  const wb = openWorkbench({ dbPath: values.db });
  const tty = process.stderr.isTTY === true;
  let shown = -1;
  try {
    const result = await wb.service.importPaths(
      positionals.map((p) => ({ path: p, origin: p })),
      (fraction, message) => {
        const pct = Math.floor(fraction * 100);
        if (pct === shown) return;
        shown = pct;
        if (tty) process.stderr.write(progressBar(fraction, message));
        else if (pct % 25 === 0) process.stderr.write(`import: ${pct}% ${message}\n`);
      },
    );
    console.log(values.json ? JSON.stringify(result) : `imported ${result.imported.length} run${result.imported.length === 1 ? '' : 's'}${result.imported.map((id) => `\n  ${id}`).join('')}`);
    return 0;
  } finally {
    if (tty && shown >= 0) process.stderr.write('\n');
    await wb.close();
  }
}

/** Peeks at the run read-only, before the workbench opens (and takes over runs of the Redis it is given). */
function remoteCancelTargetOf(dbPath: string, idOrPrefix: string | undefined, given: string | undefined): RemoteCancelTarget | null {
  if (!idOrPrefix) return null;
  let store: RunStore;
  try {
    store = RunStore.open(dbPath, { readonly: true });
  } catch {
    return null;
  }
  try {
    const id = store.runs.resolveId(idOrPrefix);
    const run = id ? store.runs.get(id) : null;
    return run ? remoteCancelTarget(store, run, given) : null;
  } finally {
    store.close();
  }
}

/** How long `der cancel` waits for the owning process to end the run. */
const CANCEL_WAIT_MS = 20_000;

async function cmdSimple(argv: string[], what: 'cancel' | 'delete'): Promise<number> {
  const { values, positionals } = parse(argv, { redis: { type: 'string' }, forget: { type: 'boolean', default: false } });
  if (values.help) return (console.log(HELP[what]), 0);
  if (what === 'delete' && (values.redis || values.forget)) throw new UsageError('der delete takes no --redis or --forget');
  let redis: string | undefined;
  if (what === 'cancel' && !values.forget) {
    // A run on cluster agents whose workbench is gone: reach its agent through the Redis the run records.
    const target = remoteCancelTargetOf(values.db ?? defaultDbPath(), positionals[0], values.redis ?? (process.env.DER_REDIS || undefined));
    if (target) {
      if (target.note) console.error(`der cancel: ${target.note}`);
      try {
        await reachRedis(target, positionals[0] ?? '');
      } catch (err) {
        if (!(err instanceof RedisUnreachableError)) throw err;
        console.error(`der cancel: ${err.message}`);
        return 3;
      }
      redis = target.url;
    }
  }
  // --forget: no Redis at all (not DER_REDIS either), so the run is ended here instead of through its agent.
  const wb = openWorkbench({ dbPath: values.db, redis: values.forget ? '' : redis });
  try {
    const id = resolve(wb, positionals[0]);
    if (what === 'delete') {
      await wb.service.deleteRun(id);
      console.log(`deleted ${id}`);
      return 0;
    }
    // The run belongs to the process that started it (another CLI, the app, the browser host): the request
    // goes through the database and that process ends the run. Wait for it, and say what happened.
    let run = await wb.service.cancelRun(id);
    const t0 = Date.now();
    while ((run.status === 'running' || run.status === 'queued') && Date.now() - t0 < CANCEL_WAIT_MS) {
      await new Promise((r) => setTimeout(r, 200));
      run = await wb.service.getRun(id);
    }
    if (run.status === 'running' || run.status === 'queued') {
      console.error(`cancel requested for ${id}; it is still ${run.status} after ${CANCEL_WAIT_MS / 1000} s (its workbench process polls for requests while it runs)`);
      return 1;
    }
    console.log(`${run.status === 'cancelled' ? 'cancelled' : `ended ${run.status}`} ${id}`);
    return 0;
  } finally {
    await wb.close();
  }
}

async function cmdExperiments(argv: string[]): Promise<number> {
  const { values } = parse(argv, {});
  if (values.help) return (console.log(HELP.experiments), 0);
  const wb = openWorkbench({ dbPath: values.db });
  try {
    const list = await wb.service.listExperiments();
    if (values.json) console.log(JSON.stringify(list, null, 2));
    else for (const e of list) console.log(`${e.kind.padEnd(20)} ${e.title}${e.timing ? ' (timing: runs alone)' : ''}\n  presets: ${Object.keys(e.presets).join(', ')}\n  defaults: ${JSON.stringify(e.defaults)}`);
    return 0;
  } finally {
    await wb.close();
  }
}

async function cmdClaims(argv: string[]): Promise<number> {
  const { values } = parse(argv, { pillar: { type: 'string' }, measured: { type: 'boolean', default: false } });
  if (values.help) return (console.log(HELP.claims), 0);
  const wb = openWorkbench({ dbPath: values.db });
  try {
    const report = await wb.service.listClaims();
    const rows = report.rows.filter((r) => (!values.pillar || r.pillar === values.pillar) && (!values.measured || r.ours));
    if (values.json) return (console.log(JSON.stringify({ ...report, rows }, null, 2)), 0);
    console.log(claimsText(report, rows));
    return 0;
  } finally {
    await wb.close();
  }
}

async function cmdFigure(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    metric: { type: 'string', multiple: true, default: [] },
    out: { type: 'string' },
    all: { type: 'string' },
    list: { type: 'boolean', default: false },
    theme: { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
    'font-size': { type: 'string' },
    format: { type: 'string' },
    scale: { type: 'string' },
    'no-title': { type: 'boolean', default: false },
    'log-y': { type: 'boolean', default: false },
  });
  if (values.help) return (console.log(HELP.figure), 0);
  const opts = { out: values.out, theme: values.theme, width: values.width, height: values.height, fontSize: values['font-size'], format: values.format, scale: values.scale, noTitle: values['no-title'], logY: values['log-y'] };
  const wb = openWorkbench({ dbPath: values.db });
  try {
    if (values.list) {
      for (const line of await listFigures(wb, positionals.map((p) => resolve(wb, p)))) console.log(line);
      return 0;
    }
    if (values.all) {
      const written = await allFigures(wb, positionals.map((p) => resolve(wb, p)), values.all, opts);
      console.log(`wrote ${written.length} files to ${values.all}`);
      return 0;
    }
    if (!values.out) throw new UsageError('der figure needs --out FILE (or --list, or --all DIR)');
    // The old form: one run and its metrics (--metric, or all of them).
    if (values.metric.length > 0 || positionals.length === 1) {
      console.log(`wrote ${await metricFigure(wb, resolve(wb, positionals[0]), values.metric, opts)}`);
      return 0;
    }
    const name = positionals[positionals.length - 1];
    const runs = positionals.slice(0, -1).map((p) => resolve(wb, p));
    console.log(`wrote ${await namedFigure(wb, runs, name, opts)}`);
    return 0;
  } finally {
    await wb.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(HELP.main);
      return command === undefined ? 2 : 0;
    case 'run':
      return cmdRun(rest);
    case 'list':
      return cmdList(rest);
    case 'show':
      return cmdShow(rest);
    case 'export':
      return cmdExport(rest);
    case 'import':
      return cmdImport(rest);
    case 'cancel':
      return cmdSimple(rest, 'cancel');
    case 'delete':
      return cmdSimple(rest, 'delete');
    case 'experiments':
      return cmdExperiments(rest);
    case 'claims':
      return cmdClaims(rest);
    case 'reproduce':
      return reproduceCommand(rest);
    case 'figure':
      return cmdFigure(rest);
    case 'agent':
      return agentCommand(rest);
    case 'serve': {
      const { values } = parse(rest, { port: { type: 'string' }, redis: { type: 'string' }, concurrency: { type: 'string' } });
      if (values.help) return (console.log(HELP.serve), 0);
      return serveCommand({ dbPath: values.db, port: values.port ? Number(values.port) : undefined, redis: values.redis, concurrency: values.concurrency });
    }
    default: {
      const extra = extraCommands[command];
      if (extra) return extra.run(rest);
      throw new UsageError(`unknown command "${command}" (der --help lists them)`);
    }
  }
}

// `der show … | head`: the reader went away; what is left to print has no reader, which is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

/** Errors a user can cause and fix (a database from another build, a missing file): one line, no stack. */
function expectedError(err: unknown): string | null {
  if (err instanceof DatabaseRefusedError) return `cannot open the database: ${err.message}`;
  const code = (err as { code?: unknown })?.code;
  if (err instanceof Error && typeof code === 'string' && /^(E[A-Z]+|SQLITE_\w+)$/.test(code)) return err.message;
  return null;
}

/** node:util parseArgs' own errors (an unknown or malformed option), from whichever command parsed its argv. */
function isArgumentError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return err instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof AgentUsageError || isArgumentError(err)) {
      console.error(`der: ${(err as Error).message}`);
      process.exitCode = 2;
    } else if (err instanceof ApiError) {
      console.error(`der: ${err.message}`);
      process.exitCode = err.code === 'invalid_input' ? 2 : 1;
    } else if (expectedError(err) !== null) {
      console.error(`der: ${expectedError(err)}`);
      process.exitCode = 1;
    } else {
      console.error(`der: ${(err as Error)?.stack ?? String(err)}`);
      process.exitCode = 1;
    }
  },
);
