import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runsAloneOnAgent, Slots } from '../../../../src-main/cluster/agent-slots';
import { experiments } from '../../../../src-worker/experiments/registry';

const experimentsDir = join(__dirname, '../../../../src-worker/experiments');

/** Kinds whose run code asks for the exclusive slot (selftest only does so when a test config asks it to). */
function kindsMeasuringInside(): string[] {
  const kinds: string[] = [];
  for (const dir of readdirSync(experimentsDir, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === 'selftest') continue;
    const folder = join(experimentsDir, dir.name);
    const uses = readdirSync(folder)
      .filter((f) => f.endsWith('.ts'))
      .some((f) => /\bexclusively\(/.test(readFileSync(join(folder, f), 'utf8')));
    if (uses && existsSync(join(folder, 'config.ts'))) kinds.push(dir.name);
  }
  return kinds;
}

describe('what runs alone on a cluster agent', () => {
  it('every kind that measures inside its run declares it, and runs alone on an agent', () => {
    const inside = kindsMeasuringInside();
    expect(inside.length).toBeGreaterThan(0);
    for (const kind of inside) {
      const def = experiments.find((d) => d.kind === kind);
      expect(def, kind).toBeDefined();
      expect(def?.measuresInside, `${kind} calls exclusively() but does not declare measuresInside`).toBe(true);
      expect(runsAloneOnAgent(def!)).toBe(true);
    }
  });

  it('timing kinds run alone, plain kinds side by side', () => {
    expect(runsAloneOnAgent({ timing: true })).toBe(true);
    expect(runsAloneOnAgent({ timing: false })).toBe(false);
    expect(runsAloneOnAgent({ timing: false, measuresInside: true })).toBe(true);
  });

  it('a run that runs alone waits for the running one and blocks new ones', async () => {
    const slots = new Slots(2);
    const order: string[] = [];
    await slots.acquire(false);
    const alone = slots.acquire(true).then(() => order.push('alone'));
    const plain = slots.acquire(false).then(() => order.push('plain'));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    slots.release(false);
    await alone;
    expect(order).toEqual(['alone']);
    slots.release(true);
    await plain;
    expect(order).toEqual(['alone', 'plain']);
  });
});
