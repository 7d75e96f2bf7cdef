// One client connection to the Runtime API, spoken as plain HTTP/1.1 over the socket: requests
// (Content-Length or chunked bodies, Expect: 100-continue, pipelining) are parsed here and their
// replies written back in request order. node:http's request and response objects cost more than
// the rest of a warm invocation; owning the replies' order also lets a worker's 202 for its result
// leave in the same write as its next invocation, when the worker pipelined its /next behind it.

import type { Socket } from 'node:net';

export interface Request {
  method: string;
  /** The request target, without its query string. */
  path: string;
  body: Buffer;
}

/** How a handler answers one request; replies leave in request order whenever it answers. */
export interface Reply {
  send(status: number, body?: string | Buffer, headers?: Record<string, string>): void;
}

const MAX_HEAD = 64 * 1024;
/** Larger than any payload Lambda accepts (6 MB responses, error bodies); beyond it, 413 and close. */
const MAX_BODY = 16 * 1024 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const REASONS: Record<number, string> = { 200: 'OK', 202: 'Accepted', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error' };

interface Slot {
  status?: number;
  data?: Buffer;
  /** A reply the handler will give later (a held /next); the 202 before it waits to share its write. */
  held: boolean;
}

export class HttpConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly slots: Slot[] = [];
  private closing = false;
  private closed = false;
  /** Whether 100 Continue went out for the request being received. */
  private continued = false;

  constructor(
    private readonly socket: Socket,
    private readonly handle: (request: Request, reply: Reply) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.parse();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.slots.length = 0;
    });
  }

  private parse(): void {
    while (!this.closing) {
      const end = this.buffered.indexOf(HEAD_END);
      if (end < 0) {
        if (this.buffered.length > MAX_HEAD) this.fail(431);
        return;
      }
      const lines = this.buffered.subarray(0, end).toString('latin1').split('\r\n');
      const [method, target, version] = lines[0]!.split(' ');
      if (!method || !target || !version?.startsWith('HTTP/1.')) return this.fail(400);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const start = end + 4;
      let body: Buffer;
      let consumed: number;
      if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
        const decoded = dechunk(this.buffered, start);
        if (decoded === 'bad') return this.fail(400);
        if (!decoded) return this.continueIfAsked(headers, start);
        [body, consumed] = decoded;
      } else {
        const length = Number(headers['content-length'] ?? 0);
        if (!Number.isInteger(length) || length < 0) return this.fail(400);
        if (length > MAX_BODY) return this.fail(413);
        if (this.buffered.length < start + length) return this.continueIfAsked(headers, start);
        body = Buffer.from(this.buffered.subarray(start, start + length));
        consumed = start + length;
      }
      if (body.length > MAX_BODY) return this.fail(413);
      this.buffered = this.buffered.subarray(consumed);
      this.continued = false;
      if (version === 'HTTP/1.0' || headers.connection?.toLowerCase() === 'close') this.closing = true;
      const slot: Slot = { held: false };
      this.slots.push(slot);
      this.handle({ method, path: target.split('?')[0]!, body }, this.replyFor(slot));
    }
  }

  /** curl and others wait for 100 Continue before sending a large body. */
  private continueIfAsked(headers: Record<string, string>, start: number): void {
    if (headers.expect?.toLowerCase() === '100-continue' && this.buffered.length === start && !this.continued) {
      this.continued = true;
      this.socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    }
  }

  private replyFor(slot: Slot): Reply {
    let sent = false;
    // A reply not given in this tick is held (a /next waiting for an invocation).
    queueMicrotask(() => {
      if (!sent) slot.held = true;
    });
    return {
      send: (status, body = '', headers = {}) => {
        if (sent) return;
        sent = true;
        slot.held = false;
        const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
        let head = `HTTP/1.1 ${status} ${REASONS[status] ?? 'Unknown'}\r\nContent-Type: ${headers['content-type'] ?? 'application/json'}\r\nContent-Length: ${data.length}\r\n`;
        for (const [name, value] of Object.entries(headers)) if (name !== 'content-type' && name !== 'content-length') head += `${name}: ${value}\r\n`;
        if (this.closing && this.slots.at(-1) === slot) head += 'Connection: close\r\n';
        slot.status = status;
        slot.data = Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), data]);
        this.flush();
      },
    };
  }

  /**
   * Writes the ready replies at the head, in one write. A ready reply followed by a held one
   * waits for it (both leave together): a client that pipelined does not need the first alone.
   */
  private flush(): void {
    if (this.closed) return;
    const out: Buffer[] = [];
    while (this.slots.length && this.slots[0]!.data) {
      // Only an acknowledgement (202) waits for the reply behind it.
      if (out.length === 0 && this.slots[0]!.status === 202 && this.slots.length > 1 && this.slots[1]!.held) break;
      out.push(this.slots.shift()!.data!);
    }
    if (out.length) this.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    if (this.closing && this.slots.length === 0) this.socket.end();
  }

  private fail(status: number): void {
    this.closing = true;
    this.buffered = Buffer.alloc(0);
    const slot: Slot = { held: false };
    this.slots.push(slot);
    this.replyFor(slot).send(status, JSON.stringify({ errorMessage: REASONS[status], errorType: 'InvalidRequest' }));
  }
}

/** A chunked body starting at `offset` and where it ends; undefined while incomplete. */
function dechunk(data: Buffer, offset: number): [Buffer, number] | undefined | 'bad' {
  const parts: Buffer[] = [];
  let size = 0;
  let at = offset;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const chunk = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(chunk) || chunk < 0) return 'bad';
    if (chunk === 0) {
      // Trailers (if any) end with an empty line.
      const close = data.indexOf('\r\n', eol + 2);
      if (close < 0) return undefined;
      if (close === eol + 2) return [Buffer.concat(parts), close + 2];
      const trailersEnd = data.indexOf(HEAD_END, eol);
      return trailersEnd < 0 ? undefined : [Buffer.concat(parts), trailersEnd + 4];
    }
    size += chunk;
    if (size > MAX_BODY) return 'bad';
    if (data.length < eol + 2 + chunk + 2) return undefined;
    parts.push(data.subarray(eol + 2, eol + 2 + chunk));
    at = eol + 2 + chunk + 2;
  }
}
