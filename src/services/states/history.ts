// GetExecutionHistory: the events an execution recorded, oldest first (or newest with
// reverseOrder), paged by event id.

import type * as SFN from '@aws-sdk/client-sfn';
import { decodeToken, encodeToken } from '../common/pagination.js';
import type { Handler } from '../types.js';
import { invalidToken } from './machines.js';
import { eventKey, events, executionByArn } from './state.js';

export const getExecutionHistory: Handler<SFN.GetExecutionHistoryInput, SFN.GetExecutionHistoryOutput> = (input, ctx) => {
  const record = executionByArn(ctx, input.executionArn!);
  const key = `${record.machineName}:${record.name}`;
  const limit = input.maxResults || 100;
  const reverse = !!input.reverseOrder;
  const after = input.nextToken === undefined ? undefined : Number(decodeToken(input.nextToken, invalidToken));
  if (after !== undefined && !Number.isInteger(after)) throw invalidToken();
  const rows = events(ctx).list({ prefix: `${key}#`, reverse, after: after === undefined ? undefined : eventKey(key, after), limit: limit + 1 });
  const page = rows.slice(0, limit).map(([, e]) => e);
  const includeData = input.includeExecutionData !== false;
  return {
    events: page.map((e) => {
      const details = includeData ? e.details : stripData(e.details);
      return { id: e.id, previousEventId: e.previousEventId, timestamp: new Date(e.timestamp), type: e.type as SFN.HistoryEventType, ...details } as SFN.HistoryEvent;
    }),
    nextToken: rows.length > limit ? encodeToken(String(page[page.length - 1]!.id)) : undefined,
  };
};

/** includeExecutionData=false: the events without their input and output. */
function stripData(details: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!details) return details;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(details)) {
    const copy = { ...(value as Record<string, unknown>) };
    for (const field of ['input', 'output', 'inputDetails', 'outputDetails', 'parameters']) delete copy[field];
    out[name] = copy;
  }
  return out;
}

