// The Lambda Runtime API, served to workers on an internal 127.0.0.1 listener (never the public
// port). Each worker's AWS_LAMBDA_RUNTIME_API carries its own path prefix, so one listener tells
// workers apart: http://127.0.0.1:<port>/<worker token>/2018-06-01/runtime/invocation/next.
// The same listener serves function packages for GetFunction's Code.Location.

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { BlobStore } from '../store/blobs.js';
import { HttpConnection, type Reply, type Request } from './http-connection.js';
import type { Worker } from './worker.js';

export type { Reply } from './http-connection.js';

const ROUTE = /^\/([0-9a-f]{32})\/2018-06-01\/runtime\/(?:invocation\/(next|([^/]+)\/(response|error))|(init\/error))$/;

export class RuntimeApiServer {
  private readonly server: Server;
  private readonly workers = new Map<string, Worker>();
  private readonly sockets = new Set<Socket>();
  private address?: string;

  constructor(private readonly blobs: BlobStore) {
    this.server = createServer((socket) => {
      // Held /next requests and idle keep-alive sockets must not keep Fogbank's process alive.
      socket.unref();
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      new HttpConnection(socket, (request, reply) => this.route(request, reply));
    });
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
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private route(req: Request, res: Reply): void {
    const path = req.path;
    if (req.method === 'GET' && path.startsWith('/code/')) return this.code(path.slice(6), res);
    const m = ROUTE.exec(path);
    const worker = m ? this.workers.get(m[1]!) : undefined;
    if (!m || !worker) {
      res.send(404, JSON.stringify({ errorMessage: 'Unknown runtime API path', errorType: 'InvalidRequest' }));
      return;
    }
    if (m[2] === 'next' && req.method === 'GET') return worker.next(res);
    if (m[3] && req.method === 'POST') return worker.answer(safeDecode(m[3]), req.body, m[4] === 'error', res);
    if (m[5] && req.method === 'POST') return worker.failedInit(req.body, res);
    res.send(405);
  }

  private code(blob: string, res: Reply): void {
    const data = /^[A-Za-z0-9._-]{1,200}$/.test(blob) ? this.blobs.get(blob) : undefined;
    if (!data) {
      res.send(404);
      return;
    }
    res.send(200, data, { 'content-type': 'application/zip' });
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
