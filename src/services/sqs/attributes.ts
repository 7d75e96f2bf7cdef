// Queue attributes: AWS's defaults and limits, validation for CreateQueue and SetQueueAttributes
// (with AWS's codes and messages), and the normalized form GetQueueAttributes reports.

import type { RequestContext } from '../types.js';
import { invalidAttributeName, invalidAttributeValue, invalidParameterValue, unknownAttribute } from './errors.js';
import { findQueueByArn, locationOfArn, queueArn } from './queues.js';
import type { QueueRecord } from './state.js';

export const MAX_MESSAGE_SIZE = 1048576;

const INTEGER_RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, MAX_MESSAGE_SIZE],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};

const ENUMS: Record<string, string[]> = {
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};

const BOOLEANS = new Set(['SqsManagedSseEnabled', 'ContentBasedDeduplication', 'FifoQueue']);
const FIFO_ONLY = new Set(['FifoQueue', 'ContentBasedDeduplication']);
const FIFO_ONLY_HIGH_THROUGHPUT = new Set(['DeduplicationScope', 'FifoThroughputLimit']);
const SETTABLE = new Set([
  ...Object.keys(INTEGER_RANGES),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'SqsManagedSseEnabled',
  ...FIFO_ONLY,
  ...FIFO_ONLY_HIGH_THROUGHPUT,
]);

export const COMPUTED_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesDelayed',
  'ApproximateNumberOfMessagesNotVisible',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
];

/** Attributes reported only while set; setting them to these values removes them. */
const ABSENT_WHEN: Record<string, string> = { KmsMasterKeyId: '', KmsDataKeyReusePeriodSeconds: '300', Policy: '', RedrivePolicy: '', RedriveAllowPolicy: '' };

export function defaultAttributes(fifo: boolean): Record<string, string> {
  const defaults: Record<string, string> = {
    DelaySeconds: '0',
    MaximumMessageSize: String(MAX_MESSAGE_SIZE),
    MessageRetentionPeriod: '345600',
    ReceiveMessageWaitTimeSeconds: '0',
    VisibilityTimeout: '30',
    SqsManagedSseEnabled: 'true',
  };
  if (fifo) Object.assign(defaults, { FifoQueue: 'true', ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' });
  return defaults;
}

export interface AttributeTarget {
  name: string;
  account: string;
  region: string;
  fifo: boolean;
  /** Current attributes (for SetQueueAttributes and an existing queue on CreateQueue). */
  current: Record<string, string>;
}

/**
 * Validates requested attributes and returns them normalized; an empty string value means
 * "remove" for the attributes that are absent by default.
 */
export function normalizeAttributes(ctx: RequestContext, requested: Record<string, string>, target: AttributeTarget, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(requested)) {
    if (!SETTABLE.has(name)) throw unknownAttribute(name);
    if (!target.fifo && FIFO_ONLY.has(name)) throw unknownAttribute(name);
    if (!target.fifo && FIFO_ONLY_HIGH_THROUGHPUT.has(name)) throw invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`);
    out[name] = normalizeValue(ctx, name, String(raw), target, creating);
  }
  const kmsKey = out.KmsMasterKeyId ?? target.current.KmsMasterKeyId ?? '';
  if (kmsKey && out.SqsManagedSseEnabled === 'true') {
    throw invalidAttributeName('You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.');
  }
  if (out.KmsMasterKeyId) out.SqsManagedSseEnabled = 'false';
  return out;
}

function normalizeValue(ctx: RequestContext, name: string, value: string, target: AttributeTarget, creating: boolean): string {
  const range = INTEGER_RANGES[name];
  if (range) {
    const n = Number(value.trim());
    if (!/^\s*-?\d+\s*$/.test(value) || n < range[0] || n > range[1]) throw invalidAttributeValue(name);
    return String(n);
  }
  if (BOOLEANS.has(name)) {
    const lower = value.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw invalidAttributeValue(name);
    if (name === 'FifoQueue' && lower === 'false' && !creating) throw invalidAttributeValue(name, 'Modifying queue type is not supported.');
    return lower;
  }
  const allowed = ENUMS[name];
  if (allowed) {
    if (!allowed.includes(value)) throw invalidAttributeValue(name);
    return value;
  }
  if (value === '') return '';
  switch (name) {
    case 'Policy':
      if (!isJsonObject(value)) throw invalidAttributeValue(name);
      return value;
    case 'RedrivePolicy':
      return redrivePolicy(ctx, value, target);
    case 'RedriveAllowPolicy':
      return redriveAllowPolicy(value);
    default:
      return value;
  }
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function redrivePolicy(ctx: RequestContext, text: string, target: AttributeTarget): string {
  const invalid = (reason: string) => invalidParameterValue(`Value ${text} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  if (!isJsonObject(text)) throw invalid('Redrive policy is not a valid JSON map.');
  const policy = JSON.parse(text) as Record<string, unknown>;
  if (policy.deadLetterTargetArn === undefined) throw invalid('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  if (policy.maxReceiveCount === undefined) throw invalid('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  const count = Number(policy.maxReceiveCount);
  if (!/^\d+$/.test(String(policy.maxReceiveCount).trim()) || count < 1 || count > 1000) {
    throw invalid(`Invalid value for maxReceiveCount: ${String(policy.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`);
  }
  const dlqArn = String(policy.deadLetterTargetArn);
  const location = locationOfArn(dlqArn);
  if (!location) throw invalid('Invalid value for deadLetterTargetArn.');
  const dlq = location.account === target.account && location.region === target.region ? findQueueByArn(ctx, dlqArn) : undefined;
  if (!dlq) throw invalid('Dead letter target does not exist.');
  if (dlq.queue.fifo !== target.fifo) throw invalid('Dead-letter queue must be same type of queue as the source..');
  if (!allowsSource(dlq.queue, queueArn(target))) throw invalid(`Dead letter target ${dlqArn} does not allow this queue to use it as a dead-letter queue.`);
  return JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: count });
}

function redriveAllowPolicy(text: string): string {
  const invalid = () => invalidParameterValue(`Value ${text} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy, as it's in an unsupported format.`);
  if (!isJsonObject(text)) throw invalid();
  const policy = JSON.parse(text) as Record<string, unknown>;
  const permission = policy.redrivePermission;
  const sources = policy.sourceQueueArns;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') throw invalid();
  if (permission === 'byQueue') {
    if (!Array.isArray(sources) || sources.length < 1 || sources.length > 10 || !sources.every((s) => typeof s === 'string')) throw invalid();
    return JSON.stringify({ redrivePermission: permission, sourceQueueArns: sources });
  }
  if (sources !== undefined) throw invalid();
  return JSON.stringify({ redrivePermission: permission });
}

/** Whether a queue's RedriveAllowPolicy lets a source queue use it as its dead-letter queue. */
export function allowsSource(dlq: QueueRecord, sourceArn: string): boolean {
  const text = dlq.attributes.RedriveAllowPolicy;
  if (!text) return true;
  const policy = JSON.parse(text) as { redrivePermission: string; sourceQueueArns?: string[] };
  if (policy.redrivePermission === 'denyAll') return false;
  if (policy.redrivePermission === 'byQueue') return policy.sourceQueueArns!.includes(sourceArn);
  return true;
}

/** Merges normalized changes into a queue's stored attributes. */
export function mergeAttributes(current: Record<string, string>, changes: Record<string, string>): Record<string, string> {
  const merged = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (ABSENT_WHEN[name] === value) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/** The value CreateQueue compares against for an existing queue. */
export function effectiveAttribute(queue: QueueRecord, name: string): string {
  return queue.attributes[name] ?? ABSENT_WHEN[name] ?? '';
}

export function isQueueAttributeName(name: string): boolean {
  return SETTABLE.has(name) || COMPUTED_ATTRIBUTES.includes(name);
}

export function maxReceiveCount(queue: QueueRecord): { dlqArn: string; max: number } | undefined {
  const text = queue.attributes.RedrivePolicy;
  if (!text) return undefined;
  const policy = JSON.parse(text) as { deadLetterTargetArn: string; maxReceiveCount: number };
  return { dlqArn: policy.deadLetterTargetArn, max: policy.maxReceiveCount };
}
