import { describe, expect, it } from 'vitest';
import { experiments } from '../../../../src-worker/experiments/registry';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

describe('experiment config schemas', () => {
  for (const def of experiments) {
    describe(def.kind, () => {
      it('every preset validates', () => {
        for (const [name, preset] of Object.entries(def.presets)) {
          const r = def.configSchema.safeParse(preset);
          expect(r.success, `${def.kind} preset ${name}: ${r.success ? '' : r.error.message}`).toBe(true);
        }
      });

      it('an unknown key is refused and named, at the top and in every nested object', () => {
        const top = def.configSchema.safeParse({ nosuchkey: 1 });
        expect(top.success).toBe(false);
        expect(JSON.stringify(top.error?.issues)).toContain('nosuchkey');
        const defaults = def.configSchema.parse({}) as Record<string, unknown>;
        for (const [key, value] of Object.entries(defaults)) {
          if (!isPlainObject(value) || key === 'base') continue;
          const nested = def.configSchema.safeParse({ [key]: { ...value, stepz: 5 } });
          expect(nested.success, `${def.kind}.${key}.stepz accepted`).toBe(false);
          expect(nested.error?.issues.some((i) => i.path[0] === key && JSON.stringify(i).includes('stepz'))).toBe(true);
        }
      });
    });
  }

});
