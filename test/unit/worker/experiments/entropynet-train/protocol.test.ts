import { describe, expect, it } from 'vitest';
import { configSchema, definition, PAPER_CPU } from '../../../../../src-worker/experiments/entropynet-train/config';
import { trainingProtocol } from '../../../../../src-worker/experiments/entropynet-train/protocol';

const preset = (name: string) => configSchema.parse(definition.presets[name]);

describe('entropynet-train protocol and the Paper (CPU) preset', () => {
  it('Paper (CPU) keeps every Table 21 training setting and the Paper evaluation; only the data size differs, and the protocol says so', () => {
    const paper = preset('Paper');
    const cpu = preset('Paper (CPU)');
    const differing = Object.keys(paper).filter((k) => JSON.stringify(paper[k as keyof typeof paper]) !== JSON.stringify(cpu[k as keyof typeof cpu]));
    expect(differing.sort()).toEqual(Object.keys(PAPER_CPU).sort());
    expect(cpu.n * cpu.trainSets).toBeLessThan(paper.n * paper.trainSets);
    const p = trainingProtocol(cpu);
    expect(p.changed).toEqual([]);
    expect(p.kept).toContain('epochs 200');
    expect(p.kept).toContain('k min(16, n/4) = 16');
    expect(p.data).toBe('data reduced: 64 training and 32 validation sets of 512 points (the Paper preset: 1024 training and 32 validation sets of 1024 points; the paper states no data size)');
    expect(p.text).toMatch(/Evaluation as the Paper preset/);
    expect(trainingProtocol(paper).text).toMatch(/No training setting changed from the paper\. Data as the Paper preset/);
  });
  it('names every changed setting beside the paper\'s value, from the config rather than the preset name', () => {
    const quick = trainingProtocol(preset('Quick'));
    expect(quick.changed).toEqual(['epochs: 20 (paper: 200)', 'batch size: 8 (paper: 32)', 'regulariser from epoch: 2 (paper: 20)', 'checkpoint every: 5 epochs (paper: 10 epochs)']);
    expect(quick.text).toMatch(/Evaluation: .* \(the Paper preset: /);
    const odd = trainingProtocol(configSchema.parse({ lambda: 0, k: 8, earlyStopAction: 'disable-regularizer', n: 2048, trainSets: 1024 }));
    expect(odd.changed).toEqual(['λ: 0 (paper: 0.1)', 'k: 8 (paper: min(16, n/4))', 'early stop: regulariser stops after 10 flat margin epochs (paper: training stops after 10 flat margin epochs)']);
    expect(odd.data).toMatch(/^data differs: 1024 training and 32 validation sets of 2048 points/);
  });
});
