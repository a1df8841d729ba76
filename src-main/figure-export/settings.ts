/** Export settings from flags or Api arguments: theme, size, font size, format, PNG scale. */
import { ApiError } from '../api/contract';
import { parseFontSize, parseLength } from '../figures/paper-theme';
import { FIGURE_FORMATS, type FigureExportOptions, type FigureFormat } from './render';

export interface FigureCommandOptions {
  out?: string;
  theme?: string;
  /** A length (3.25in, 8.5cm, 240pt) or, as before, a number of pixels. */
  width?: string;
  height?: string;
  fontSize?: string;
  format?: string;
  scale?: string;
  noTitle?: boolean;
  logY?: boolean;
}

/** A width or height: a plain number is pixels (the screen sizes of the old form), else a length. */
function lengthPt(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return parseLength(`${text}px`);
  return parseLength(text);
}

export function asFormat(text: string | undefined, out: string | undefined): FigureFormat {
  const f = (text ?? out?.split('.').pop() ?? 'svg').toLowerCase();
  if (!(FIGURE_FORMATS as readonly string[]).includes(f)) throw new ApiError('invalid_input', `--format must be one of ${FIGURE_FORMATS.join(', ')} (got "${f}")`);
  return f as FigureFormat;
}

/** Export settings from the flags; the paper theme defaults to one column (3.25 in) at 8 pt. */
export function exportSettings(o: FigureCommandOptions): FigureExportOptions {
  const theme = o.theme ?? 'paper';
  if (theme !== 'paper' && theme !== 'screen') throw new ApiError('invalid_input', `--theme must be paper or screen (got "${theme}")`);
  const widthPt = lengthPt(o.width, theme === 'paper' ? 234 : 600);
  const heightPt = lengthPt(o.height, Math.round(widthPt * (theme === 'paper' ? 0.75 : 0.5625)));
  const scale = o.scale === undefined ? 2 : Number(o.scale);
  if (![1, 2, 3].includes(scale)) throw new ApiError('invalid_input', `--scale must be 1, 2 or 3 (got "${o.scale}")`);
  return { theme, widthPt, heightPt, fontPt: o.fontSize ? parseFontSize(o.fontSize) : 8, title: !o.noTitle, scale };
}

