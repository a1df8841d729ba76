/**
 * ECharts renders a tooltip formatter's string as HTML. Names in a tooltip come from runs (method and series
 * names, labels of summaries), and an imported bundle controls those: every tooltip goes through here, which
 * escapes everything except the two pieces of markup our tooltips use, line breaks and bold (no attributes, so
 * nothing they allow can run code).
 */
import type { TooltipComponentFormatterCallbackParams } from 'echarts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Tooltip text with `<br/>` and `<b>…</b>` as its only markup, safe to hand to ECharts as HTML. */
export function tooltipHtml(text: string): string {
  return escapeHtml(text).replace(/&lt;(br\/?|\/?b)&gt;/g, '<$1>');
}

type Params = TooltipComponentFormatterCallbackParams;

/** Wraps a tooltip formatter so that what it returns is escaped (see tooltipHtml). */
export function escapedTooltip<P = Params>(format: (p: P) => string): (p: P) => string {
  return (p) => tooltipHtml(format(p));
}

/** The formatter of items that carry their tooltip text in `data.tip`. */
export const tipTooltip = escapedTooltip((p: Params) => ((Array.isArray(p) ? p[0] : p)?.data as { tip?: string } | undefined)?.tip ?? '');
