/**
 * The renderer registers only the ECharts parts its figures use; a part left out is dropped silently in a
 * production build (the chart draws without its heatmap colours, zoom or legend). Every figure of the gallery is
 * set on an instance of the renderer's ECharts and must keep each of its components and series.
 */
import type { EChartsOption } from 'echarts';
import { SVGRenderer } from 'echarts/renderers';
import { describe, expect, it } from 'vitest';
import { echarts } from '../../../../src-renderer/src/components/echarts';
import { inlineMarkLines } from '../../../../src-renderer/src/components/mark-lines';
import { figureGallery } from '../../main/figures/gallery';

/** Top-level option keys that are settings, not components. */
const SETTINGS = new Set(['animation', 'animationDuration', 'animationDurationUpdate', 'animationEasing', 'animationThreshold', 'backgroundColor', 'color', 'textStyle', 'useUTC', 'darkMode', 'stateAnimation', 'blendMode', 'hoverLayerThreshold', 'progressive', 'progressiveThreshold', 'media', 'options', 'baseOption', 'series']);

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe('the renderer’s ECharts registration', () => {
  echarts.use([SVGRenderer]);
  const gallery = figureGallery();

  it('has figures to check', () => {
    expect(gallery.length).toBeGreaterThan(15);
  });

  // As EChart sets them: mark lines drawn by custom series.
  it.each(gallery.map((f) => [f.name, inlineMarkLines(f.option)] as [string, EChartsOption]))('%s keeps every component and series', (_name, option) => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 400 });
    try {
      chart.setOption(option);
      const set = chart.getOption() as Record<string, unknown>;
      for (const key of Object.keys(option).filter((k) => !SETTINGS.has(k))) {
        expect(asList(set[key]).length, `component ${key}`).toBe(asList((option as Record<string, unknown>)[key]).length);
      }
      const wanted = asList(option.series).map((s) => (s as { type?: string }).type);
      expect(asList(set.series).map((s) => (s as { type?: string }).type)).toEqual(wanted);
    } finally {
      chart.dispose();
    }
  });
});
