// Finding queues: by the URL a client passes (any host; the path names account and queue), by
// name in the caller's account, or by ARN. Queue URLs are written with the host the client used,
// so they work from wherever the client reached Fogbank.

import { arn, parseArn } from '../common/arn.js';
import type { RequestContext } from '../types.js';
import { queueDoesNotExist } from './errors.js';
import { queueSpace, type QueueRecord, type QueueSpace } from './state.js';

export const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export interface QueueLocation {
  account: string;
  region: string;
  name: string;
}

export interface ResolvedQueue {
  space: QueueSpace;
  queue: QueueRecord;
}

/** Whether the client spoke the older query protocol (form body or Action in the URL, no X-Amz-Target). */
export function isQueryProtocol(ctx: RequestContext): boolean {
  if (ctx.headers['x-amz-target']) return false;
  return (ctx.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') || ctx.query.some(([k]) => k === 'Action');
}

export function queueUrl(ctx: RequestContext, queue: { account: string; name: string }): string {
  const host = ctx.headers['host'] || 'localhost:4566';
  const scheme = ctx.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return `${scheme}://${host}/${queue.account}/${queue.name}`;
}

export function queueArn(location: QueueLocation): string {
  return arn({ service: 'sqs', region: location.region, account: location.account, resource: location.name });
}

/**
 * Reads a QueueUrl: http(s)://<any host>/<account>/<name>, LocalStack's /queue/<region>/<account>/<name>,
 * or a bare queue name (which AWS also accepts). The region comes from an sqs.<region>. host,
 * else from the caller.
 */
export function parseQueueUrl(value: string, ctx: RequestContext): QueueLocation | undefined {
  if (QUEUE_NAME.test(value.replace(/\.fifo$/, ''))) return { account: ctx.account, region: ctx.region, name: value };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const parts = url.pathname.replace(/\/+$/, '').split('/').filter(Boolean).map(decodeURIComponent);
  let region = /^sqs\.([a-z]{2}(?:-[a-z]+)+-\d)\./.exec(url.hostname)?.[1] ?? /^([a-z]{2}(?:-[a-z]+)+-\d)\.queue\./.exec(url.hostname)?.[1];
  let account: string | undefined;
  let name: string | undefined;
  if (parts.length === 2) [account, name] = parts;
  else if (parts.length === 4 && parts[0] === 'queue') [, region, account, name] = parts;
  if (!account || !name || !/^\d{12}$/.test(account)) return undefined;
  return { account, region: region ?? ctx.region, name };
}

export function findQueue(ctx: RequestContext, location: QueueLocation): ResolvedQueue | undefined {
  const space = queueSpace(ctx.store, location.account, location.region);
  const queue = space.queues.get(location.name);
  return queue ? { space, queue } : undefined;
}

/** The queue a QueueUrl names, or AWS's QueueDoesNotExist. */
export function requireQueue(ctx: RequestContext, url: string): ResolvedQueue {
  const location = parseQueueUrl(url, ctx);
  const found = location && findQueue(ctx, location);
  if (!found) throw queueDoesNotExist(isQueryProtocol(ctx));
  return found;
}

export function locationOfArn(text: string): QueueLocation | undefined {
  const parts = parseArn(text);
  if (!parts || parts.service !== 'sqs' || !/^\d{12}$/.test(parts.account) || !parts.region) return undefined;
  return { account: parts.account, region: parts.region, name: parts.resource };
}

export function findQueueByArn(ctx: RequestContext, text: string): ResolvedQueue | undefined {
  const location = locationOfArn(text);
  return location ? findQueue(ctx, location) : undefined;
}
