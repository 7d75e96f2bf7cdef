// Store keys, receipt handles and task handles. Keys are built so that the store's key order is
// the order SQS needs: numbers are zero-padded to a fixed width, and a queue's keys share the
// prefix "<queue>/" (queue names cannot contain '/'). Group ids (ASCII 0x21-0x7E) are followed by
// a space, which sorts below every character a group id may contain.

import { ServiceError } from '../../errors.js';

const TIME_WIDTH = 15;
const SEQ_WIDTH = 20;

export function padTime(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(TIME_WIDTH, '0');
}

export function padSeq(seq: number): string {
  return String(seq).padStart(SEQ_WIDTH, '0');
}

/** AWS's FIFO sequence numbers are 20-digit decimals that only grow. */
export function sequenceNumber(seq: number): string {
  return '1' + String(seq).padStart(SEQ_WIDTH - 1, '0');
}

export function queuePrefix(queue: string): string {
  return `${queue}/`;
}

export function messageKey(queue: string, seq: number): string {
  return `${queue}/${padSeq(seq)}`;
}

/** Index entries ordered by the time something becomes visible, then by send order. */
export function timeKey(queue: string, at: number, seq: number): string {
  return `${queue}/${padTime(at)}/${padSeq(seq)}`;
}

/** The largest time key at or before `at`: list up to this to find what is visible now. */
export function timeKeyBound(queue: string, at: number): string {
  return `${queue}/${padTime(at)}/~`;
}

export function seqOfTimeKey(key: string): number {
  return Number(key.slice(key.length - SEQ_WIDTH));
}

export function timeOfTimeKey(key: string): number {
  return Number(key.slice(key.length - SEQ_WIDTH - 1 - TIME_WIDTH, key.length - SEQ_WIDTH - 1));
}

export function groupPrefix(queue: string, group: string): string {
  return `${queue}/${group} `;
}

export function groupMemberKey(queue: string, group: string, seq: number): string {
  return `${groupPrefix(queue, group)}${padSeq(seq)}`;
}

/** What a receipt handle names: one receive of one message in one queue. */
export interface ReceiptHandle {
  account: string;
  region: string;
  queue: string;
  seq: number;
  /** The message's receive count when this handle was issued. */
  receive: number;
}

const HANDLE = /^(\d{12}) ([a-z0-9-]+) ([A-Za-z0-9_-]{1,80}(?:\.fifo)?) (\d{1,20}) (\d{1,10}) [0-9a-f]{8}$/;

export function encodeReceiptHandle(h: ReceiptHandle, salt: string): string {
  return Buffer.from(`${h.account} ${h.region} ${h.queue} ${h.seq} ${h.receive} ${salt}`, 'utf8').toString('base64');
}

export function decodeReceiptHandle(handle: string): ReceiptHandle | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(handle)) return undefined;
  const match = HANDLE.exec(Buffer.from(handle, 'base64').toString('utf8'));
  if (!match) return undefined;
  return { account: match[1]!, region: match[2]!, queue: match[3]!, seq: Number(match[4]), receive: Number(match[5]) };
}

/** Move task handles are base64 JSON naming the task and its source queue, as AWS's are. */
export function encodeTaskHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn }), 'utf8').toString('base64');
}

export function decodeTaskHandle(handle: string, invalid: () => ServiceError): { taskId: string; sourceArn: string } {
  try {
    const doc = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as Record<string, unknown>;
    if (typeof doc.taskId === 'string' && typeof doc.sourceArn === 'string') return { taskId: doc.taskId, sourceArn: doc.sourceArn };
  } catch {
    // fall through
  }
  throw invalid();
}
