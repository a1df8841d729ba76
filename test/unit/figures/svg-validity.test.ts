/**
 * Every figure builder exported as SVG must be a file other programs open: well-formed XML (xmllint and a JS
 * parser), drawn by rsvg-convert without error, with run and series names escaped.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSvg } from '../../../src-main/cli/figure';
import { figureGallery } from './gallery';

const HOSTILE = 'Ωrun <1> & "λ=0.1" \'x\'';
const dir = mkdtempSync(join(tmpdir(), 'der-svg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a Debian tool the tests need; a missing one fails the test with the package to install. */
function tool(cmd: string, args: string[], pkg: string): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`${cmd} is missing: apt-get install ${pkg}`);
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.stderr ?? err.message}`);
  }
}

/** The text of every <text> element, entities decoded. */
function texts(svg: string): string[] {
  const decode: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&apos;': "'" };
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&(lt|gt|amp|quot|apos|#39);/g, (e) => decode[e]));
}

export function checkSvgFile(svg: string, file: string): void {
  const valid = XMLValidator.validate(svg);
  expect(valid, typeof valid === 'object' ? `${file}: ${valid.err.msg} at line ${valid.err.line}` : file).toBe(true);
  writeFileSync(file, svg);
  tool('xmllint', ['--noout', file], 'libxml2-utils');
  const png = tool('rsvg-convert', ['--format', 'png', file], 'librsvg2-bin');
  expect(png.length).toBeGreaterThan(100);
}

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
      for (const t of texts(svg).filter((x) => x.includes('Ωrun'))) expect(t.includes(HOSTILE) || /Ωrun <1> &/.test(t)).toBe(true);
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
