/**
 * Break-even of a learned preprocessor (paper App. C.1): training costs T once, each later instance saves
 * (1 − 1/S)·t, so it pays off after N_min = T / ((1 − 1/S)·t) instances — never when S ≤ 1.
 * Pure (DOM- and Node-free): the renderer's calculator, the CLI and the tests share it.
 */
import type { EChartsOption } from 'echarts';
import { formatNumber } from './metric-line';
import { positiveInterval } from './positive-ci';
import { FONT_FAMILY, GRID_LINE_COLOR, MUTED_COLOR, PALETTE, TEXT_COLOR } from './theme';

export interface BreakEvenInput {
  /** Training (or any one-off) cost, seconds. */
  trainingSeconds: number;
  /** End-to-end speedup S (raw time / pipeline time); the CI, when known, gives the N_min interval. */
  speedup: number;
  speedupCi95?: [number, number] | null;
  /** Raw time of one instance (batch, point set), seconds. */
  rawSeconds: number;
}

export interface BreakEvenResult {
  /** null: never pays off (S ≤ 1). */
  instances: number | null;
  /** N_min at the ends of the speedup's CI: [at the upper S, at the lower S]; null ends mean "never". */
  instancesCi95: [number | null, number | null] | null;
  savedPerInstanceSeconds: number;
}

/** Break-even inputs measured by a run, with how the CI of S was obtained. */
export interface MeasuredBreakEven extends BreakEvenInput {
  speedupCi95: [number, number] | null;
  /** Set when the run stored a CI of S reaching ≤ 0 and it was rebuilt in log space. */
  ciNote: string | null;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The `summary.breakEven` of a run, when it is complete. A speedup cannot be ≤ 0: a CI that reaches there
 * (a symmetric t-interval of few seeds, as older runs stored) is rebuilt in log space from its half-width and
 * labelled, instead of being offered to the calculator, which would refuse it.
 */
export function measuredBreakEven(summary: Record<string, unknown> | null | undefined): MeasuredBreakEven | null {
  const b = summary?.breakEven as Record<string, unknown> | undefined;
  if (!b || typeof b !== 'object') return null;
  if (!isNum(b.trainingSeconds) || !isNum(b.speedup) || !isNum(b.rawSeconds)) return null;
  const raw = Array.isArray(b.speedupCi95) && isNum(b.speedupCi95[0]) && isNum(b.speedupCi95[1]) ? ([b.speedupCi95[0], b.speedupCi95[1]] as [number, number]) : null;
  const iv = raw ? positiveInterval(b.speedup, raw) : null;
  const ci = iv?.ci ?? null;
  const ciNote = iv?.source === 'log-space' ? `log-space 95% CI: the run stored [${formatNumber(raw![0])}, ${formatNumber(raw![1])}], which reaches ≤ 0` : null;
  return { trainingSeconds: b.trainingSeconds, speedup: b.speedup, speedupCi95: ci, rawSeconds: b.rawSeconds, ciNote };
}

export function breakEvenInstances(trainingSeconds: number, speedup: number, rawSeconds: number): number | null {
  if (!(speedup > 1) || !(rawSeconds > 0) || !(trainingSeconds >= 0)) return null;
  return trainingSeconds / ((1 - 1 / speedup) * rawSeconds);
}

export function breakEven(input: BreakEvenInput): BreakEvenResult {
  const n = breakEvenInstances(input.trainingSeconds, input.speedup, input.rawSeconds);
  const ci = input.speedupCi95
    ? ([breakEvenInstances(input.trainingSeconds, input.speedupCi95[1], input.rawSeconds), breakEvenInstances(input.trainingSeconds, input.speedupCi95[0], input.rawSeconds)] as [number | null, number | null])
    : null;
  return { instances: n, instancesCi95: ci, savedPerInstanceSeconds: (1 - 1 / input.speedup) * input.rawSeconds };
}

/** The smallest 1, 2, 2.5 or 5 × 10^k at or above v (a round right end for the instance axis). */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/** Instance counts as people say them: 450, 12k, 1.5M, 2G. */
export function compactCount(v: number): string {
  const a = Math.abs(v);
  const f = (x: number, unit: string): string => `${Number(x.toPrecision(3))}${unit}`;
  if (a >= 1e9) return f(v / 1e9, 'G');
  if (a >= 1e6) return f(v / 1e6, 'M');
  if (a >= 1e4) return f(v / 1e3, 'k');
  return String(Number(v.toPrecision(4)));
}

/** Cumulative net saving (seconds) against instances processed: crosses zero at N_min. */
export function breakEvenOption(input: BreakEvenInput, opts: { title?: string; maxInstances?: number } = {}): EChartsOption {
  const r = breakEven(input);
  const maxN = opts.maxInstances ?? (r.instances ? niceCeil(r.instances * 2.5) : 1000);
  const points = 100;
  const net = (s: number): Array<[number, number]> =>
    Array.from({ length: points + 1 }, (_, i) => {
      const n = (maxN * i) / points;
      return [n, n * (1 - 1 / s) * input.rawSeconds - input.trainingSeconds];
    });
  const series: NonNullable<EChartsOption['series']> = [
    {
      type: 'line',
      name: `S = ${input.speedup.toPrecision(3)}`,
      data: net(input.speedup),
      showSymbol: false,
      lineStyle: { width: 2 },
      markLine: { symbol: 'none', silent: true, label: { show: false }, data: [{ yAxis: 0 }], lineStyle: { color: MUTED_COLOR, type: 'solid', width: 1 } },
    },
  ];
  if (input.speedupCi95) {
    for (const s of input.speedupCi95) {
      series.push({ type: 'line', name: `S = ${s.toPrecision(3)} (95% CI end)`, data: net(s), showSymbol: false, lineStyle: { type: 'dashed', width: 1.2 } });
    }
  }
  const fmt = (v: number): string => formatNumber(v);
  return {
    animation: false,
    color: [...PALETTE],
    backgroundColor: 'transparent',
    textStyle: { fontFamily: FONT_FAMILY, color: TEXT_COLOR },
    title: {
      text: opts.title ?? 'Break-even',
      subtext: r.instances === null ? 'never pays off (S ≤ 1)' : `N_min ≈ ${Math.ceil(r.instances).toLocaleString('en-US')} instances`,
      left: 8,
      top: 4,
      textStyle: { fontSize: 13, fontWeight: 600, color: TEXT_COLOR },
      subtextStyle: { fontSize: 11, color: MUTED_COLOR },
    },
    tooltip: {
      trigger: 'axis',
      axisPointer: { label: { formatter: (p) => `${compactCount(Number(p.value))} instances` } },
      valueFormatter: (v) => (typeof v === 'number' ? `${fmt(v)} s` : String(v ?? '–')),
    },
    legend: { bottom: 0, textStyle: { fontSize: 11 } },
    grid: { left: 70, right: 30, top: 64, bottom: 64 },
    xAxis: {
      type: 'value',
      name: 'instances processed',
      nameLocation: 'middle',
      nameGap: 26,
      max: maxN,
      nameTextStyle: { color: MUTED_COLOR, fontSize: 11 },
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: compactCount, hideOverlap: true },
      splitLine: { show: false },
      axisLine: { lineStyle: { color: MUTED_COLOR } },
    },
    yAxis: {
      type: 'value',
      name: 'net time saved (s)',
      nameLocation: 'middle',
      nameGap: 50,
      nameRotate: 90,
      nameTextStyle: { color: MUTED_COLOR, fontSize: 11 },
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: fmt },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
    },
    series,
  };
}
