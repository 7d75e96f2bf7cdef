// The tokens and ids CloudWatch Logs hands out, in AWS's shapes: GetLogEvents' "f/<56 digits>/s"
// and "b/<56 digits>/s", 56-digit sequence tokens and event ids, and opaque paging tokens.

import { decodeToken, encodeToken } from '../common/pagination.js';
import { invalidToken } from './errors.js';
import { MAX_SEQ, MAX_TIMESTAMP } from './state.js';

/** A place between events in one stream: just before (t, seq), or just after it. */
export interface Position {
  t: number;
  seq: number;
}

export interface StreamToken {
  direction: 'f' | 'b';
  position: Position;
}

const STREAM_TOKEN = /^([fb])\/(\d{28})(\d{28})\/s$/;

export function streamToken(direction: 'f' | 'b', position: Position): string {
  return `${direction}/${String(position.t).padStart(28, '0')}${String(position.seq).padStart(28, '0')}/s`;
}

export function parseStreamToken(token: string): StreamToken {
  const match = STREAM_TOKEN.exec(token);
  if (!match) throw invalidToken();
  const t = Number(match[2]);
  const seq = Number(match[3]);
  if (t > MAX_TIMESTAMP || seq > MAX_SEQ) throw invalidToken();
  return { direction: match[1] as 'f' | 'b', position: { t, seq } };
}

function digits(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** A 56-digit token, as AWS's nextSequenceToken and uploadSequenceToken look. */
export function sequenceToken(streamNumber: number, uploads: number): string {
  return '4' + digits(streamNumber, 23) + digits(uploads, 32);
}

/** A 56-digit event id, unique in its group and the same every time the event is read. */
export function eventId(t: number, streamNumber: number, seq: number): string {
  return digits(t, 20) + digits(streamNumber, 16) + digits(seq, 20);
}

/** An opaque paging token holding any JSON value (a name, or a tuple). */
export function pageToken(position: unknown): string {
  return encodeToken(JSON.stringify(position));
}

export function readPageToken(token: string): unknown {
  const text = decodeToken(token, invalidToken);
  try {
    return JSON.parse(text);
  } catch {
    throw invalidToken();
  }
}
