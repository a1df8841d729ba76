/**
 * Commands that run science (hull, delaunay, entropy): each runs src-worker/tools/der-tools in its own
 * process, so main imports no science code. stdout, stderr and the exit code pass straight through.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot, runningFromSource } from '../paths';

export interface ExtraCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

function runTool(name: string, argv: string[]): Promise<number> {
  const root = projectRoot();
  const [entry, execArgv] = runningFromSource ? [join(root, 'src-worker', 'tools', 'der-tools.ts'), ['--import', 'tsx']] : [join(root, 'out', 'main', 'der-tools.js'), []];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...execArgv, entry, name, ...argv], { cwd: process.cwd(), stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export const extraCommands: Record<string, ExtraCommand> = {
  hull: { summary: 'convex hull of a point file or dataset (indices, time)', run: (a) => runTool('hull', a) },
  delaunay: { summary: 'Delaunay triangulation of a point file or dataset', run: (a) => runTool('delaunay', a) },
  entropy: { summary: 'H_diff / H_soft / rectangle surrogates, hard entropy, margin, structural bound', run: (a) => runTool('entropy', a) },
};
