import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type HttpHost } from '../../src-main/api/http';
import { tempWorkbench, type TempWorkbench } from './helpers';

let wb: TempWorkbench;
let host: HttpHost;

beforeAll(async () => {
  wb = tempWorkbench();
  host = await startHttpHost(wb.service, { port: 0, rendererDir: '/nonexistent-renderer' });
});
afterAll(async () => {
  await host.close();
  await wb.dispose();
});

function raw(method: string, path: string, opts: { host?: string; body?: string; contentType?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method, path, headers: { host: opts.host ?? `127.0.0.1:${host.port}`, 'content-type': opts.contentType ?? 'application/json' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
const call = async (method: string, args: unknown[]): Promise<{ status: number; json: any }> => {
  const r = await raw('POST', `/api/${method}`, { body: JSON.stringify(args) });
  return { status: r.status, json: JSON.parse(r.body) };
};

describe('browser host', () => {
  it('listens on 127.0.0.1 only', () => {
    const addr = host.server.address();
    expect(addr).toMatchObject({ address: '127.0.0.1' });
  });

  it('answers health', async () => {
    const r = await raw('GET', '/api/health');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, version: expect.any(String) });
  });

  it('answers 403 to a foreign Host header (DNS rebinding) and accepts localhost', async () => {
    expect((await raw('GET', '/api/health', { host: 'evil.example:80' })).status).toBe(403);
    expect((await raw('GET', '/api/health', { host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await raw('POST', '/api/listRuns', { host: 'attacker.test', body: '[]' })).status).toBe(403);
    expect((await raw('GET', '/api/health', { host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('serves the Api: start a run, list it, read its metrics', async () => {
    const started = await call('startRun', ['selftest', { steps: 10, delayMs: 0 }, 'from http']);
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ kind: 'selftest', name: 'from http', status: 'queued' });
    await wb.queue.waitFor(started.json.id);
    const list = await call('listRuns', [{}]);
    expect(list.json.map((r: { id: string }) => r.id)).toContain(started.json.id);
    const metrics = await call('getMetrics', [started.json.id, ['loss'], { maxPoints: 100 }]);
    expect(metrics.json[0].points).toHaveLength(10);
  });

  it('answers typed errors with 4xx, never stack traces', async () => {
    const bad = await call('startRun', ['selftest', { steps: 'many' }]);
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_input');
    expect(bad.json.error.issues[0].path).toBe('steps');
    expect(JSON.stringify(bad.json)).not.toMatch(/at .*\.ts:\d+/);
    expect((await call('getRun', ['nope'])).status).toBe(404);
    expect((await call('noSuchMethod', [])).status).toBe(404);
    expect((await call('getRun', [42])).status).toBe(400);
    expect((await raw('POST', '/api/listRuns', { body: '{not json' })).status).toBe(400);
    expect((await raw('POST', '/api/listRuns', { body: '[]', contentType: 'text/plain' })).status).toBe(400);
  });

  it('streams run events as server-sent events', async () => {
    const events: string[] = [];
    const req = request({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { host: `127.0.0.1:${host.port}` } });
    const done = new Promise<void>((resolve) => {
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          events.push(c);
          if (events.join('').includes('"status":"done"')) resolve();
        });
      });
    });
    req.end();
    await new Promise((r) => setTimeout(r, 100));
    await call('startRun', ['selftest', { steps: 5, delayMs: 0 }]);
    await done;
    req.destroy();
    expect(events.join('')).toMatch(/event: runChanged/);
  });

  it('says the renderer is not built instead of a blank page', async () => {
    const r = await raw('GET', '/');
    expect(r.status).toBe(503);
    expect(r.body).toMatch(/npm run build/);
  });
});
