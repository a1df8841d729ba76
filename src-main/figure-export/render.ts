/**
 * A figure's option to the bytes of a file: SVG from ECharts' server-side renderer, PDF from that SVG through
 * PDFKit + svg-to-pdfkit with the theme's fonts embedded, PNG through resvg with the same font files. No
 * browser and no system tool is needed, so the CLI and the app's main process export the same files.
 */
import { createRequire } from 'node:module';
import type { EChartsOption } from 'echarts';
import { lazyPackage } from '../lazy-package';
import { PAPER_FONT_FAMILY, paperTheme } from '../figures/paper-theme';

export type FigureFormat = 'svg' | 'pdf' | 'png';
export const FIGURE_FORMATS: readonly FigureFormat[] = ['svg', 'pdf', 'png'];

export interface FigureExportOptions {
  theme: 'paper' | 'screen';
  widthPt: number;
  heightPt: number;
  fontPt?: number;
  /** Keep the figure's title (paper theme). */
  title?: boolean;
  /** PNG pixels per CSS pixel (96 per inch): 1, 2 or 3. */
  scale?: number;
}

const requireHere = createRequire(import.meta.url);

/** The TrueType files behind the figure fonts (the dejavu-fonts-ttf package), by family and style. */
const FONT_FILES: Record<string, { regular: string; bold: string; italic: string; boldItalic: string }> = {
  'DejaVu Serif': { regular: 'DejaVuSerif.ttf', bold: 'DejaVuSerif-Bold.ttf', italic: 'DejaVuSerif-Italic.ttf', boldItalic: 'DejaVuSerif-BoldItalic.ttf' },
  'DejaVu Sans': { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf', italic: 'DejaVuSans-Oblique.ttf', boldItalic: 'DejaVuSans-BoldOblique.ttf' },
};
export const FIGURE_FONTS = Object.keys(FONT_FILES);

function fontPath(file: string): string {
  return requireHere.resolve(`dejavu-fonts-ttf/ttf/${file}`);
}

const PDFDocument = lazyPackage<typeof import('pdfkit')>('pdfkit');
const SVGtoPDF = lazyPackage<typeof import('svg-to-pdfkit')>('svg-to-pdfkit');
const resvgPackage = lazyPackage<typeof import('@resvg/resvg-js')>('@resvg/resvg-js');
const echartsPackage = lazyPackage<typeof import('echarts')>('echarts');

let measuring: PDFKit.PDFDocument | null = null;

/**
 * ECharts lays out legends, titles and labels from text widths; without a canvas it guesses them for a
 * default sans font, so serif legends overlapped. Widths come instead from the TrueType metrics of the fonts
 * the files embed.
 */
function measureText(text: string, font?: string): { width: number } {
  if (!measuring) {
    measuring = new (PDFDocument())({ autoFirstPage: false });
    for (const [family, files] of Object.entries(FONT_FILES)) {
      measuring.registerFont(family, fontPath(files.regular));
      measuring.registerFont(`${family} Bold`, fontPath(files.bold));
    }
  }
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
  const bold = /\b(bold|[6-9]00)\b/.test(font ?? '');
  const family = /sans/i.test(font ?? '') && !/serif/i.test((font ?? '').replace(/sans[- ]serif/i, '')) ? 'DejaVu Sans' : 'DejaVu Serif';
  return { width: measuring.font(bold ? `${family} Bold` : family).fontSize(size).widthOfString(text) };
}

let platformSet = false;
/** ECharts for server-side rendering, with text measured from the embedded fonts (set once, at first use). */
export function echartsSsr(): typeof import('echarts') {
  const echarts = echartsPackage();
  if (!platformSet) {
    echarts.setPlatformAPI({ measureText });
    platformSet = true;
  }
  return echarts;
}

/** The option as the export draws it: restyled by the paper theme, or as on screen on white. */
export function themedOption(option: EChartsOption, opts: FigureExportOptions, fontFamily = PAPER_FONT_FAMILY): EChartsOption {
  if (opts.theme === 'paper') return paperTheme(option, { widthPt: opts.widthPt, heightPt: opts.heightPt, fontPt: opts.fontPt, title: opts.title, fontFamily });
  return { ...option, animation: false, backgroundColor: '#ffffff' };
}

/** SVG whose user unit is one point: width and height carry `pt`, so it prints at the asked size. */
export function figureSvg(option: EChartsOption, opts: FigureExportOptions): string {
  const W = Math.round(opts.widthPt);
  const H = Math.round(opts.heightPt);
  const chart = echartsSsr().init(null, null, { renderer: 'svg', ssr: true, width: W, height: H });
  try {
    chart.setOption(themedOption(option, opts));
    const svg = chart.renderToSVGString();
    return svg.replace(/^<svg width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/, '<svg width="$1pt" height="$2pt"');
  } finally {
    chart.dispose();
  }
}

/** A one-page PDF of the SVG at its size in points, every font it uses embedded (subset). */
export function svgToPdf(svg: string, widthPt: number, heightPt: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new (PDFDocument())({ size: [widthPt, heightPt], margin: 0, autoFirstPage: true, info: { Title: 'DER Workbench figure', Creator: 'DER Workbench' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    for (const [family, files] of Object.entries(FONT_FILES)) {
      doc.registerFont(family, fontPath(files.regular));
      doc.registerFont(`${family} Bold`, fontPath(files.bold));
      doc.registerFont(`${family} Italic`, fontPath(files.italic));
      doc.registerFont(`${family} Bold Italic`, fontPath(files.boldItalic));
    }
    const warnings: string[] = [];
    try {
      SVGtoPDF()(doc, svg, 0, 0, {
        width: widthPt,
        height: heightPt,
        assumePt: true,
        // Every family maps to an embedded font (a generic or system family would fall back to a standard
        // PDF font, which is not embedded).
        fontCallback: (family, bold, italic) => {
          const wanted = family.split(',').map((f) => f.trim().replace(/^['"]|['"]$/g, ''));
          const base = wanted.find((f) => f in FONT_FILES) ?? (wanted.some((f) => /serif/i.test(f) && !/sans/i.test(f)) ? 'DejaVu Serif' : 'DejaVu Sans');
          return `${base}${bold && italic ? ' Bold Italic' : bold ? ' Bold' : italic ? ' Italic' : ''}`;
        },
        warningCallback: (w) => warnings.push(w),
      });
      doc.end();
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}

/** A PNG of the SVG at 96 px per inch times `scale`, drawn with the bundled fonts only (same on every machine). */
export function svgToPng(svg: string, widthPt: number, scale = 2): Buffer {
  const fontFiles = Object.values(FONT_FILES).flatMap((f) => [f.regular, f.bold, f.italic, f.boldItalic].map(fontPath));
  const resvg = new (resvgPackage().Resvg)(svg, {
    fitTo: { mode: 'width', value: Math.round((widthPt / 72) * 96 * scale) },
    background: '#ffffff',
    font: { loadSystemFonts: false, fontFiles, defaultFontFamily: PAPER_FONT_FAMILY, serifFamily: 'DejaVu Serif', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** The file bytes of a figure in one format. */
export async function exportFigure(option: EChartsOption, format: FigureFormat, opts: FigureExportOptions): Promise<Buffer> {
  const svg = figureSvg(option, opts);
  if (format === 'svg') return Buffer.from(svg, 'utf8');
  if (format === 'pdf') return svgToPdf(svg, Math.round(opts.widthPt), Math.round(opts.heightPt));
  return svgToPng(svg, opts.widthPt, opts.scale ?? 2);
}
