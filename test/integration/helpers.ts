import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeWorkerHost, type WorkerHandle, type WorkerHost } from '../../src-main/jobs/worker-host';
import { openWorkbench, type Workbench } from '../../src-main/workbench';

export interface TempWorkbench extends Workbench {
  dir: string;
  dbPath: string;
  dispose(): Promise<void>;
}

export function tempWorkbench(options: Parameters<typeof openWorkbench>[0] = {}): TempWorkbench {
  const dir = mkdtempSync(join(tmpdir(), 'der-it-'));
  const dbPath = join(dir, 'runs.db');
  const wb = openWorkbench({ dbPath, ...options });
  return {
    ...wb,
    dir,
    dbPath,
    async dispose() {
      await wb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function until<T>(f: () => T | undefined | null | false, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A NodeWorkerHost that remembers its workers, so a test can kill one from outside. */
export class SpyHost implements WorkerHost {
  readonly name = 'spy';
  readonly workers: WorkerHandle[] = [];
  private readonly inner = new NodeWorkerHost();
  spawn(): WorkerHandle {
    const w = this.inner.spawn();
    this.workers.push(w);
    return w;
  }
}
