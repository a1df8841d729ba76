/** Checks of exported figure files with a JS parser and the Debian tools (xmllint, rsvg-convert, pdffonts). */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

/** Runs a Debian tool the tests need; a missing one fails the test with the package to install. */
export function tool(cmd: string, args: string[], pkg: string): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`${cmd} is missing: apt-get install ${pkg}`);
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.stderr ?? err.message}`);
  }
}

/** The text of every <text> element, entities decoded. */
export function texts(svg: string): string[] {
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

/** A PDF every page of which poppler reads, with every font embedded; returns the page size in points. */
export function checkPdfFile(pdf: Buffer, file: string): { widthPt: number; heightPt: number } {
  writeFileSync(file, pdf);
  const info = tool('pdfinfo', [file], 'poppler-utils');
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
  expect(m, info).not.toBeNull();
  const fonts = tool('pdffonts', [file], 'poppler-utils').trim().split('\n').slice(2);
  expect(fonts.length).toBeGreaterThan(0);
  for (const line of fonts) expect(line.split(/\s+/).at(-5), `not embedded: ${line}`).toBe('yes');
  return { widthPt: Number(m![1]), heightPt: Number(m![2]) };
}

/** Every exported file opens: SVG (parser, xmllint, rsvg-convert), PDF at `widthPt` wide with its fonts embedded, PNG by its signature. */
export function checkFigureFiles(paths: string[], widthPt: number): void {
  for (const path of paths.filter((p) => p.endsWith('.svg'))) checkSvgFile(readFileSync(path, 'utf8'), path);
  for (const path of paths.filter((p) => p.endsWith('.pdf'))) expect(checkPdfFile(readFileSync(path), path).widthPt).toBeCloseTo(widthPt, 0);
  for (const path of paths.filter((p) => p.endsWith('.png'))) expect(readFileSync(path).subarray(1, 4).toString('latin1')).toBe('PNG');
}
