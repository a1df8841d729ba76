/**
 * The look every figure shares, on screen and in exported SVG/PNG: one palette, one font stack, one grid.
 * System fonts only (the renderer's CSP allows no font downloads, and the CLI renders without a browser).
 */
export const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'] as const;

export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const TEXT_COLOR = '#1f2937';
export const MUTED_COLOR = '#6b7280';
export const GRID_LINE_COLOR = '#e5e7eb';
