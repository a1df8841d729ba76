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
/** The Api's arguments nest a few levels; thousands of levels only serve to exhaust the parser's stack. */
const MAX_JSON_DEPTH = 64;
const BODY_DRAIN_MS = 2000;
const STATUS: Record<string, number> = { invalid_input: 400, not_found: 404, conflict: 409, unavailable: 503, internal: 500 };

export interface HttpHost {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export async function startHttpHost(
  service: ApiService,
  options: { port?: number; rendererDir: string; maxBodyBytes?: number },
): Promise<HttpHost> {
  let port = options.port ?? 0;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = (): Set<string> => new Set([...allowedHosts()].map((h) => `http://${h}`));

  // One boundary for everything a request can throw (a bad %-escape, a body too deep to parse, a failing
  // store): whatever happens, the answer is JSON and the host stays up.
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts().has((req.headers.host ?? '').toLowerCase())) {
      return sendJson(res, 403, { error: { code: 'forbidden', message: 'Host header not allowed' } });
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/api/')) {
      const refusal = crossSiteRefusal(req, allowedOrigins());
      if (refusal) return sendJson(res, 403, { error: { code: 'forbidden', message: refusal } });
      return handleApi(service, req, res, url, maxBodyBytes);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { code: 'method', message: 'GET only' } });
    serveStatic(options.rendererDir, url.pathname, res);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, err));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":{"code":"invalid_input","message":"malformed request"}}');
    else socket.destroy();
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

/**
 * Why a request to the Api must be refused as coming from another site, or null. A page elsewhere can make the
 * browser send requests here (the Host header is then ours); the browser says where they come from.
 */
function crossSiteRefusal(req: IncomingMessage, allowedOrigins: Set<string>): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) return 'Origin not allowed';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site ${String(site)} not allowed`;
  return null;
}

async function handleApi(service: ApiService, req: IncomingMessage, res: ServerResponse, url: URL, maxBodyBytes: number): Promise<void> {
  const name = url.pathname.slice('/api/'.length);
  if (name === 'health' && req.method === 'GET') return sendJson(res, 200, await service.health());
  if (name === 'events' && req.method === 'GET') return streamEvents(service, req, res);
  const artifact = /^artifact\/([^/]+)\/(.+)$/.exec(name);
  if (artifact && req.method === 'GET') {
    const a = await service.getArtifact(decodePart(artifact[1]), decodePart(artifact[2]));
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
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) return refuseBody(req, res, maxBodyBytes);
  const body = await readBody(req, maxBodyBytes);
  if (body === null) return refuseBody(req, res, maxBodyBytes);
  const depth = nestingDepth(body);
  if (depth > MAX_JSON_DEPTH) throw new ApiError('invalid_input', `body nests deeper than ${MAX_JSON_DEPTH} levels`);
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

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ApiError('invalid_input', 'malformed %-escape in the URL');
  }
}

/** The deepest bracket nesting of a JSON text (brackets inside strings do not count), in one pass. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** The body as text, or null as soon as it passes the limit (the rest is not buffered). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > maxBytes) {
        over = true;
        chunks.length = 0;
        req.off('data', onData);
        resolve(null);
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/**
 * 413, then the connection is closed. The rest of the body is discarded (not buffered) for a moment first: a
 * socket closed with unread data resets, and the client would see the reset instead of the answer.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): void {
  res.shouldKeepAlive = false;
  sendJson(res, 413, { error: { code: 'too_large', message: `request body over ${maxBytes} bytes` } });
  req.resume();
  const t = setTimeout(() => req.socket.destroy(), BODY_DRAIN_MS);
  t.unref();
  req.socket.once('close', () => clearTimeout(t));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  const e = err instanceof ApiError ? err : new ApiError('internal', err instanceof Error ? err.message : String(err));
  try {
    if (res.headersSent) return void res.end();
    sendJson(res, STATUS[e.code] ?? 500, e.toBody());
  } catch {
    res.destroy();
  }
}

function serveStatic(root: string, pathname: string, res: ServerResponse): void {
  let rel = normalize(decodePart(pathname)).replace(/^([/\\])+/, '');
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
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
