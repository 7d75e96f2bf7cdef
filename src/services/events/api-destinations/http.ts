// The HTTP side of API destinations: one request with a connection's extra parameters, and the
// failures EventBridge sorts its answers into (a 5-second limit as on AWS; 401, 407, 409, 429
// and 5xx are retried, other statuses are not).

import type * as EB from '@aws-sdk/client-eventbridge';
import { TargetFailure } from '../failures.js';

const TIMEOUT_MS = 5_000;
const RETRIED = new Set([401, 407, 409, 429]);

export interface HttpCall {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** Adds a connection's header, query and body parameters (body ones to a JSON object body or a form). */
export function applyParameters(call: HttpCall, params: EB.ConnectionHttpParameters | undefined, form = false): void {
  for (const h of params?.HeaderParameters ?? []) if (h.Key) call.headers[h.Key.toLowerCase()] = h.Value ?? '';
  for (const q of params?.QueryStringParameters ?? []) if (q.Key) call.url.searchParams.set(q.Key, q.Value ?? '');
  const body = params?.BodyParameters ?? [];
  if (!body.length) return;
  if (form) {
    const fields = new URLSearchParams(call.body ?? '');
    for (const b of body) if (b.Key) fields.set(b.Key, b.Value ?? '');
    call.body = fields.toString();
    return;
  }
  try {
    const parsed = JSON.parse(call.body ?? '{}') as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return;
    for (const b of body) if (b.Key) (parsed as Record<string, unknown>)[b.Key] = b.Value ?? '';
    call.body = JSON.stringify(parsed);
  } catch {
    // A body that is not a JSON object keeps its text; AWS adds body parameters only to JSON objects.
  }
}

/** Sends the call; answers the response text, or throws a TargetFailure sorted as EventBridge sorts it. */
export async function send(call: HttpCall): Promise<{ status: number; text: string }> {
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.method === 'GET' || call.method === 'HEAD' ? undefined : call.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new TargetFailure('TIMEOUT', `The request to ${call.url.host} timed out after 5 seconds.`, true);
    throw new TargetFailure('CONNECTION_FAILURE', `Unable to connect to ${call.url.host}: ${(error as Error).cause ?? (error as Error).message}`, true);
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) return { status: response.status, text };
  const retried = RETRIED.has(response.status) || response.status >= 500;
  throw new TargetFailure('ERROR_FROM_TARGET', `The endpoint answered HTTP ${response.status}.`, retried);
}
