/** A real redis-server on a free loopback port and `der` processes (agents, serve) for the cluster tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../src-main/paths';

export const redisServerPath = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function track(child: ChildProcess): Proc {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

/** `der <args>` from source, as `npm run der` runs it. */
export function startDer(args: string[]): Proc {
  const root = projectRoot();
  return track(spawn(process.execPath, ['--import', 'tsx', join(root, 'src-main', 'cli', 'der.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }));
}

export async function waitForOutput(p: Proc, pattern: RegExp, what: string, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const t0 = Date.now();
  for (;;) {
    const m = p.output().match(pattern);
    if (m) return m;
    if (p.child.exitCode !== null) throw new Error(`${what} exited: ${p.output()}`);
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}: ${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function stopProc(p: Proc | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  const t = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  await p.exited;
  clearTimeout(t);
}

export interface RedisServer {
  url: string;
  port: number;
  /** Stops it (SIGTERM: a clean shutdown; SIGKILL: a crash) and waits until it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port with the same settings. */
  restart(): Promise<void>;
}

export interface RedisOptions {
  /** Append-only file in this folder, fsynced on every write: queue and streams survive a restart. */
  persistDir?: string;
  requirepass?: string;
}

/** redis-server on a free 127.0.0.1 port (no persistence unless asked); resolves once it answers PING. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const persist = options.persistDir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', options.persistDir] : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persist, ...(options.requirepass ? ['--requirepass', options.requirepass] : [])];
  const auth = options.requirepass ? ['-a', options.requirepass, '--no-auth-warning'] : [];
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn(redisServerPath, args, { stdio: 'ignore' });
    const t0 = Date.now();
    while (!spawnSync('redis-cli', ['-p', String(port), ...auth, 'ping'], { encoding: 'utf8' }).stdout?.includes('PONG')) {
      if (Date.now() - t0 > 10_000 || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  await launch();
  const password = options.requirepass ? `:${encodeURIComponent(options.requirepass)}@` : '';
  return { url: `redis://${password}127.0.0.1:${port}`, port, stop, restart: async () => (await stop(), await launch()) };
}

/** A `der agent` for selftest runs; resolves once it serves its queues. */
export async function startAgent(url: string, label: string, lockMs = 2000): Promise<Proc> {
  const a = startDer(['agent', '--redis', url, '--label', label, '--kinds', 'selftest', '--lock-ms', String(lockMs)]);
  await waitForOutput(a, new RegExp(`der agent ${label} `), `agent ${label}`);
  return a;
}
