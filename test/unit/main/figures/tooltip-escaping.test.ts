import type { EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { escapeHtml, tooltipHtml } from '../../../../src-main/figures/escape-html';
import { accuracySparsityOption, pruningCurvesOption } from '../../../../src-main/figures/attention';
import { readPipelineRow, speedupBarsOption } from '../../../../src-main/figures/entropynet';
import { geometryCases, methodTimeOption, sampleBoxOption, timeVsNOption } from '../../../../src-main/figures/geometry';

const PAYLOAD = '<img src=x onerror=alert(1)><script>alert(2)</script>"\'&';

/** Every tooltip formatter of an option (top level and per series), called with hostile params. */
function tooltips(option: EChartsOption): string[] {
  const formatters: Array<(p: unknown) => unknown> = [];
  const take = (t: unknown): void => {
    const f = (t as { formatter?: unknown } | undefined)?.formatter;
    if (typeof f === 'function') formatters.push(f as (p: unknown) => unknown);
  };
  take(option.tooltip);
  for (const s of (Array.isArray(option.series) ? option.series : [option.series]) as Array<{ tooltip?: unknown } | undefined>) take(s?.tooltip);
  const out: string[] = [];
  for (const f of formatters) {
    for (const seriesType of ['scatter', 'line', 'bar', 'boxplot']) {
      const params = {
        seriesName: PAYLOAD,
        name: PAYLOAD,
        seriesType,
        dataIndex: 0,
        value: [1, 2, 3, 4, 5],
        data: { tip: `${PAYLOAD}<br/><b>${PAYLOAD}</b>`, value: [1, 2, 3, 4, 5], ci: [1, 2] },
      };
      out.push(String(f(params)), String(f([params])));
    }
  }
  return out;
}

const expectInert = (html: string): void => {
  expect(html).not.toMatch(/<(img|script)/i);
  expect(html).not.toMatch(/<[a-z]+\s/i);
};

describe('tooltip escaping', () => {
  it('escapes markup and keeps only <br/> and <b>', () => {
    expect(escapeHtml(PAYLOAD)).toBe('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot;&#39;&amp;');
    expect(tooltipHtml(`<b>${PAYLOAD}</b><br/>x<br>`)).toBe(`<b>${escapeHtml(PAYLOAD)}</b><br/>x<br>`);
    expect(tooltipHtml('<b onclick=x>')).toBe('&lt;b onclick=x&gt;');
  });

  it('every figure with tooltips renders an HTML payload in any string field as text', () => {
    const raw = {
      task: PAYLOAD, dataset: PAYLOAD, n: 1000, algorithm: PAYLOAD, preprocess: PAYLOAD, method: PAYLOAD,
      seeds: [1, 2], samples: 10, meanMs: 0.25, ci95Ms: [0.1, 0.4], medianMs: 0.2, speedup: 1, speedupCi95: [1, 1],
    };
    const cases = geometryCases({ cases: [raw, { ...raw, n: 2000 }] });
    expect(cases.length).toBeGreaterThan(0);
    const samples = [1, 2, 3, 4, 5, 50].map((ms, repeat) => ({ task: 'hull', dataset: PAYLOAD, n: 100, algorithm: PAYLOAD, preprocess: PAYLOAD, seed: 1, repeat, ms, quality: null }));
    const est = { mean: 2, ci95: [1, 3], n: 3 };
    const row = readPipelineRow({ dataset: PAYLOAD, n: 100, algorithm: PAYLOAD, raw_ms: est, end_to_end_ms: est, end_to_end_speedup: est, algorithm_speedup: est })!;
    const meanCi = { mean: 0.5, ci95: [0.4, 0.6], n: 3 };
    const options: Array<[string, EChartsOption]> = [
      ['methodTime', methodTimeOption(cases)],
      ['timeVsN', timeVsNOption(cases)],
      ['sampleBox', sampleBoxOption(samples as never)],
      ['speedupBars', speedupBarsOption([row])],
      ['accuracySparsity', accuracySparsityOption([{ row: PAYLOAD, model: PAYLOAD, mode: PAYLOAD, seeds: 1, cells: { accuracy: meanCi, sparsity: meanCi } } as never])],
      ['pruningCurves', pruningCurvesOption([{ base: PAYLOAD, model: PAYLOAD, target: 0.5, seeds: 1, sparsity: meanCi, accuracy: meanCi, activeKeys: meanCi } as never])],
    ];
    for (const [name, option] of options) {
      const html = tooltips(option);
      expect(html.length, `${name} has tooltip formatters`).toBeGreaterThan(0);
      for (const h of html) expectInert(h);
      expect(html.join('')).toContain('&lt;img');
    }
  });
});
