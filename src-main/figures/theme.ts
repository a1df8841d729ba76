import type { EChartsOption } from 'echarts';

/**
 * The look every figure shares, on screen and in exported SVG/PNG: one palette, one font stack, one grid.
 * System fonts only (the renderer's CSP allows no font downloads, and the CLI renders without a browser).
 */
export const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'] as const;

export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

export const TEXT_COLOR = '#1f2937';
export const MUTED_COLOR = '#6b7280';
export const GRID_LINE_COLOR = '#e5e7eb';

/** The frame every figure starts from: palette, font, no animation (exports match the screen), title block. */
export function baseOption(title: string, subtext?: string): EChartsOption {
  return {
    animation: false,
    color: [...PALETTE],
    backgroundColor: 'transparent',
    textStyle: { fontFamily: FONT_FAMILY, color: TEXT_COLOR },
    title: {
      text: title,
      subtext,
      left: 8,
      top: 4,
      textStyle: { fontSize: 13, fontWeight: 600, color: TEXT_COLOR, lineHeight: 18 },
      subtextStyle: { fontSize: 10, color: MUTED_COLOR, lineHeight: 14 },
    },
  };
}

/** Axis name and line styling shared by every value axis. */
export const axisCommon = {
  nameTextStyle: { color: MUTED_COLOR, fontSize: 11 },
  axisLine: { lineStyle: { color: MUTED_COLOR } },
} as const;
