/**
 * The figures a run has, by name, each built from the run's data in the store with the same builders the app
 * draws: its metric charts (one per key, one per key prefix) and the figures of its kind. Several runs give
 * the figures of Compare: the overlay of each metric by key, seed bands (runs grouped by their config without the
 * seed), a scatter of each varying summary value against a varying config key, and parallel coordinates. A
 * sweep has the figures of its Sweep panel for every value its children report. `der figure --list` prints
 * these names; *Export all figures* writes each of them.
 */
import type { EChartsOption } from 'echarts';
import type { Api, MetricSeries, RunDetail } from '../api/contract';
import { ApiError } from '../api/contract';
import { accuracySparsityOption, attentionSummary, pruningCurvesOption } from '../figures/attention';
import { collapseKeys, collapseOption, collapsePrefixes, type CollapseQuantity, type CollapseReferences } from '../figures/attention-collapse';
import { compareMetricOption, runLabels } from '../figures/compare';
import { groupRuns, numberAt, numericVaryingKeys, parallelOption, scatterOption, seedBandOption } from '../figures/compare-scale';
import { isMachineBound, splitByMachine } from '../figures/machine';
import { paramsFromConfig, sweepInfo, type SweepChild } from '../figures/sweep';
import { sweepFigureSet } from '../figures/sweep-figures';
import { entropySummary, estimatorSetsOption, marginErrorOption, marginErrorRows, surrogateFit, surrogateTruthOption } from '../figures/entropy';
import { TRAINING_GROUPS, entropyNetSummary, groupSeries, pipelineFromTimings, speedupBarsOption, trainingCurvesOption } from '../figures/entropynet';
import { distinct, geometryCases, methodTimeOption, sampleBoxOption, timeVsNOption } from '../figures/geometry';
import { metricLineOption } from '../figures/metric-line';

export interface RunFigure {
  /** Stable name: `metric:<key>`, `metrics:<prefix>`, or the kind's figure (`time-vs-n:<dataset>`, …). */
  name: string;
  title: string;
  build(): Promise<EChartsOption>;
}

export type FigureApi = Pick<Api, 'getRun' | 'getMetrics' | 'getTimings' | 'listRuns'>;

const MAX_POINTS = 2000;

/** The part of a key before its last '/', or '' for a key without one. */
export function keyPrefix(key: string): string {
  const i = key.lastIndexOf('/');
  return i > 0 ? key.slice(0, i) : '';
}

/** A file-name-safe form of a figure name. */
export function figureFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'figure';
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The collapse plots the Attention panel draws per model. */
const COLLAPSE_FIGURES: readonly CollapseQuantity[] = ['mass_entropy', 'tail_mass', 'block_acc'];

/** One fetch shared by the figures that need the same data (Export all builds them one after another). */
function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => (p ??= load());
}

function metricFigures(api: FigureApi, run: RunDetail): RunFigure[] {
  const keys = run.series.map((s) => s.key);
  const out: RunFigure[] = keys.map((key) => ({
    name: `metric:${key}`,
    title: `${run.name}: ${key}`,
    build: async () => metricLineOption(await api.getMetrics(run.id, [key], { maxPoints: MAX_POINTS }), { title: `${run.name}: ${key}`, yName: key }),
  }));
  const prefixes = distinct(keys.map(keyPrefix).filter((p) => p !== ''));
  for (const prefix of prefixes) {
    const members = keys.filter((k) => keyPrefix(k) === prefix);
    if (members.length < 2) continue;
    out.push({
      name: `metrics:${prefix}`,
      title: `${run.name}: ${prefix}/*`,
      build: async () => metricLineOption(await api.getMetrics(run.id, members, { maxPoints: MAX_POINTS }), { title: `${run.name}: ${prefix}/*`, names: members.map((k) => k.slice(prefix.length + 1)), yName: prefix }),
    });
  }
  return out;
}

async function allMetrics(api: FigureApi, run: RunDetail): Promise<MetricSeries[]> {
  const keys = run.series.map((s) => s.key);
  return keys.length ? api.getMetrics(run.id, keys, { maxPoints: MAX_POINTS }) : [];
}

function kindFigures(api: FigureApi, run: RunDetail): RunFigure[] {
  const out: RunFigure[] = [];
  const add = (name: string, title: string, build: () => EChartsOption | Promise<EChartsOption>): void => void out.push({ name, title, build: async () => build() });
  if (run.kind === 'geometry-timing') {
    const cases = geometryCases(run.summary);
    for (const d of distinct(cases.map((c) => c.dataset))) {
      const at = cases.filter((c) => c.dataset === d);
      const nMax = Math.max(...at.map((c) => c.n));
      add(`method-time:${d}`, `Mean time per method · ${d}, n = ${nMax}`, () => methodTimeOption(at.filter((c) => c.n === nMax), { title: `Mean time per method · ${d}, n = ${nMax.toLocaleString('en-US')}` }));
      add(`time-vs-n:${d}`, `Time against n · ${d}`, () => timeVsNOption(at, { title: `Time against n · ${d}` }));
      add(`samples:${d}`, `Every sample · ${d}, n = ${nMax}`, async () => {
        const samples = (await api.getTimings(run.id)).filter((s) => s.dataset === d && s.n === nMax);
        return sampleBoxOption(samples, { title: `Every sample · ${d}, n = ${nMax.toLocaleString('en-US')}` });
      });
    }
  } else if (run.kind === 'entropynet-train') {
    const summary = entropyNetSummary(run.summary);
    const keys = run.series.map((s) => ({ key: s.key, downsampled: false, points: [{ step: 0, value: 1 }] }));
    for (const g of TRAINING_GROUPS.filter((grp) => groupSeries(grp, keys).length > 0)) {
      add(`training:${g.id}`, `Training · ${g.title}`, async () => trainingCurvesOption(g, await allMetrics(api, run), { regStartEpoch: num(run.config.regStartEpoch), bestEpoch: summary.bestEpoch }));
    }
    add('speedups', 'Speedup over the raw hull', async () => {
      const rows = summary.pipeline.length ? summary.pipeline : pipelineFromTimings(await api.getTimings(run.id));
      const nMax = Math.max(...rows.map((r) => r.n));
      return speedupBarsOption(rows.filter((r) => r.n === nMax && r.mode === 'entropynet'), { title: `Speedup over the raw hull · n = ${nMax.toLocaleString('en-US')}` });
    });
  } else if (run.kind === 'attention-train') {
    const summary = attentionSummary(run.summary);
    if (summary.table.length) add('accuracy-sparsity', 'Accuracy vs sparsity', () => accuracySparsityOption(summary.table));
    if (summary.pruning.length) add('pruning', 'Magnitude pruning', () => pruningCurvesOption(summary.pruning));
    // The Attention panel's collapse plots, for every model (method) whose collapse metrics the run has.
    const collapse = collapseKeys(run.series.map((s) => s.key));
    if (collapse.length) {
      const clusters = num(run.summary?.clustersPerHead);
      const refs: CollapseReferences = { tokens: summary.tokens, budgetKeys: summary.budgetKeys, clusters };
      const seriesOf = memo(async () => api.getMetrics(run.id, collapse.map((k) => k.key), { maxPoints: MAX_POINTS }));
      for (const prefix of collapsePrefixes(collapse.map((k) => k.key))) {
        for (const quantity of COLLAPSE_FIGURES) {
          if (!collapse.some((k) => k.prefix === prefix && k.quantity === quantity)) continue;
          add(`collapse:${prefix}:${quantity}`, `Key-cluster collapse · ${prefix} · ${quantity}`, async () => collapseOption(await seriesOf(), { prefix, quantity, refs }));
        }
      }
    }
  } else if (run.kind === 'entropy-validation') {
    const summary = entropySummary(run.summary);
    const setLabel = (s: number): string => summary.sets.find((x) => x.index === s)?.family ?? `set ${s}`;
    if (run.series.some((s) => s.key.startsWith('fit/'))) {
      add('margin-error', 'Margin vs error (Fig. 2)', async () =>
        marginErrorOption(marginErrorRows(await allMetrics(api, run)), {
          surrogate: summary.fit?.surrogate ?? String(run.config.surrogate ?? ''),
          spearmanHard: summary.fit?.spearmanHard ?? null,
          spearmanStruct: summary.fit?.spearmanStruct ?? null,
          spearmanSource: 'run summary',
          constants: summary.boundConstants,
          boundHoldsFraction: summary.fit?.boundHoldsFraction,
          boundInformativeFraction: summary.fit?.boundInformativeFraction,
          setLabel,
        }),
      );
    }
    if (summary.sets.length >= 2) {
      for (const surrogate of ['hdiff', 'hsoft'] as const) {
        add(`surrogate-truth:${surrogate}`, `${surrogate} vs structural entropy (Fig. 4)`, () => surrogateTruthOption(summary.sets, { surrogate, fit: summary.fits[surrogate] ?? surrogateFit(summary.sets, surrogate), fitSource: summary.fits[surrogate] ? 'run summary' : 'this export' }));
      }
    }
    if (run.series.some((s) => s.key.startsWith('est/'))) add('estimators', 'Estimators per set (Table 15)', async () => estimatorSetsOption(await allMetrics(api, run), 'struct_drop_bits', { setLabel }));
  }
  return out;
}

/** The children of a sweep: from its summary when it has ended, else its child runs as they stand. */
async function sweepChildren(api: FigureApi, run: RunDetail): Promise<SweepChild[]> {
  const info = sweepInfo(run.summary, run.config);
  if (Array.isArray(run.summary?.children)) return info.children;
  const runs = await api.listRuns({ parentId: run.id, limit: 10_000 });
  return [...runs]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((r) => ({ runId: r.id, params: paramsFromConfig(r.config, info.grid, info.variants), status: r.status, error: r.error, summary: r.summary, host: r.host }));
}

/** The Sweep panel's figures, one per value the children report (heatmap, curve or bars, as the grid has it). */
async function sweepFigures(api: FigureApi, run: RunDetail): Promise<RunFigure[]> {
  const set = sweepFigureSet(sweepInfo(run.summary, run.config), await sweepChildren(api, run));
  return set.all().map((f) => {
    const title = f.metric ? `${run.name}: ${f.metric.label}` : `${run.name}: speedup against hull error`;
    return { name: f.name, title, build: async () => f.option({ title }) };
  });
}

/** Compare's figures for several runs: overlays by key, seed bands, scatters and parallel coordinates. */
function compareFigures(api: FigureApi, runs: RunDetail[]): RunFigure[] {
  const keys = distinct(runs.flatMap((r) => r.series.map((s) => s.key)));
  const labels = runLabels(runs);
  const labelOf = new Map(runs.map((r, i) => [r.id, labels[i]]));
  const out: RunFigure[] = keys.map((key) => ({
    name: `metric:${key}`,
    title: key,
    build: async () => {
      const having = runs.filter((r) => r.series.some((s) => s.key === key));
      const series = await Promise.all(having.map(async (r) => ({ label: labelOf.get(r.id) ?? r.name, series: (await api.getMetrics(r.id, [key], { maxPoints: MAX_POINTS }))[0] })));
      return compareMetricOption(series, { key });
    },
  }));
  const groups = groupRuns(runs);
  if (groups.some((g) => g.runs.length >= 2)) {
    for (const key of keys) {
      const having = runs.filter((r) => r.series.some((s) => s.key === key));
      if (having.length < 2) continue;
      out.push({
        name: `seed-band:${key}`,
        title: `${key}: mean ± 95% CI over seeds`,
        build: async () => {
          const split = splitByMachine(groupRuns(having), isMachineBound(key));
          const bands = await Promise.all(
            split.groups.map(async (g) => ({ label: g.label, series: await Promise.all(g.runs.map(async (r) => (await api.getMetrics(r.id, [key], { maxPoints: MAX_POINTS }))[0])) })),
          );
          return seedBandOption(bands, { key });
        },
      });
    }
  }
  const varying = numericVaryingKeys(runs);
  const valueAt = (r: RunDetail, path: string): number | null => {
    const dot = path.indexOf('.');
    return numberAt(path.slice(0, dot) === 'config' ? r.config : r.summary, path.slice(dot + 1));
  };
  const x = varying.config[0] === undefined ? null : `config.${varying.config[0]}`;
  if (x) {
    for (const k of varying.summary) {
      const y = `summary.${k}`;
      out.push({
        name: `scatter:${y}:${x}`,
        title: `${y} against ${x}`,
        build: async () =>
          scatterOption(
            runs.map((r) => ({ label: labelOf.get(r.id) ?? r.name, x: valueAt(r, x), y: valueAt(r, y) })).filter((p): p is { label: string; x: number; y: number } => p.x !== null && p.y !== null),
            { xName: x, yName: y },
          ),
      });
    }
  }
  const axes = [...varying.config.map((k) => `config.${k}`), ...varying.summary.map((k) => `summary.${k}`)].slice(0, 14);
  if (axes.length >= 2) {
    out.push({
      name: 'parallel',
      title: 'Config and summary, one line per run',
      build: async () => parallelOption(runs.map((r) => ({ label: labelOf.get(r.id) ?? r.name, values: axes.map((a) => valueAt(r, a)) })), axes),
    });
  }
  return out;
}

/** Every figure of one run (a sweep's Sweep panel figures among them), or Compare's figures for several. */
export async function runFigures(api: FigureApi, runIds: readonly string[]): Promise<RunFigure[]> {
  if (runIds.length === 0) throw new ApiError('invalid_input', 'name at least one run');
  const runs = await Promise.all(runIds.map((id) => api.getRun(id)));
  if (runs.length === 1) {
    const sweep = runs[0].kind === 'sweep' ? await sweepFigures(api, runs[0]) : [];
    return [...sweep, ...kindFigures(api, runs[0]), ...metricFigures(api, runs[0])];
  }
  return compareFigures(api, runs);
}

/** The named figure, or an error that lists the names there are. */
export async function findRunFigure(api: FigureApi, runIds: readonly string[], name: string): Promise<RunFigure> {
  const all = await runFigures(api, runIds);
  const hit = all.find((f) => f.name === name) ?? (name.includes(':') ? undefined : all.find((f) => f.name === `metric:${name}`));
  if (!hit) throw new ApiError('not_found', `no figure "${name}" for ${runIds.join(', ')}; there are: ${all.map((f) => f.name).join(', ') || 'none'}`);
  return hit;
}
