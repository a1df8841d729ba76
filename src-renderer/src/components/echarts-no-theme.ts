/** Stands in for ECharts' built-in dark theme, which the app never uses (see electron.vite.config.ts). */
export default {};
