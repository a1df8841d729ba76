import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { resolve } from 'node:path';

const root = import.meta.dirname;

/**
 * zrender's SVG patcher, CSS animations and hover styles, and ECharts' loading spinner, resolve to stand-ins in the
 * renderer: it draws on canvas, renders SVG only to export a still figure and never shows ECharts' loading
 * animation (components/zrender-svg-static.ts, components/echarts-no-loading.ts).
 */
function echartsUnusedParts(): Plugin {
  const svgStub = resolve(root, 'src-renderer/src/components/zrender-svg-static.ts');
  const loadingStub = resolve(root, 'src-renderer/src/components/echarts-no-loading.ts');
  return {
    name: 'echarts-unused-parts',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /[\\/]zrender[\\/]lib[\\/]svg[\\/][^\\/]+$/.test(importer) && /^\.\/(cssAnimation|cssEmphasis|patch)\.js$/.test(source)) return svgStub;
      if (importer && /[\\/]echarts[\\/]lib[\\/]core[\\/]echarts\.js$/.test(importer) && source === '../loading/default.js') return loadingStub;
      return null;
    },
  };
}

export default defineConfig({
  // Main bundle: the Electron main process, the worker entry (forked as a utility process) and the CLI.
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          main: resolve(root, 'src-main/electron/main.ts'),
          worker: resolve(root, 'src-worker/entry.ts'),
          der: resolve(root, 'src-main/cli/der.ts'),
          'der-tools': resolve(root, 'src-worker/tools/der-tools.ts'),
        },
        external: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
      },
    },
  },
  // A sandboxed preload can only require('electron'): one self-contained CommonJS file.
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve(root, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    // ECharts' core registers a Chinese locale and a dark theme for everyone; the app is English and light, so
    // the locale resolves to the English one and the theme to an empty one (5 KB less to load).
    resolve: {
      alias: [
        { find: /^\.\.\/i18n\/langZH\.js$/, replacement: resolve(root, 'node_modules/echarts/lib/i18n/langEN.js') },
        { find: /^\.\.\/theme\/dark\.js$/, replacement: resolve(root, 'src-renderer/src/components/echarts-no-theme.ts') },
      ],
    },
    plugins: [echartsUnusedParts(), svelte({ configFile: resolve(root, 'svelte.config.js') })],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'src-renderer/index.html') },
      chunkSizeWarningLimit: 2000,
      minify: true,
    },
  },
});
