#!/usr/bin/env node
/**
 * `npm run der` / `npm run serve`: runs the built CLI (out/main/der.js), which starts in a fraction of a second,
 * where tsx compiled the TypeScript on every call (2 s). Builds first (electron-vite build, once) when the
 * bundle is missing or older than any file it is built from; DER_FROM_SOURCE=1 runs the sources through tsx.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'out', 'main', 'der.js');
const toolsBundle = join(root, 'out', 'main', 'der-tools.js');
const inputs = ['src-main', 'src-worker', 'db', 'package.json', 'package-lock.json', 'electron.vite.config.ts', 'tsconfig.json'];

/** Newest modification time under `path` (a file or a directory tree). */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const entry of readdirSync(path)) t = Math.max(t, newest(join(path, entry)));
  return t;
}

function stale() {
  if (!existsSync(bundle) || !existsSync(toolsBundle)) return 'missing';
  const built = Math.min(statSync(bundle).mtimeMs, statSync(toolsBundle).mtimeMs);
  const changed = inputs.find((p) => newest(join(root, p)) > built);
  return changed ? `older than ${changed}` : null;
}

if (process.env.DER_FROM_SOURCE === '1') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src-main', 'cli', 'der.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const why = stale();
if (why) {
  process.stderr.write(`der: building the CLI (out/main/der.js is ${why}) …\n`);
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('der: the build failed (see above); DER_FROM_SOURCE=1 runs the sources through tsx\n');
    process.exit(1);
  }
}
const [command] = process.argv.slice(2);
if (command === 'hull' || command === 'delaunay' || command === 'entropy') {
  // The science commands run in der-tools, which der.js would spawn anyway: loading der.js (PDF, chart and
  // SQLite modules) first would cost more than the command.
  const tools = await import(pathToFileURL(toolsBundle).href);
  await tools.runDerTools(process.argv.slice(2));
} else {
  await import(pathToFileURL(bundle).href);
}
