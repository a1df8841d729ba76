/** Stands in for ECharts' default loading spinner, which the app never shows (see electron.vite.config.ts). */
export default function noLoading(): never {
  throw new Error('this build has no ECharts loading animation');
}
