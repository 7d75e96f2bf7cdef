// Fogbank's own routes under /_fogbank (and the health document at /_localstack/health, which
// tools written for LocalStack wait on): health, reset, and moving the clock for black-box tests.

import type { IncomingMessage } from 'node:http';
import type { WireResponse } from '../protocols/wire.js';

export interface FogbankControl {
  health(): Record<string, unknown>;
  reset(): void;
  advanceClock(ms: number): void;
  now(): number;
  onUnexpectedError(error: unknown): void;
}

function json(status: number, value: unknown): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    return typeof value === 'object' && value ? value : {};
  } catch {
    return {};
  }
}

export async function handleInternalRoute(req: IncomingMessage, path: string, control: FogbankControl): Promise<WireResponse | undefined> {
  if (!path.startsWith('/_fogbank/') && !path.startsWith('/_localstack/')) return undefined;
  const route = `${req.method} ${path.replace(/^\/_localstack\//, '/_fogbank/').replace(/\/$/, '')}`;
  switch (route) {
    case 'GET /_fogbank/health':
    case 'HEAD /_fogbank/health':
      return json(200, control.health());
    case 'POST /_fogbank/reset':
      control.reset();
      return json(200, { reset: true });
    case 'GET /_fogbank/clock':
      return json(200, { now: new Date(control.now()).toISOString(), epochMillis: control.now() });
    case 'POST /_fogbank/clock/advance': {
      const body = await readJson(req);
      const ms = Number(body.milliseconds ?? 0) + Number(body.seconds ?? 0) * 1000;
      if (!Number.isFinite(ms) || ms < 0) return json(400, { error: 'milliseconds or seconds must be a non-negative number' });
      control.advanceClock(ms);
      return json(200, { now: new Date(control.now()).toISOString(), epochMillis: control.now() });
    }
    default:
      req.resume();
      return json(404, { error: `no Fogbank route ${route}` });
  }
}
