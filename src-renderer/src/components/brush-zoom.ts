/**
 * Zoom in x on a chart without ECharts' toolbox and data-zoom components (44 KB of the bundle): a drag across the
 * plot selects an x range, shift + wheel narrows or widens the shown one around the cursor. Either reports the
 * range in data units, to the chart's own handler first (`direct`) and then to the other charts of its group,
 * which zoom with it; the page re-queries the store and sets it as the axis' min and max.
 */
import type { EChartsType } from 'echarts/core';

export type XRange = [number, number];
export type ZoomHandler = (range: XRange, direct: boolean) => void;

/** The zoom handlers of the charts of each group. */
const groups = new Map<string, Set<ZoomHandler>>();

/** Drags shorter than this many pixels are clicks, not a selection. */
const MIN_DRAG_PX = 4;
/** Wheel steps within this many ms are one zoom (one re-query). */
const WHEEL_SETTLE_MS = 150;
const WHEEL_STEP = 1.25;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The x range a chart shows: its first x axis' fixed min and max, else the extent of its series' x values. */
export function shownXRange(option: { xAxis?: unknown; series?: unknown }): XRange | null {
  const axis = (Array.isArray(option.xAxis) ? option.xAxis[0] : option.xAxis) as { min?: unknown; max?: unknown } | undefined;
  if (finite(axis?.min) && finite(axis?.max)) return [axis.min, axis.max];
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of (Array.isArray(option.series) ? option.series : [option.series]) as Array<{ data?: unknown } | undefined>) {
    if (!Array.isArray(s?.data)) continue;
    for (const d of s.data) {
      const x = Array.isArray(d) ? d[0] : undefined;
      if (finite(x)) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
  }
  return lo <= hi ? [finite(axis?.min) ? axis.min : lo, finite(axis?.max) ? axis.max : hi] : null;
}

/** `range` scaled by `factor` about `at` (factor < 1 zooms in). */
export function scaleRange(range: XRange, at: number, factor: number): XRange {
  const c = Math.min(Math.max(at, range[0]), range[1]);
  return [c - (c - range[0]) * factor, c + (range[1] - c) * factor];
}

/** Attaches brush and shift-wheel zoom to the chart in `host` (in `group`, if any); returns the detach. */
export function attachBrushZoom(host: HTMLElement, chart: EChartsType, handler: ZoomHandler, group?: string): () => void {
  const members = group === undefined ? null : (groups.get(group) ?? groups.set(group, new Set()).get(group)!);
  members?.add(handler);
  const onzoom = (range: XRange): void => {
    handler(range, true);
    for (const other of members ?? []) if (other !== handler) other(range, false);
  };
  const band = document.createElement('div');
  band.dataset.testid = 'chart-brush';
  Object.assign(band.style, {
    position: 'absolute',
    top: '0',
    bottom: '0',
    display: 'none',
    pointerEvents: 'none',
    zIndex: '2',
    background: 'rgba(37, 99, 235, 0.12)',
    borderLeft: '1px solid rgba(37, 99, 235, 0.6)',
    borderRight: '1px solid rgba(37, 99, 235, 0.6)',
  });
  host.appendChild(band);

  const local = (e: MouseEvent): [number, number] => {
    const r = host.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const inPlot = (p: [number, number]): boolean => chart.containPixel({ gridIndex: 0 }, p);
  const xAt = (px: number): number => Number(chart.convertFromPixel({ xAxisIndex: 0 }, px));

  let start: number | null = null;
  const draw = (a: number, b: number): void => {
    band.style.left = `${Math.max(0, Math.min(a, b))}px`;
    band.style.width = `${Math.abs(b - a)}px`;
    band.style.display = 'block';
  };
  const onDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    const p = local(e);
    if (!inPlot(p)) return;
    start = p[0];
    host.setPointerCapture?.(e.pointerId);
    e.preventDefault();
  };
  const onMove = (e: PointerEvent): void => {
    if (start === null) return;
    draw(start, Math.min(Math.max(local(e)[0], 0), host.clientWidth));
  };
  const onUp = (e: PointerEvent): void => {
    if (start === null) return;
    const from = start;
    const to = Math.min(Math.max(local(e)[0], 0), host.clientWidth);
    start = null;
    band.style.display = 'none';
    if (Math.abs(to - from) < MIN_DRAG_PX) return;
    const a = xAt(from);
    const b = xAt(to);
    if (finite(a) && finite(b) && a !== b) onzoom([Math.min(a, b), Math.max(a, b)]);
  };
  const onCancel = (): void => {
    start = null;
    band.style.display = 'none';
  };

  let wheel: { at: number; factor: number; timer: ReturnType<typeof setTimeout> } | null = null;
  const onWheel = (e: WheelEvent): void => {
    // Some platforms turn a shifted wheel into a horizontal one.
    const delta = e.deltaY || e.deltaX;
    if (!e.shiftKey || delta === 0) return;
    const p = local(e);
    if (!inPlot(p)) return;
    e.preventDefault();
    const step = delta > 0 ? WHEEL_STEP : 1 / WHEEL_STEP;
    if (wheel) {
      wheel.factor *= step;
      return;
    }
    const at = xAt(p[0]);
    if (!finite(at)) return;
    wheel = {
      at,
      factor: step,
      timer: setTimeout(() => {
        const w = wheel!;
        wheel = null;
        const shown = shownXRange(chart.getOption() as { xAxis?: unknown; series?: unknown });
        if (shown) onzoom(scaleRange(shown, w.at, w.factor));
      }, WHEEL_SETTLE_MS),
    };
  };

  host.addEventListener('pointerdown', onDown);
  host.addEventListener('pointermove', onMove);
  host.addEventListener('pointerup', onUp);
  host.addEventListener('pointercancel', onCancel);
  host.addEventListener('wheel', onWheel, { passive: false });
  return () => {
    if (wheel) clearTimeout(wheel.timer);
    host.removeEventListener('pointerdown', onDown);
    host.removeEventListener('pointermove', onMove);
    host.removeEventListener('pointerup', onUp);
    host.removeEventListener('pointercancel', onCancel);
    host.removeEventListener('wheel', onWheel);
    band.remove();
    members?.delete(handler);
    if (group !== undefined && members?.size === 0) groups.delete(group);
  };
}
