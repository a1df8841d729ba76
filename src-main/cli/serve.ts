/** `der serve` / `npm run serve`: the browser host in the foreground until Ctrl-C. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpHost } from '../api/http';
import { projectRoot } from '../paths';
import { openWorkbench } from '../workbench';

export function rendererDir(): string {
  return join(projectRoot(), 'out', 'renderer');
}

export async function serveCommand(opts: { dbPath?: string; port?: number; redis?: string; concurrency?: string }): Promise<number> {
  const wb = openWorkbench({ dbPath: opts.dbPath, redis: opts.redis, concurrency: opts.concurrency, clusterSetting: true });
  const dir = rendererDir();
  if (!existsSync(join(dir, 'index.html'))) console.error('der serve: the renderer is not built yet (npm run build); the Api works, pages answer 503');
  const host = await startHttpHost(wb.service, { port: opts.port ?? 5178, rendererDir: dir });
  console.log(`DER Workbench at ${host.url}  (database ${wb.store.path}, ${wb.queue.maxConcurrent} runs at once)`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  await wb.close();
  return 0;
}
