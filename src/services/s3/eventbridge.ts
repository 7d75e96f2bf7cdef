// S3 events for EventBridge: with EventBridgeConfiguration on a bucket, every object created or
// deleted becomes an event on the bucket owner's default bus, in S3's EventBridge shape (source
// aws.s3, detail-type "Object Created" / "Object Deleted", the key as it is, not URL-encoded), sent
// with EventBridge's own PutEvents.

import type { RequestContext } from '../types.js';
import type { ObjectEvent } from './events.js';

/** eventName -> [detail-type, reason, deletion-type]. */
const DETAIL: Record<string, [string, string, string?]> = {
  'ObjectCreated:Put': ['Object Created', 'PutObject'],
  'ObjectCreated:Post': ['Object Created', 'POST Object'],
  'ObjectCreated:Copy': ['Object Created', 'CopyObject'],
  'ObjectCreated:CompleteMultipartUpload': ['Object Created', 'CompleteMultipartUpload'],
  'ObjectRemoved:Delete': ['Object Deleted', 'DeleteObject', 'Permanently Deleted'],
  'ObjectRemoved:DeleteMarkerCreated': ['Object Deleted', 'DeleteObject', 'Delete Marker Created'],
};

/** The MD5 of nothing: the ETag S3 gives a delete marker. */
const EMPTY_ETAG = 'd41d8cd98f00b204e9800998ecf8427e';

/** The PutEvents entry for an object event, or undefined for events S3 does not send to EventBridge. */
export function eventBridgeEntry(ctx: RequestContext, bucket: string, event: ObjectEvent, sequencer: string, sourceIp: string): Record<string, unknown> | undefined {
  const kind = DETAIL[event.eventName];
  if (!kind) return undefined;
  const [detailType, reason, deletionType] = kind;
  const object: Record<string, unknown> = { key: event.key };
  if (event.size !== undefined) object.size = event.size;
  if (event.etag !== undefined) object.etag = event.etag.replace(/"/g, '');
  else if (deletionType === 'Delete Marker Created') object.etag = EMPTY_ETAG;
  if (event.versionId !== undefined) object['version-id'] = event.versionId;
  object.sequencer = sequencer;
  const detail: Record<string, unknown> = {
    version: '0',
    bucket: { name: bucket },
    object,
    'request-id': ctx.requestId,
    requester: ctx.account,
    'source-ip-address': sourceIp,
    reason,
  };
  if (deletionType) detail['deletion-type'] = deletionType;
  return {
    Source: 'aws.s3',
    DetailType: detailType,
    Detail: JSON.stringify(detail),
    Resources: [`arn:aws:s3:::${bucket}`],
    EventBusName: 'default',
    Time: new Date(ctx.clock.now()),
  };
}

export async function sendToEventBridge(ctx: RequestContext, entry: Record<string, unknown>): Promise<void> {
  try {
    const out = (await ctx.call('events', 'PutEvents', { Entries: [entry] })) as { FailedEntryCount?: number; Entries?: Array<{ ErrorMessage?: string }> };
    if (out.FailedEntryCount) console.warn(`fogbank s3: EventBridge refused an event: ${out.Entries?.[0]?.ErrorMessage ?? 'unknown error'}`);
  } catch (error) {
    console.warn(`fogbank s3: EventBridge delivery failed: ${(error as Error).message}`);
  }
}
