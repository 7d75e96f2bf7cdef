// Invoking a mapping's function with one batch: synchronously, through Lambda's own Invoke as the
// mapping's caller, so the function runs exactly as a client's invocation would.

import type * as L from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../types.js';

export interface BatchResult {
  /** The function returned without error. */
  ok: boolean;
  /** Its answer, parsed as JSON when it is JSON. */
  payload?: unknown;
  /** What Invoke answered, for an on-failure record's responseContext (absent when Invoke itself failed). */
  response?: { statusCode: number; executedVersion: string; functionError?: string };
}

export async function invokeFunction(ctx: RequestContext, functionArn: string, event: unknown): Promise<BatchResult> {
  let out: L.InvocationResponse;
  try {
    out = (await ctx.call('lambda', 'Invoke', {
      FunctionName: functionArn,
      InvocationType: 'RequestResponse',
      Payload: Buffer.from(JSON.stringify(event)),
    })) as L.InvocationResponse;
  } catch {
    // Throttled, or the function is gone: the batch counts as failed.
    return { ok: false };
  }
  const response = { statusCode: out.StatusCode ?? 200, executedVersion: out.ExecutedVersion ?? '$LATEST', ...(out.FunctionError ? { functionError: out.FunctionError } : {}) };
  if (out.FunctionError) return { ok: false, response };
  let payload: unknown;
  try {
    payload = out.Payload && out.Payload.length ? JSON.parse(Buffer.from(out.Payload).toString('utf8')) : undefined;
  } catch {
    payload = undefined;
  }
  return { ok: true, payload, response };
}
