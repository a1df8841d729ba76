import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../../../src-main/cli/figure';
import {
  accuracySparsityOption,
  attentionMap,
  attentionSummary,
  formatMeanCI,
  parseGallery,
  pruningCurvesOption,
  workerIou,
  type AttentionRow,
} from '../../../../src-main/figures/attention';
import { binarize, iou, keepCount, topKMask } from '../../../../src-worker/shared/masks';


/** A 4×4 grid from rows of '0'/'1'. */
const grid = (...rows: string[]): number[] => rows.join('').split('').map(Number);

describe('binarisation rules', () => {
  it('keeps k% = object area (at least one patch, at most all), or the fixed fraction', () => {
    expect(keepCount({ kind: 'object-area' }, 16, 0.25)).toBe(4);
    expect(keepCount({ kind: 'object-area' }, 16, 0.26)).toBe(5);
    expect(keepCount({ kind: 'object-area' }, 16, 0)).toBe(1);
    expect(keepCount({ kind: 'object-area' }, 16, 2)).toBe(16);
    expect(keepCount({ kind: 'fraction', keep: 0.5 }, 16, 0.1)).toBe(8);
    expect(keepCount({ kind: 'fraction', keep: 0.25 }, 64, 0.9)).toBe(16);
  });

  it('takes the largest scores, ties to the lower index, non-finite last', () => {
    expect([...topKMask([0.1, 0.5, 0.5, 0.2], 2)]).toEqual([0, 1, 1, 0]);
    expect([...topKMask([0.3, 0.3, 0.3, 0.3], 1)]).toEqual([1, 0, 0, 0]);
    expect([...topKMask([NaN, 0.1, 0.2, 0], 2)]).toEqual([0, 1, 1, 0]);
    expect([...topKMask([1, 2], 5)]).toEqual([1, 1]);
  });

  it('scores a hand-made map against a hand-made truth', () => {
    // Truth: the 2×2 block top-left (4 of 16 patches, area 25%).
    const truth = grid('1100', '1100', '0000', '0000');
    // Attention: three of the object patches high, one background patch high.
    const scores = grid('9900', '9000', '0000', '0009').map((v, i) => v + i * 1e-3);
    const m = binarize(scores, { kind: 'object-area' }, 0.25);
    expect([...m]).toEqual(grid('1100', '1000', '0000', '0001'));
    expect(iou(m, truth)).toBeCloseTo(3 / 5);
    // keep 50% = 8 patches: the 4 high ones plus the 4 next by index order of the small ramp (the last ones).
    const half = binarize(scores, { kind: 'fraction', keep: 0.5 }, 0.25);
    expect(half.reduce((s, v) => s + v, 0)).toBe(8);
    expect(iou(half, truth)).toBeCloseTo(3 / 9);
    // A perfect map.
    expect(iou(binarize(truth, { kind: 'object-area' }, 0.25), truth)).toBe(1);
  });

  it('treats any non-zero as in (0/255 masks), and two empty masks as a match', () => {
    expect(iou([0, 255, 255, 0], [0, 1, 0, 0])).toBeCloseTo(0.5);
    expect(iou([0, 0], [0, 0])).toBe(1);
    expect(() => iou([1], [1, 0])).toThrow(RangeError);
  });
});

const image = (over: Record<string, unknown> = {}) => ({
  index: 3,
  label: 1,
  className: 'square',
  texture: 'stripes',
  prediction: 1,
  probabilities: [0.1, 0.9],
  objectArea: 0.25,
  rgbBase64: '',
  maskBase64: '',
  patchTruth: grid('1100', '1100', '0000', '0000'),
  cls: [
    [grid('1100', '1100', '0000', '0000'), grid('0000', '0000', '0000', '0011')],
    [grid('1000', '0000', '0000', '0000'), grid('0100', '0000', '0000', '0000')],
  ],
  rollout: grid('0011', '0011', '0000', '0000'),
  iou: [{ layerHead: [[1, 0], [0.25, 0.25]], lastLayerMean: 0.5, rollout: 0 }],
  ...over,
});

describe('parseGallery and maps', () => {
  const g = parseGallery({
    model: 'entropy-0.01', method: 'entropy', lambda: 0.01, seed: 42, imageSize: 8, patch: 2, grid: 4, layers: 2, heads: 2,
    classNames: ['circle', 'square'],
    rules: [{ kind: 'object-area', description: 'area' }, { kind: 'fraction', keep: 0.25, description: 'top 25%' }, { kind: 'bogus' }],
    images: [image(), image({ patchTruth: [1, 0] })],
  });

  it('reads the artifact and drops what it cannot use', () => {
    expect(g).not.toBeNull();
    expect(g!.method).toBe('entropy');
    expect(g!.rules.map((r) => r.rule.kind)).toEqual(['object-area', 'fraction']);
    expect(g!.images).toHaveLength(1);
    expect(parseGallery({ nope: 1 })).toBeNull();
  });

  it('picks a head, a layer head mean or rollout, and agrees with the worker IoU', () => {
    const im = g!.images[0];
    const head = attentionMap(im, { kind: 'head', layer: 0, head: 0 })!;
    expect(iou(binarize(head, { kind: 'object-area' }, im.objectArea), im.patchTruth)).toBe(1);
    expect(workerIou(im, { kind: 'head', layer: 0, head: 0 }, 0, 2)).toBe(1);
    const mean = attentionMap(im, { kind: 'head-mean', layer: 1 })!;
    expect(mean[0]).toBeCloseTo(0.5);
    expect(mean[1]).toBeCloseTo(0.5);
    expect(workerIou(im, { kind: 'head-mean', layer: 1 }, 0, 2)).toBe(0.5);
    expect(workerIou(im, { kind: 'head-mean', layer: 0 }, 0, 2)).toBeNull();
    expect(iou(binarize(attentionMap(im, { kind: 'rollout' })!, { kind: 'object-area' }, 0.25), im.patchTruth)).toBe(0);
    expect(attentionMap(im, { kind: 'head', layer: 5, head: 0 })).toBeNull();
  });
});

const cell = (mean: number, ci95: [number, number] | null = null) => ({ mean, ci95, n: ci95 ? 3 : 1 });
const rows: AttentionRow[] = [
  { row: 'none', model: 'none', mode: 'dense', seeds: 1, cells: { accuracy: cell(46.1), sparsity: cell(17.2) } },
  { row: 'top-b', model: 'none', mode: 'top-b', seeds: 3, cells: { accuracy: cell(44, [40, 48]), sparsity: cell(60, [55, 65]) } },
  { row: 'entropy-0.01', model: 'entropy-0.01', mode: 'block-sparse', seeds: 1, cells: { accuracy: cell(45) } },
];

describe('attentionSummary', () => {
  it('reads the table, columns and protocol of a summary', () => {
    const s = attentionSummary({
      analogue: 'small-scale analogue', tokens: 65, budgetKeys: 17, backend: { name: 'cpu' },
      protocol: { model: 'tiny ViT', masks: ['a', 'b'], corruptions: { noise: [1, 2] } },
      columns: { accuracy: { label: 'Top-1', unit: '%' } },
      table: [{ row: 'none', model: 'none', mode: 'dense', seeds: 1, cells: { accuracy: { mean: 46, ci95: null, n: 1 }, bad: 3 } }],
      metricKeys: { pattern: 'x', prefixes: ['none', 'entropy'] },
    });
    expect(s.analogue).toBe('small-scale analogue');
    expect(s.protocol).toEqual([['model', 'tiny ViT'], ['masks', 'a; b'], ['corruptions', '{"noise":[1,2]}']]);
    expect(s.columns).toEqual([{ key: 'accuracy', label: 'Top-1', unit: '%' }]);
    expect(Object.keys(s.table[0].cells)).toEqual(['accuracy']);
    expect(s.prefixes).toEqual(['none', 'entropy']);
    expect(attentionSummary(null).table).toEqual([]);
    expect(formatMeanCI(cell(44, [40, 48]))).toEqual({ mean: '44', ci: '[40, 48]' });
    expect(formatMeanCI(undefined)).toEqual({ mean: '–', ci: null });
    // Runs of earlier builds stored the half-width: read as mean ± h.
    const legacy = attentionSummary({ table: [{ row: 'none', cells: { accuracy: { mean: 40, ci95: 2.5, n: 3 } } }] });
    expect(legacy.table[0].cells.accuracy.ci95).toEqual([37.5, 42.5]);
  });
});

describe('accuracySparsityOption', () => {
  it('draws one labelled point per row that has both numbers, with CI whiskers', () => {
    const option = accuracySparsityOption(rows);
    const series = option.series as Array<{ type: string; name?: string; data: unknown[] }>;
    const points = series.filter((s) => s.type === 'scatter');
    expect(points.map((s) => s.name)).toEqual(['none', 'top-b']);
    expect(series.filter((s) => s.type === 'line')).toHaveLength(2);
    expect(option.animation).toBe(false);
  });

  it('renders headless to an SVG with the row labels (ECharts SSR)', () => {
    const svg = renderSvg(accuracySparsityOption(rows));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('top-b');
    expect(svg).toContain('none');
    expect(svg).toContain('Accuracy vs sparsity');
    expect(renderSvg(accuracySparsityOption([]))).toContain('<svg');
  });
});

describe('pruningCurvesOption', () => {
  const summary = attentionSummary({
    pruning: [
      { model: 'none', base: 'dense', target: 0.9, seeds: 2, accuracy: { mean: 40, ci95: [38, 42], n: 2 }, sparsity: { mean: 88, ci95: null, n: 2 }, activeKeys: { mean: 7, ci95: null, n: 2 } },
      { model: 'none', base: 'dense', target: 0.5, seeds: 2, accuracy: { mean: 45, ci95: null, n: 2 }, sparsity: { mean: 55, ci95: null, n: 2 }, activeKeys: { mean: 30, ci95: null, n: 2 } },
      { model: 'entropy', base: 'block-sparse', target: 0.9, seeds: 2, accuracy: { mean: 30, ci95: null, n: 2 }, sparsity: { mean: 91, ci95: null, n: 2 }, activeKeys: { mean: 5, ci95: null, n: 2 } },
      { model: 'broken', base: 'dense', target: 0.9, seeds: 1, accuracy: 'x' },
    ],
  });

  it('reads the pruning rows and draws one line per (model, kernel) in target order, with CI whiskers', () => {
    expect(summary.pruning).toHaveLength(4);
    const option = pruningCurvesOption(summary.pruning);
    const series = option.series as Array<{ type: string; name?: string; data: Array<{ value: number[] } | number[][]> }>;
    const named = series.filter((s) => s.name);
    expect(named.map((s) => s.name)).toEqual(['none · dense', 'entropy · block-sparse']);
    expect((named[0].data as Array<{ value: number[] }>).map((d) => d.value)).toEqual([[55, 45], [88, 40]]);
    expect(series.filter((s) => !s.name)).toHaveLength(1);
    const svg = renderSvg(option);
    expect(svg).toContain('Magnitude pruning');
    expect(renderSvg(pruningCurvesOption([]))).toContain('no pruning curves');
  });
});
