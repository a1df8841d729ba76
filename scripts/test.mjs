// npm test: type-check, build, find (or install) a Chromium, run every vitest project, print one closing line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from './find-chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const step = (title, cmd, args, env = process.env) => {
  console.log(`\n== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`\nnpm test: ${title} failed`);
    process.exit(r.status ?? 1);
  }
};

step('type-check (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
step('type-check (svelte-check)', bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--threshold', 'error', '--output', 'machine']);
step('floors (dependency-cruiser)', bin('depcruise'), ['src-main', 'src-worker', 'src-renderer', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']);
step('build', bin('electron-vite'), ['build']);
step('Electron security check (electronegativity)', process.execPath, [join(root, 'scripts', 'electron-security.mjs')]);

const chromium = await findChromium();
if (!chromium) {
  console.error('npm test: no Chromium for the end-to-end tests. Install one with:  sudo apt-get install -y chromium   (or set CHROMIUM_PATH)');
  process.exit(1);
}
console.log(`\n== tests (Chromium: ${chromium})`);
mkdirSync(join(root, 'test-results'), { recursive: true });
const report = join(root, 'test-results', 'vitest.json');
const r = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  console.log(`\n${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`);
}
process.exit(r.status ?? 1);
