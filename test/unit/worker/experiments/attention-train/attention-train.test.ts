import { describe, expect, it } from 'vitest';
import { configSchema, definition } from '../../../../../src-worker/experiments/attention-train/config';
import { modelSpecs } from '../../../../../src-worker/experiments/attention-train/run';
import { buildPruning, buildTable, claimLinks } from '../../../../../src-worker/experiments/attention-train/table';
import type { InferenceMode, ModeResult, ModelEval } from '../../../../../src-worker/experiments/attention-train/evaluate';

function mode(accuracy: number, ms: number, active: number): ModeResult {
  return {
    accuracy,
    sparsity: 1 - active / 65,
    activeKeysPerQuery: active,
    meanBlockLength: active / 2,
    attentionFlopsPerImage: active * 1000,
    modelFlopsPerImage: active * 1000 + 50_000,
    attentionMsPerImage: ms / 2,
    modelMsPerImage: ms,
    peakBytes: 2 ** 20,
    clusterEntropy: 1,
  };
}

function evalOf(name: string, seed: number, acc: number, errScale: number): ModelEval {
  const modes: Record<InferenceMode, ModeResult> = { dense: mode(acc, 10, 65), 'top-b': mode(acc - 0.1, 9, 17), 'block-sparse': mode(acc - 0.05, 5, 17) };
  const iou = { rule: { kind: 'object-area' as const }, description: '', lastLayerMean: { mean: 0.3, ci95: [0.29, 0.31] as [number, number], n: 10 }, rollout: { mean: 0.4, ci95: [0.39, 0.41] as [number, number], n: 10 }, perLayerHead: [], perImage: { lastLayerMean: [], rollout: [], layerHead: [] } };
  return {
    name, method: name.startsWith('entropy') ? 'entropy' : name, seed, budgetKeys: 17, clusters: 8, anchorsSource: 'k-means', denseAccuracy: acc,
    tfjsDense: { modelMsPerImage: 4, peakBytes: 1 }, modes, theorem2: { rows: 0, delta: [], error: [], bound: [], layer: [], violations: 0, meanDelta: 0, meanError: 0 },
    iou: [iou, { ...iou, rule: { kind: 'fraction', keep: 0.25 } }],
    corruption: { cleanError: 1 - acc, errors: { noise: [0.2, 0.4].map((e) => e * errScale) }, images: 10 },
    ood: { 'ood-random': acc - 0.2 }, trainMs: 1000 * errScale, stepMs: null, regularisedSteps: 0, marginStopStep: null, finalValAccuracy: acc,
    pruning: [0.5, 0.85, 0.9].flatMap((target) => [
      { base: 'dense' as const, target, tau: [0.01], accuracy: acc - target / 10, sparsity: target + 0.01 * seed, activeKeysPerQuery: 65 * (1 - target) },
      ...(name.startsWith('entropy') ? [{ base: 'block-sparse' as const, target, tau: [0.02], accuracy: acc - target / 20, sparsity: target, activeKeysPerQuery: 10 }] : []),
    ]),
    pgd: { images: 10, eps: 8 / 255, steps: 10, stepSize: 2 / 255, cleanAccuracy: acc, accuracy: acc / 4 },
  };
}

describe('attention-train: presets, models and the final table', () => {
  it('every preset parses, and Quick trains none and one entropy model', () => {
    for (const preset of Object.values(definition.presets)) expect(configSchema.safeParse(preset).success).toBe(true);
    const quick = configSchema.parse(definition.presets.Quick);
    expect(modelSpecs(quick).map((s) => s.prefix)).toEqual(['none', 'entropy']);
    const table = configSchema.parse(definition.presets['Table 4/5 analogue']);
    const specs = modelSpecs(table);
    expect(specs.length).toBe(3 * 5);
    expect(specs.map((s) => s.prefix)).toContain('entropy/seed-456');
    // Our variant trains beside the paper's term at the same λ, one model per seed.
    expect(specs.filter((s) => s.method === 'entropy-floor').map((s) => [s.prefix, s.lambda])).toEqual([42, 123, 456].map((seed) => [`entropy-floor/seed-${seed}`, 0.01]));
    expect(specs.filter((s) => s.method === 'entropy-per-image').map((s) => s.prefix)).toEqual([42, 123, 456].map((seed) => `entropy-per-image/seed-${seed}`));
    // top-b reuses the none model: it is never trained twice.
    expect(specs.filter((s) => s.name === 'none').length).toBe(3);
  });

  it('no interval over seeds leaves its quantity\'s range: entropy and error at or above 0, a tail mass and accuracy in range', () => {
    // Two seeds far apart near the edges: the plain t-interval (t = 12.7 at 1 df) would reach below 0 and above 1 or 100%.
    const evals = [42, 123].flatMap((seed, i) => {
      const e = evalOf('entropy', seed, i ? 0.99 : 0.6, 1);
      e.modes['block-sparse'] = { ...e.modes['block-sparse'], clusterEntropy: i ? 0.2 : 0.001 };
      e.theorem2 = { ...e.theorem2, rows: 4, meanDelta: i ? 0.95 : 0.1, meanError: i ? 0.9 : 0.01 };
      return [evalOf('none', seed, 0.8, 1), e];
    });
    const entropy = buildTable(evals, ['none', 'entropy'], ['entropy']).rows.find((r) => r.row === 'entropy')!.cells;
    expect(entropy.clusterEntropy.ci95![0]).toBe(0);
    expect(entropy.theorem2Error.ci95![0]).toBe(0);
    expect(entropy.theorem2Delta.ci95).toEqual([0, 1]);
    expect(entropy.accuracy.ci95![1]).toBe(100);
    expect(entropy.clusterEntropy.mean).toBeCloseTo(0.1005, 12);
  });

  it('rows pair (model, mode) as Table 4 does and aggregate over seeds with a CI', () => {
    const evals = [42, 123].flatMap((seed, i) => [evalOf('none', seed, 0.8 + i * 0.02, 1), evalOf('l1', seed, 0.7, 1.5), evalOf('entropy', seed, 0.75, 0.5)]);
    const { rows, grid } = buildTable(evals, ['none', 'top-b', 'l1', 'entropy'], ['entropy']);
    expect(rows.map((r) => [r.row, r.model, r.mode])).toEqual([
      ['none', 'none', 'dense'],
      ['top-b', 'none', 'top-b'],
      ['l1', 'l1', 'top-b'],
      ['entropy', 'entropy', 'block-sparse'],
    ]);
    const none = rows[0].cells;
    expect(none.accuracy.mean).toBeCloseTo(81, 9);
    expect(none.accuracy.n).toBe(2);
    // [lo, hi] around the mean, the convention the view and the Claims report read.
    expect(none.accuracy.ci95?.[0]).toBeLessThan(81);
    expect(none.accuracy.ci95?.[1]).toBeGreaterThan(81);
    expect(none.mceHD.mean).toBeCloseTo(100, 9);
    expect(rows[3].cells.mceHD.mean).toBeCloseTo(50, 9);
    expect(rows[3].cells.speedup.mean).toBeCloseTo(2, 9);
    expect(rows[2].cells.trainCost.mean).toBeCloseTo(1.5, 9);
    expect(grid.length).toBe(6 * 3);
    // Our variants' models are block-sparse rows of their own, only when their method was asked for.
    const variants = [42, 123].flatMap((seed) => [evalOf('entropy-floor', seed, 0.7, 0.5), evalOf('entropy-per-image', seed, 0.72, 0.5)]);
    const withVariants = buildTable([...evals, ...variants], ['none', 'entropy', 'entropy-per-image'], ['entropy', 'entropy-floor', 'entropy-per-image']);
    expect(withVariants.rows.map((r) => [r.row, r.mode])).toEqual([['none', 'dense'], ['entropy', 'block-sparse'], ['entropy-per-image', 'block-sparse']]);
    const links = claimLinks(rows, 'entropy', 1, [], { magnitude: 0.85, combined: 0.9 });
    const t18 = links.find((l) => l.claim === 'T18.der.iou-gt');
    expect(t18?.column).toBe('iouLast2');
    expect(t18?.ours?.mean).toBeCloseTo(0.3, 9);
    expect(links.find((l) => l.claim === 'T4.topb-magnitude.top1')?.ours?.mean).toBeCloseTo(71, 9);
    expect(links.every((l) => l.note.includes('analogue'))).toBe(true);
    // Rows that were not trained link nothing rather than another row's number.
    expect(links.find((l) => l.claim === 'T27.label-smoothing.mce')?.ours).toBeNull();
    expect(links.find((l) => l.claim === 'T27.der.pgd10-acc')?.ours?.mean).toBeCloseTo(75 / 4, 9);
  });

  it('Table 19: pruning points aggregate per (model, base, target) and feed the claim rows at their targets', () => {
    const evals = [42, 123].flatMap((seed) => [evalOf('none', seed, 0.8, 1), evalOf('entropy', seed, 0.75, 0.5), evalOf('label-smoothing', seed, 0.79, 0.9), evalOf('fgsm-at', seed, 0.6, 2)]);
    const pruning = buildPruning(evals);
    expect(pruning.length).toBe(3 + 6 + 3 + 3);
    const none85 = pruning.find((p) => p.model === 'none' && p.base === 'dense' && p.target === 0.85);
    expect(none85?.seeds).toBe(2);
    expect(none85?.accuracy.mean).toBeCloseTo(100 * (0.8 - 0.085), 9);
    expect(none85?.sparsity.mean).toBeCloseTo(100 * (0.85 + 0.01 * (42 + 123) / 2), 9);
    const { rows } = buildTable(evals, ['none', 'entropy', 'label-smoothing', 'fgsm-at'], ['entropy']);
    expect(rows.map((r) => [r.row, r.mode])).toEqual([['none', 'dense'], ['entropy', 'block-sparse'], ['label-smoothing', 'dense'], ['fgsm-at', 'dense']]);
    expect(rows[3].cells.trainCost.mean).toBeCloseTo(2, 9);
    // With interleaved step timings, the cost ratio comes from them, not from wall-clock training time.
    const timed = evals.map((e) => ({ ...e, stepMs: e.name === 'fgsm-at' ? 300 : 100 }));
    const timedRows = buildTable(timed, ['none', 'entropy', 'label-smoothing', 'fgsm-at'], ['entropy']).rows;
    expect(timedRows[3].cells.trainCost.mean).toBeCloseTo(3, 9);
    expect(timedRows[3].cells.trainStepMs.mean).toBeCloseTo(300, 9);
    expect(rows[3].cells.pgdAccuracy.mean).toBeCloseTo(15, 9);
    const links = claimLinks(rows, 'entropy', 1, pruning, { magnitude: 0.85, combined: 0.9 });
    const at = (id: string) => links.find((l) => l.claim === id);
    expect(at('T19.magnitude.accuracy')?.ours?.mean).toBeCloseTo(100 * (0.8 - 0.085), 9);
    expect(at('T19.der-plus-magnitude.accuracy')?.ours?.mean).toBeCloseTo(100 * (0.75 - 0.045), 9);
    expect(at('T19.der-plus-magnitude.sparsity')?.ours?.mean).toBeCloseTo(90, 9);
    // mCE rows read the raw mean corruption error; the H&D value (normalised by none, 100 for none itself) is in the note.
    expect(at('T27.label-smoothing.mce')?.ours?.mean).toBeCloseTo(27, 9);
    expect(at('T27.label-smoothing.mce')?.note).toContain('normalised by our none model (Hendrycks & Dietterich): 90.0');
    expect(at('T27.standard.mce')?.ours?.mean).toBeCloseTo(30, 9);
    expect(at('T27.fast-fgsm.pgd10-acc')?.ours?.mean).toBeCloseTo(15, 9);
    // A target the run did not evaluate is reported as not run, never filled from a neighbour.
    const missing = claimLinks(rows, 'entropy', 1, pruning, { magnitude: 0.8, combined: 0.9 }).find((l) => l.claim === 'T19.magnitude.accuracy');
    expect(missing?.ours).toBeNull();
    expect(missing?.note).toMatch(/not run/);
  });
});
