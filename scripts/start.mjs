// npm start: build, then open the Electron app; where there is no Electron binary (or no display), serve the
// same UI from the browser host and print its URL.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron, hasDisplay } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = findElectron();
const args = process.argv.slice(2);
let child;
if (electron.path && hasDisplay()) {
  child = spawn(electron.path, [root, ...args], { cwd: root, stdio: 'inherit' });
} else {
  const why = electron.path ? 'there is no display (DISPLAY is not set)' : electron.why;
  console.log(`No Electron window: ${why}; serving the same UI from the browser host instead.`);
  child = spawn(process.execPath, [join(root, 'out', 'main', 'der.js'), 'serve', ...args], { cwd: root, stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
