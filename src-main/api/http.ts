/**
 * The loopback HTTP host: the built renderer, the Api as `POST /api/<method>` (JSON array of arguments), run
 * events as server-sent events, and `/api/health`. It binds 127.0.0.1 only and answers 403 to any Host header
 * that is not ours (a DNS-rebinding page cannot reach the Api through a name it controls).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { ApiError, type ApiEvent } from './contract';
import type { ApiService } from './service';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const MAX_BODY_BYTES = 512 * 1024 * 1024;
const STATUS: Record<string, number> = { invalid_input: 400, not_found: 404, conflict: 409, unavailable: 503, internal: 500 };

export interface HttpHost {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export async function startHttpHost(service: ApiService, options: { port?: number; rendererDir: string }): Promise<HttpHost> {
  let port = options.port ?? 0;
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const server = createServer((req, res) => {
    if (!allowedHosts().has((req.headers.host ?? '').toLowerCase())) {
      return sendJson(res, 403, { error: { code: 'forbidden', message: 'Host header not allowed' } });
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/api/')) return void handleApi(service, req, res, url).catch((err) => sendError(res, err));
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { code: 'method', message: 'GET only' } });
    serveStatic(options.rendererDir, url.pathname, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function handleApi(service: ApiService, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const name = url.pathname.slice('/api/'.length);
  if (name === 'health' && req.method === 'GET') return sendJson(res, 200, await service.health());
  if (name === 'events' && req.method === 'GET') return streamEvents(service, req, res);
  const artifact = /^artifact\/([^/]+)\/(.+)$/.exec(name);
  if (artifact && req.method === 'GET') {
    const a = await service.getArtifact(decodeURIComponent(artifact[1]), decodeURIComponent(artifact[2]));
    res.writeHead(200, {
      'content-type': a.mime,
      'content-disposition': `attachment; filename="${a.name.replace(/[^\w.-]+/g, '_')}"`,
      'x-content-type-options': 'nosniff',
    });
    return void res.end(Buffer.from(a.base64, 'base64'));
  }
  if (req.method !== 'POST') throw new ApiError('not_found', `use POST /api/${name}`);
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new ApiError('invalid_input', 'content-type must be application/json');
  }
  const body = await readBody(req);
  let args: unknown;
  try {
    args = body.length === 0 ? [] : JSON.parse(body);
  } catch {
    throw new ApiError('invalid_input', 'body is not valid JSON');
  }
  if (!Array.isArray(args)) throw new ApiError('invalid_input', 'body must be a JSON array of arguments');
  sendJson(res, 200, (await service.invoke(name, args)) ?? null);
}

function streamEvents(service: ApiService, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': connected\n\n');
  const off = service.onEvent((e: ApiEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`));
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => (off(), clearInterval(ping)));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError('invalid_input', `request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  const e = err instanceof ApiError ? err : new ApiError('internal', (err as Error)?.message ?? String(err));
  if (res.headersSent) return void res.end();
  sendJson(res, STATUS[e.code] ?? 500, e.toBody());
}

function serveStatic(root: string, pathname: string, res: ServerResponse): void {
  let rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  let file = join(root, rel);
  if (!file.startsWith(normalize(root) + sep) && file !== normalize(root)) return sendJson(res, 403, { error: { code: 'forbidden', message: 'outside the app' } });
  if (!existsSync(file) || statSync(file).isDirectory()) {
    rel = 'index.html';
    file = join(root, rel);
  }
  if (!existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain' });
    return void res.end('The renderer is not built: run `npm run build` first.');
  }
  res.writeHead(200, {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': rel === 'index.html' ? 'no-store' : 'max-age=3600',
  });
  createReadStream(file).pipe(res);
}
