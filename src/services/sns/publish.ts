// Publish and PublishBatch: validate, give each message an id (and a sequence number on FIFO
// topics, with five-minute deduplication), then fan out to the subscribers.

import { randomUUID } from 'node:crypto';
import type * as SNS from '@aws-sdk/client-sns';
import { ServiceError } from '../../errors.js';
import type { Handler, RequestContext } from '../types.js';
import { fanOut, type Outgoing } from './deliver.js';
import { invalidParameter, topicNotFound } from './errors.js';
import { checkFifoIds, checkMessage, MAX_MESSAGE_BYTES, messageError, type MessageInput } from './message-checks.js';
import { isFifo, parseTopicArn, requireTopic, topics, type TopicRecord } from './state.js';

const DEDUP_WINDOW_MS = 5 * 60 * 1000;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

interface Accepted {
  messageId: string;
  sequenceNumber?: string;
  outgoing?: Outgoing;
}

/** Gives a checked message its id; on FIFO topics a duplicate within five minutes gets the first answer and is not delivered. */
function accept(ctx: RequestContext, topic: TopicRecord, input: MessageInput): Accepted {
  const fifo = isFifo(topic);
  const deduplicationId = checkFifoIds(input, fifo, topic.attributes.ContentBasedDeduplication === 'true');
  const now = ctx.clock.now();
  const messageId = randomUUID();
  let sequenceNumber: string | undefined;
  if (fifo) {
    for (const [id, seen] of Object.entries(topic.dedup)) if (seen.expires <= now) delete topic.dedup[id];
    const seen = topic.dedup[deduplicationId!];
    if (seen) return { messageId: seen.messageId, sequenceNumber: seen.sequenceNumber };
    topic.sequence++;
    sequenceNumber = (10n ** 19n + BigInt(topic.sequence)).toString();
    topic.dedup[deduplicationId!] = { messageId, sequenceNumber, expires: now + DEDUP_WINDOW_MS };
  }
  return {
    messageId,
    sequenceNumber,
    outgoing: {
      messageId,
      topicArn: topic.arn,
      subject: input.Subject,
      message: input.Message!,
      timestamp: new Date(now).toISOString(),
      sequenceNumber,
      attributes: input.MessageAttributes,
      structure: input.MessageStructure,
      groupId: input.MessageGroupId,
      deduplicationId,
    },
  };
}

export const publish: Handler<SNS.PublishInput, SNS.PublishResponse> = async (input, ctx) => {
  const target = input.TopicArn ?? input.TargetArn;
  if (target === undefined && input.PhoneNumber === undefined) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  checkMessage(input);
  if (target === undefined) return { MessageId: randomUUID() }; // SMS: accepted, not sent anywhere
  const location = parseTopicArn(target, input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn');
  const topic = topics(ctx, location).get(location.name);
  if (!topic) throw topicNotFound();
  const accepted = accept(ctx, topic, input);
  if (isFifo(topic)) topics(ctx, topic).put(topic.name, topic); // its sequence and deduplication ids
  if (accepted.outgoing) await fanOut(ctx, topic, [accepted.outgoing]);
  return { MessageId: accepted.messageId, SequenceNumber: accepted.sequenceNumber };
};

export const publishBatch: Handler<SNS.PublishBatchInput, SNS.PublishBatchResponse> = async (input, ctx) => {
  const entries = input.PublishBatchRequestEntries ?? [];
  const topic = requireTopic(ctx, input.TopicArn);
  if (entries.length === 0) throw new ServiceError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
  if (entries.length > 10) throw new ServiceError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
  const ids = new Set<string>();
  let bytes = 0;
  for (const entry of entries) {
    if (!BATCH_ID.test(entry.Id!)) {
      throw new ServiceError('InvalidBatchEntryId', 'The Id of a batch entry in a batch request doesn\'t abide by the specification.');
    }
    if (ids.has(entry.Id!)) throw new ServiceError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    ids.add(entry.Id!);
    bytes += Buffer.byteLength(entry.Message ?? '');
  }
  if (bytes > MAX_MESSAGE_BYTES) throw new ServiceError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');
  // The FIFO ids are checked for the whole request before any entry is accepted.
  for (const entry of entries) checkFifoIds(entry, isFifo(topic), topic.attributes.ContentBasedDeduplication === 'true');

  const Successful: SNS.PublishBatchResultEntry[] = [];
  const Failed: SNS.BatchResultErrorEntry[] = [];
  const outgoing: Outgoing[] = [];
  for (const entry of entries) {
    const error = messageError(entry);
    if (error) {
      Failed.push({ Id: entry.Id, Code: error.code, Message: error.message, SenderFault: true });
      continue;
    }
    const accepted = accept(ctx, topic, entry);
    Successful.push({ Id: entry.Id, MessageId: accepted.messageId, SequenceNumber: accepted.sequenceNumber });
    if (accepted.outgoing) outgoing.push(accepted.outgoing);
  }
  if (isFifo(topic)) topics(ctx, topic).put(topic.name, topic);
  await fanOut(ctx, topic, outgoing);
  return { Successful, Failed };
};
