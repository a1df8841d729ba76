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

function raw(
  method: string,
  path: string,
  opts: { host?: string; body?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method,
        path,
        headers: { host: opts.host ?? `127.0.0.1:${host.port}`, 'content-type': opts.contentType ?? 'application/json', ...opts.headers },
      },
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
    const unknownKey = await call('startRun', ['selftest', { stepz: 5 }]);
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.json.error.message).toMatch(/stepz/);
  });

  it('answers malformed escapes, deep nesting and cross-site requests with JSON 4xx, and stays up', async () => {
    const expectJson4xx = (r: { status: number; body: string }, status: number): void => {
      expect(r.status).toBe(status);
      expect(JSON.parse(r.body).error.code).toEqual(expect.any(String));
    };
    expectJson4xx(await raw('GET', '/%ZZ'), 400);
    expectJson4xx(await raw('GET', '/assets/%E0%A4%A'), 400);
    expectJson4xx(await raw('GET', '/api/artifact/%ZZ/x'), 400);
    expectJson4xx(await raw('GET', '/api/artifact/run/%'), 400);
    expectJson4xx(await raw('POST', '/api/listRuns', { body: '['.repeat(200_000) + ']'.repeat(200_000) }), 400);
    expectJson4xx(await raw('POST', '/api/listRuns', { body: `[${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}]` }), 400);
    const foreign = { 'origin': 'http://evil.example' };
    expectJson4xx(await raw('POST', '/api/startRun', { body: JSON.stringify(['selftest', { steps: 1 }]), headers: foreign }), 403);
    expectJson4xx(await raw('POST', '/api/listRuns', { body: '[]', headers: { 'sec-fetch-site': 'cross-site' } }), 403);
    expectJson4xx(await raw('POST', '/api/listRuns', { body: '[]', headers: { 'sec-fetch-site': 'same-site' } }), 403);
    expect(wb.store.runs.list({}).some((r) => r.config && (r.config as { steps?: number }).steps === 1)).toBe(false);
    expect((await raw('POST', '/api/listRuns', { body: '[]', headers: { origin: `http://127.0.0.1:${host.port}`, 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await raw('GET', '/api/health')).status).toBe(200);
  });

  it('answers 413 to a body over the limit before reading it', async () => {
    const small = await startHttpHost(wb.service, { port: 0, rendererDir: '/nonexistent-renderer', maxBodyBytes: 1024 });
    try {
      const post = (headers: Record<string, string>, chunks: number): Promise<{ status: number; body: string }> =>
        new Promise((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: small.port, method: 'POST', path: '/api/listRuns', headers: { host: `127.0.0.1:${small.port}`, 'content-type': 'application/json', ...headers } }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          // The client never finishes the body: only an answer before the end of the body resolves this.
          for (let i = 0; i < chunks; i++) req.write('x'.repeat(600));
        });
      const declared = await post({ 'content-length': String(600 * 1024 * 1024) }, 1);
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body).error.message).toMatch(/over 1024 bytes/);
      const chunked = await post({ 'transfer-encoding': 'chunked' }, 3);
      expect(chunked.status).toBe(413);
      expect((await raw('GET', '/api/health')).status).toBe(200);
    } finally {
      await small.close();
    }
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
