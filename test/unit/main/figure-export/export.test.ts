/**
 * Every figure builder exported in the paper theme at one column (3.25 in) as SVG, PDF and PNG: the SVG is
 * well-formed and drawn by rsvg-convert, the PDF is read by poppler with every font embedded, the PNG has the
 * pixel width of its scale. Files are written whole or not at all.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportFigure, figureSvg } from '../../../../src-main/figure-export/render';
import { writeFileAtomic } from '../../../../src-main/figure-export/write-atomic';
import { checkPdfFile, checkSvgFile, texts } from '../cli/file-checks';
import { figureGallery } from '../figures/gallery';

const dir = mkdtempSync(join(tmpdir(), 'der-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HOSTILE = 'Ωrun <1> & "b"';
const paper = { theme: 'paper' as const, widthPt: 3.25 * 72, heightPt: 2.4 * 72, fontPt: 8 };

describe('paper exports of every figure at 3.25 in', () => {
  for (const fig of figureGallery(HOSTILE)) {
    it(`${fig.name}: SVG and PDF open, fonts embedded`, async () => {
      const svg = (await exportFigure(fig.option, 'svg', paper)).toString('utf8');
      expect(svg).toMatch(/^<svg width="234pt" height="173pt"/);
      checkSvgFile(svg, join(dir, `${fig.name}.svg`));
      expect(svg).toContain('DejaVu Serif');
      const size = checkPdfFile(await exportFigure(fig.option, 'pdf', paper), join(dir, `${fig.name}.pdf`));
      expect(size.widthPt).toBeCloseTo(234, 0);
      expect(size.heightPt).toBeCloseTo(173, 0);
    });
  }

  it('PNG at 1×, 2× and 3× is 96 px per inch times the scale', async () => {
    const fig = figureGallery(HOSTILE)[0];
    for (const scale of [1, 2, 3]) {
      const png = await exportFigure(fig.option, 'png', { ...paper, scale });
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(312 * scale);
    }
  });

  it('names with & < > " reach the PDF and SVG as text, not markup', async () => {
    const fig = figureGallery(HOSTILE).find((f) => f.name === 'metric-line')!;
    const svg = figureSvg(fig.option, paper);
    expect(texts(svg).some((t) => t.includes(HOSTILE))).toBe(true);
    const pdfFile = join(dir, 'names.pdf');
    writeFileSync(pdfFile, await exportFigure(fig.option, 'pdf', paper));
    expect(readFileSync(pdfFile).length).toBeGreaterThan(1000);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file behind', () => {
    const file = join(dir, 'atomic', 'fig.svg');
    writeFileAtomic(file, 'old');
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(join(dir, 'atomic'))).toEqual(['fig.svg']);
  });
  it('keeps the old file when the write fails', () => {
    const file = join(dir, 'atomic2', 'fig.svg');
    writeFileAtomic(file, 'old');
    expect(() => writeFileAtomic(join(file, 'not-a-dir', 'x.svg'), 'new')).toThrow();
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(existsSync(join(dir, 'atomic2', 'not-a-dir'))).toBe(false);
  });
});

describe('export settings', () => {
  it('paper by default at one column and 8 pt; the old metric form keeps the screen look; bad values are named', async () => {
    const { exportSettings } = await import('../../../../src-main/figure-export/settings');
    expect(exportSettings({})).toMatchObject({ theme: 'paper', widthPt: 234, fontPt: 8, scale: 2 });
    expect(exportSettings({ width: '6.75in', fontSize: '9pt', scale: '3' })).toMatchObject({ widthPt: 486, fontPt: 9, scale: 3 });
    expect(exportSettings({ theme: 'screen', width: '800' })).toMatchObject({ theme: 'screen', widthPt: 600 });
    expect(() => exportSettings({ scale: '4' })).toThrow(/1, 2 or 3/);
    expect(() => exportSettings({ theme: 'poster' })).toThrow(/paper or screen/);
  });
});
