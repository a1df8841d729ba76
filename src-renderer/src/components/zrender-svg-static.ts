/**
 * Stands in for zrender's SVG modules that only a live SVG chart or an animated export needs (the DOM patcher,
 * CSS animations and hover styles, 6 KB): the renderer draws on canvas and renders SVG only to export a figure,
 * with animation off and no hover styles (see electron.vite.config.ts).
 */
export function createCSSAnimation(): void {}
export function createCSSEmphasis(): void {}

function liveSvg(): never {
  throw new Error('this build renders SVG for export only; charts on screen use the canvas renderer');
}
export function updateAttrs(): void {
  liveSvg();
}
export default function patch(): void {
  liveSvg();
}
