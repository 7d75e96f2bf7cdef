// The Lambda Runtime API, served to workers on an internal 127.0.0.1 listener (never the public
// port). Each worker's AWS_LAMBDA_RUNTIME_API carries its own path prefix, so one listener tells
// workers apart: http://127.0.0.1:<port>/<worker token>/2018-06-01/runtime/invocation/next.
// The same listener serves function packages for GetFunction's Code.Location.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BlobStore } from '../store/blobs.js';
import type { Worker } from './worker.js';

const ROUTE = /^\/([0-9a-f]{32})\/2018-06-01\/runtime\/(?:invocation\/(next|([^/]+)\/(response|error))|(init\/error))$/;

export class RuntimeApiServer {
  private readonly server: Server;
  private readonly workers = new Map<string, Worker>();
  private address?: string;

  constructor(private readonly blobs: BlobStore) {
    this.server = createServer({ keepAliveTimeout: 0 }, (req, res) => void this.route(req, res));
    // Held /next requests and idle keep-alive sockets must not keep Fogbank's process alive.
    this.server.on('connection', (socket) => socket.unref());
    this.server.unref();
  }

  /** host:port of the listener, started on first use. */
  async start(): Promise<string> {
    if (this.address) return this.address;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    return (this.address = `127.0.0.1:${port}`);
  }

  register(worker: Worker): void {
    this.workers.set(worker.token, worker);
  }

  unregister(worker: Worker): void {
    this.workers.delete(worker.token);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path.startsWith('/code/')) return this.code(path.slice(6), res);
    const m = ROUTE.exec(path);
    const worker = m ? this.workers.get(m[1]!) : undefined;
    if (!m || !worker) {
      req.resume();
      reply(res, 404, JSON.stringify({ errorMessage: 'Unknown runtime API path', errorType: 'InvalidRequest' }));
      return;
    }
    const body = await readBody(req);
    if (m[2] === 'next' && req.method === 'GET') return worker.next(res);
    if (m[3] && req.method === 'POST') return worker.answer(decodeURIComponent(m[3]), body, m[4] === 'error', res);
    if (m[5] && req.method === 'POST') return worker.failedInit(body, res);
    reply(res, 405);
  }

  private code(blob: string, res: ServerResponse): void {
    const data = /^[A-Za-z0-9._-]{1,200}$/.test(blob) ? this.blobs.get(blob) : undefined;
    if (!data) {
      reply(res, 404);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': data.length }).end(data);
  }
}

/**
 * Answers with a Content-Length: writeHead() without one makes Node send the body chunked, which
 * costs both ends framing on every invocation.
 */
export function reply(res: ServerResponse, status: number, body: string | Buffer = '', headers: Record<string, string> = {}): void {
  const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'content-type': 'application/json', ...headers, 'content-length': String(data.length) }).end(data);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
