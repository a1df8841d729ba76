/**
 * Every figure builder exported as SVG must be a file other programs open: well-formed XML (xmllint and a JS
 * parser), drawn by rsvg-convert without error, with run and series names escaped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSvg } from '../../../../src-main/cli/figure';
import { checkSvgFile, texts } from './file-checks';
import { figureGallery } from '../figures/gallery';

const HOSTILE = 'Ωrun <1> & "λ=0.1" \'x\'';
const dir = mkdtempSync(join(tmpdir(), 'der-svg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exported SVG of every figure builder', () => {
  const gallery = figureGallery(HOSTILE);

  it('covers every builder', () => {
    expect(gallery.map((g) => g.name)).toHaveLength(new Set(gallery.map((g) => g.name)).size);
    expect(gallery.length).toBeGreaterThanOrEqual(20);
  });

  for (const fig of gallery) {
    it(`${fig.name}: valid XML, rendered by rsvg-convert, names escaped`, () => {
      const svg = renderSvg(fig.option, 640, 420);
      checkSvgFile(svg, join(dir, `${fig.name}.svg`));
      expect(() => new XMLParser({ ignoreAttributes: false }).parse(svg)).not.toThrow();
      // A name is shown whole, or cut with an ellipsis, never with markup of its own.
      for (const t of texts(svg).filter((x) => x.includes('Ωrun'))) expect(t.includes(HOSTILE) || HOSTILE.startsWith(t.replace(/(\.\.\.|…)$/, '')), t).toBe(true);
      expect(svg).not.toMatch(/style="[^"]*"[^ >/]/);
    });
  }

  it('a hostile name appears decoded in the figures that show names', () => {
    const shown = gallery.filter((g) => {
      return texts(renderSvg(g.option, 640, 420)).some((t) => t.includes(HOSTILE));
    });
    expect(shown.length).toBeGreaterThanOrEqual(8);
  });
});
