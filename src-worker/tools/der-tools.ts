/**
 * The science commands of `der` (hull, delaunay, entropy). They run in their own process, started by the main
 * CLI, so that main imports no science code (DESIGN.md: renderer → main → worker, and main takes only the
 * protocol and light configs from the worker floor).
 * Exit codes: 0 ok, 2 bad usage or a refused input file (with its line number).
 */
import { parseArgs } from 'node:util';
import { delaunay } from '../geometry/delaunay';
import { convexHull, isHullAlgorithm } from '../geometry/hull/index';
import { HULL_ALGORITHMS } from '../geometry/names';
import { readFileSync } from 'node:fs';
import type { EntropyReportOptions } from '../entropy/report';
import { parseCsvPoints, PointsParseError } from '../geometry/points';
import { loadToolPoints, ToolUsageError } from './load-points';
import { repeatReport, timeIt, type RepeatReport } from '../geometry/timing';

const REPEAT_HELP = `  --repeat N: after the first (cold) call, warm up until the per-call time settles (at most 2 s), then time N
  calls; prints best, median with its 95% interval, warm-up calls and outliers (stderr; "repeat" in --json).`;

export const TOOL_HELP: Record<string, string> = {
  hull: `Usage: der hull <points.csv|.json|.ndjson> [--algorithm A] [--normalize] [--json]
       der hull --dataset NAME --n N [--seed S] [--algorithm A] [--json]
  Prints the hull's vertex indices (0-based data rows of the input, header excluded), counter-clockwise from
  the lowest (then leftmost) point. --json: {"hull":[…],"ms":…} with ms the algorithm's own time.
  --normalize: scale to [0,1]² and drop duplicates first (indices still name input rows).
  Algorithms: ${HULL_ALGORITHMS.join(', ')} (default auto).
  Files: CSV or whitespace-separated rows (a first line is a header only when no field looks numeric), qhull
  rbox output, .json, QuickDraw .ndjson, binary .f64 (float64 x, y pairs) or .npy (n × 2, <f8 or <f4).
${REPEAT_HELP}`,
  entropy: `Usage: der entropy <points file> [--surrogate hdiff|hsoft|rect] [--anchors a.csv | --k K --init kmeans++|random]
                   [--alpha A] [--planes p.csv | --m M] [--tau T] [--cuts C] [--structural] [--seed S] [--json]
  Exact (float64) evaluation of the surrogate (Eqs. 2–3 H_diff, Eqs. 4–6 H_soft, or the rectangle family), the
  hard partition of the same anchors/planes and its margin γ̂; --structural adds the best-triangulation upper
  bound on the range-partition (structural) entropy, in bits, and h. Entropies are in nats unless named _bits.
  --anchors: CSV rows x,y.  --planes: CSV rows w1,w2,b.  With given anchors or planes the output is deterministic.
${REPEAT_HELP}`,
  delaunay: `Usage: der delaunay <points file> | --dataset NAME --n N [--seed S] [--normalize] [--json]
  Prints the triangle count and the triangulation time (delaunator's sweep, without its quadratic cliff on
  points in convex position); --json adds the triangles.
${REPEAT_HELP}`,
};

const common = {
  dataset: { type: 'string' },
  n: { type: 'string' },
  seed: { type: 'string' },
  normalize: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  repeat: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/**
 * One cold call of `fn` (what a single `der` call measures), then with --repeat N a steady-state measurement.
 */
function measured<T>(fn: () => T, repeat: string | undefined): { result: T; ms: number; repeat: RepeatReport | null } {
  let n = 0;
  if (repeat !== undefined) {
    n = Number(repeat);
    if (!Number.isInteger(n) || n < 1) throw new ToolUsageError(`--repeat ${repeat} is not a positive integer`);
  }
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  if (n === 0) return { result, ms, repeat: null };
  return { result, ms, repeat: repeatReport(timeIt(fn, { warmup: 1, repeats: n, maxWarmupMs: 2000 })) };
}

function printRepeat(r: RepeatReport | null, coldMs: number): void {
  if (!r) return;
  const ci = r.medianCi95Ms ? ` [95% CI ${r.medianCi95Ms[0].toFixed(3)}, ${r.medianCi95Ms[1].toFixed(3)}]` : '';
  console.error(
    `cold ${coldMs.toFixed(3)} ms; best ${r.bestMs.toFixed(3)} ms, median ${r.medianMs.toFixed(3)} ms${ci} over ${r.repeats} calls ` +
      `after ${r.warmupCalls} warm-up calls (${r.steady ? 'steady' : 'not steady within 2 s'}), ${r.outliers} far-out`,
  );
}

function load(values: { dataset?: string; n?: string; seed?: string; normalize?: boolean }, file: string | undefined) {
  return loadToolPoints({
    file,
    dataset: values.dataset,
    n: values.n === undefined ? undefined : Number(values.n),
    seed: values.seed === undefined ? undefined : Number(values.seed),
    normalize: values.normalize,
  });
}

function hullCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { ...common, algorithm: { type: 'string', default: 'auto' } }, allowPositionals: true });
  if (values.help) return (console.log(TOOL_HELP.hull), 0);
  if (!isHullAlgorithm(values.algorithm)) throw new ToolUsageError(`unknown algorithm "${values.algorithm}" (${HULL_ALGORITHMS.join(', ')})`);
  const { points, rowOf } = load(values, positionals[0]);
  const algorithm = values.algorithm;
  const { result: hull, ms, repeat } = measured(() => convexHull(points, algorithm), values.repeat);
  const rows = Array.from(hull, (i) => (rowOf ? rowOf[i] : i));
  if (values.json) console.log(JSON.stringify({ hull: rows, ms, algorithm, n: points.length / 2, ...(repeat ? { repeat } : {}) }));
  else {
    console.log(rows.join('\n'));
    printRepeat(repeat, ms);
  }
  return 0;
}

function delaunayCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: common, allowPositionals: true });
  if (values.help) return (console.log(TOOL_HELP.delaunay), 0);
  const { points, rowOf } = load(values, positionals[0]);
  const { result: d, ms, repeat } = measured(() => delaunay(points), values.repeat);
  const triangles = d.triangles.length / 3;
  if (values.json) console.log(JSON.stringify({ triangles, ms, n: points.length / 2, indices: Array.from(d.triangles, (i) => (rowOf ? rowOf[i] : i)), ...(repeat ? { repeat } : {}) }));
  else {
    console.log(`${triangles} triangles in ${ms.toFixed(3)} ms (n = ${points.length / 2})`);
    printRepeat(repeat, ms);
  }
  return 0;
}

/** `der entropy`: the surrogates import tfjs-core, whose loading (≈ 0.1 s) hull and delaunay do without, so the
 * entropy code is imported only here. */
async function entropyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...common,
      surrogate: { type: 'string', default: 'hdiff' },
      anchors: { type: 'string' },
      k: { type: 'string' },
      init: { type: 'string', default: 'kmeans++' },
      alpha: { type: 'string' },
      planes: { type: 'string' },
      m: { type: 'string' },
      tau: { type: 'string' },
      cuts: { type: 'string' },
      structural: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) return (console.log(TOOL_HELP.entropy), 0);
  const surrogate = values.surrogate;
  if (surrogate !== 'hdiff' && surrogate !== 'hsoft' && surrogate !== 'rect') throw new ToolUsageError(`--surrogate must be hdiff, hsoft or rect (got ${surrogate})`);
  if (values.init !== 'kmeans++' && values.init !== 'random') throw new ToolUsageError(`--init must be kmeans++ or random (got ${values.init})`);
  const num = (name: string, v: string | undefined, check: (x: number) => boolean = (x) => x > 0): number | undefined => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!Number.isFinite(x) || !check(x)) throw new ToolUsageError(`--${name} ${v} is not valid`);
    return x;
  };
  const int = (x: number): boolean => Number.isInteger(x) && x > 0;
  const { points } = load(values, positionals[0]);
  const { entropyReport } = await import('../entropy/report');
  const options: EntropyReportOptions = {
    surrogate,
    anchors: values.anchors ? parseCsvPoints(readFileSync(values.anchors, 'utf8'), { dims: 2 }).points : undefined,
    k: num('k', values.k, int),
    init: values.init,
    alpha: num('alpha', values.alpha),
    planes: values.planes ? parseCsvPoints(readFileSync(values.planes, 'utf8'), { dims: 3 }).points : undefined,
    m: num('m', values.m, int),
    tau: num('tau', values.tau),
    rectCuts: num('cuts', values.cuts, int),
    structural: values.structural,
    seed: num('seed', values.seed, Number.isInteger),
  };
  const { result: report, ms, repeat } = measured(() => entropyReport(points, options), values.repeat);
  if (values.json) console.log(JSON.stringify(repeat ? { ...report, ms, repeat } : report));
  else {
    for (const [k, v] of Object.entries(report)) console.log(`${k.padEnd(18)} ${v}`);
    printRepeat(repeat, ms);
  }
  return 0;
}

export const tools: Record<string, (argv: string[]) => number | Promise<number>> = {
  hull: hullCommand,
  entropy: entropyCommand,
  delaunay: delaunayCommand,
};

/** Runs one tool with its arguments (`hull x.csv --json`), setting process.exitCode. */
export async function runDerTools(args: string[]): Promise<void> {
  // A reader that stops early (`der delaunay … --json | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const [name, ...rest] = args;
  const tool = name ? tools[name] : undefined;
  if (!tool) {
    console.error(`der-tools: unknown tool "${name ?? ''}" (${Object.keys(tools).join(', ')})`);
    process.exitCode = 2;
    return;
  }
  try {
    process.exitCode = await tool(rest);
  } catch (err) {
    const e = err as Error & { code?: string };
    const usage = err instanceof ToolUsageError || err instanceof PointsParseError || e.code?.startsWith('ERR_PARSE_ARGS') || e.code === 'ENOENT';
    console.error(`der ${name}: ${e.message}`);
    process.exitCode = usage ? 2 : 1;
  }
}

if (process.argv[1] && /der-tools\.(ts|js)$/.test(process.argv[1])) void runDerTools(process.argv.slice(2));
