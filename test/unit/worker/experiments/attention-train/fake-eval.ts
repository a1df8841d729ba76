/** A complete per-model evaluation with made-up numbers, for tests of the table built from evaluations. */
import type { InferenceMode, ModeResult, ModelEval } from '../../../../../src-worker/experiments/attention-train/evaluate';

const mode = (accuracy: number, active: number): ModeResult => ({
  accuracy, sparsity: 1 - active / 65, activeKeysPerQuery: active, meanBlockLength: active / 2, attentionFlopsPerImage: active * 1000,
  modelFlopsPerImage: active * 1000 + 50_000, attentionMsPerImage: 1, modelMsPerImage: 2, peakBytes: 2 ** 20, clusterEntropy: 1,
});

export function evalOf(name: string, seed: number, acc: number): ModelEval {
  const modes: Record<InferenceMode, ModeResult> = { dense: mode(acc, 65), 'top-b': mode(acc - 0.1, 17), 'block-sparse': mode(acc - 0.05, 17) };
  const ci = (m: number) => ({ mean: m, ci95: [m, m] as [number, number], n: 1 });
  const iou = { rule: { kind: 'object-area' as const }, description: '', lastLayerMean: ci(0.3), rollout: ci(0.4), perLayerHead: [], perImage: { lastLayerMean: [], rollout: [], layerHead: [] } };
  return {
    name, method: name, seed, budgetKeys: 17, clusters: 8, anchorsSource: name === 'entropy' ? 'learned' : 'k-means', denseAccuracy: acc,
    tfjsDense: { modelMsPerImage: 4, peakBytes: 1 }, modes, theorem2: { rows: 4, delta: [], error: [], bound: [], layer: [], violations: 0, meanDelta: 0.1, meanError: 0.01 },
    iou: [iou, { ...iou, rule: { kind: 'fraction', keep: 0.25 } }], corruption: null, ood: {}, trainMs: 1000, stepMs: 10 + seed / 100,
    regularisedSteps: 0, marginStopStep: null, finalValAccuracy: acc,
    pruning: [{ base: 'dense' as const, target: 0.85, tau: [0.01], accuracy: acc - 0.1, sparsity: 0.85, activeKeysPerQuery: 10 }], pgd: null,
  };
}

