// The Node.js runtime's HTTP/1.1 client for the Runtime API: one kept-alive socket, requests
// pipelined and answered in order. node:http's client costs the worker more CPU per invocation than
// the handler usually does; this speaks only what the Runtime API needs (Content-Length or chunked
// bodies) and lets a result be posted together with the next /next in one write.

import { connect, type Socket } from 'node:net';

export interface Reply {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
}

interface Pending {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class RuntimeClient {
  private socket?: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** Path prefix of AWS_LAMBDA_RUNTIME_API, if any, before /2018-06-01. */
    private readonly prefix: string,
  ) {}

  /** Sends the requests in one write; their replies come back in order. */
  send(...requests: Array<{ method: string; path: string; body?: string; headers?: Record<string, string> }>): Array<Promise<Reply>> {
    const socket = this.connection();
    let text = '';
    const bodies: Buffer[] = [];
    for (const r of requests) {
      const body = r.body === undefined ? undefined : Buffer.from(r.body, 'utf8');
      let head = `${r.method} ${this.prefix}/2018-06-01${r.path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n`;
      for (const [name, value] of Object.entries(r.headers ?? {})) head += `${name}: ${value}\r\n`;
      if (body) head += `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n`;
      text += `${head}\r\n`;
      if (body) {
        bodies.push(Buffer.from(text, 'latin1'), body);
        text = '';
      }
    }
    if (text) bodies.push(Buffer.from(text, 'latin1'));
    socket.write(bodies.length === 1 ? bodies[0]! : Buffer.concat(bodies));
    return requests.map(() => new Promise<Reply>((resolve, reject) => this.pending.push({ resolve, reject })));
  }

  private connection(): Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.parse();
    });
    const fail = (error: Error) => {
      for (const p of this.pending.splice(0)) p.reject(error);
      this.buffered = Buffer.alloc(0);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('Runtime API connection closed')));
    this.socket = socket;
    return socket;
  }

  /** Takes every complete reply off the front of the buffer. */
  private parse(): void {
    for (;;) {
      const end = this.buffered.indexOf(HEADER_END);
      if (end < 0) return;
      const lines = this.buffered.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(lines[0]!.split(' ')[1]);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const start = end + 4;
      let body: Buffer;
      let consumed: number;
      if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
        const decoded = dechunk(this.buffered, start);
        if (!decoded) return;
        [body, consumed] = decoded;
      } else {
        const length = Number(headers['content-length'] ?? 0);
        if (this.buffered.length < start + length) return;
        body = Buffer.from(this.buffered.subarray(start, start + length));
        consumed = start + length;
      }
      this.buffered = this.buffered.subarray(consumed);
      this.pending.shift()?.resolve({ status, headers, body });
    }
  }
}

/** A chunked body starting at `offset`, and where it ends; undefined while incomplete. */
function dechunk(data: Buffer, offset: number): [Buffer, number] | undefined {
  const parts: Buffer[] = [];
  let at = offset;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (size === 0) {
      // The last chunk, then trailers (none expected) and the closing CRLF.
      const close = data.indexOf(HEADER_END, eol);
      if (close === eol) return [Buffer.concat(parts), eol + 4];
      return close < 0 ? undefined : [Buffer.concat(parts), close + 4];
    }
    if (data.length < eol + 2 + size + 2) return undefined;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
