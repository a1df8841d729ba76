/**
 * The figures a run has, by name, each built from the run's data in the store with the same builders the app
 * draws: its metric charts (one per key, one per key prefix) and the figures of its kind. Several runs give
 * the overlay of each metric they share by key. `der figure --list` prints these names; *Export all figures*
 * writes each of them.
 */
import type { EChartsOption } from 'echarts';
import type { Api, MetricSeries, RunDetail } from '../api/contract';
import { ApiError } from '../api/contract';
import { accuracySparsityOption, attentionSummary, pruningCurvesOption } from '../figures/attention';
import { compareMetricOption } from '../figures/compare';
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

export type FigureApi = Pick<Api, 'getRun' | 'getMetrics' | 'getTimings'>;

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

/** Every figure of one run, or the metric overlays of several. */
export async function runFigures(api: FigureApi, runIds: readonly string[]): Promise<RunFigure[]> {
  if (runIds.length === 0) throw new ApiError('invalid_input', 'name at least one run');
  const runs = await Promise.all(runIds.map((id) => api.getRun(id)));
  if (runs.length === 1) return [...kindFigures(api, runs[0]), ...metricFigures(api, runs[0])];
  const keys = distinct(runs.flatMap((r) => r.series.map((s) => s.key)));
  return keys.map((key) => ({
    name: `metric:${key}`,
    title: key,
    build: async () => {
      const having = runs.filter((r) => r.series.some((s) => s.key === key));
      const series = await Promise.all(having.map(async (r) => ({ label: r.name, series: (await api.getMetrics(r.id, [key], { maxPoints: MAX_POINTS }))[0] })));
      return compareMetricOption(series, { key });
    },
  }));
}

/** The named figure, or an error that lists the names there are. */
export async function findRunFigure(api: FigureApi, runIds: readonly string[], name: string): Promise<RunFigure> {
  const all = await runFigures(api, runIds);
  const hit = all.find((f) => f.name === name) ?? (name.includes(':') ? undefined : all.find((f) => f.name === `metric:${name}`));
  if (!hit) throw new ApiError('not_found', `no figure "${name}" for ${runIds.join(', ')}; there are: ${all.map((f) => f.name).join(', ') || 'none'}`);
  return hit;
}
