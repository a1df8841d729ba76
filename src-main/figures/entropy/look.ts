/** What the entropy figures share: their value readers, axis and grid helpers, and number formats (not exported by the index). */
import { formatNumber } from '../metric-line';
import { GRID_LINE_COLOR, MUTED_COLOR } from '../theme';

export const LN2 = Math.log(2);

export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
export const obj = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);


// ─────────────────────────────────────────────────────────────────────────────────── shared look


/** Top of the plot area below a title and `lines` subtitle lines. */
export const gridTop = (lines: number): number => 30 + 14 * lines + 16;

export function valueAxis(name: string, opts: { log?: boolean; gap?: number; vertical?: boolean } = {}) {
  return {
    type: opts.log ? ('log' as const) : ('value' as const),
    name,
    nameLocation: 'middle' as const,
    nameGap: opts.gap ?? 26,
    ...(opts.vertical ? { nameRotate: 90 } : {}),
    scale: !opts.log,
    nameTextStyle: { color: MUTED_COLOR, fontSize: 11 },
    axisLine: { lineStyle: { color: MUTED_COLOR } },
    axisLabel: { color: MUTED_COLOR, fontSize: 10, hideOverlap: true, formatter: (v: number) => formatNumber(v) },
    splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
  };
}

/** One legend entry per distinct series name (several bound or plane lines share one). */
export const legendNames = (series: ReadonlyArray<{ name?: string | number }>): string[] => [...new Set(series.map((s) => String(s.name ?? '')))];

export const fmt = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
export const pct = (v: number | null): string => (v === null ? '–' : `${Math.round(v * 100)}%`);
