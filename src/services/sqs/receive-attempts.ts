// FIFO receive retries (ReceiveRequestAttemptId): a receive that repeats an attempt id seen on the
// queue within five minutes answers the same messages with the same receipt handles and starts
// their visibility timeout again, so a client that lost the first answer gets it back. That holds
// while none of those messages was deleted, received again or had its visibility changed, and
// while they are still in flight; otherwise the receive is a new one under that id.

import { setVisibility } from './engine.js';
import { messageKey, padTime } from './keys.js';
import type { MessageRecord, QueueRecord, QueueSpace } from './state.js';

export const ATTEMPT_WINDOW_MS = 5 * 60 * 1000;

export interface ReceiveAttempt {
  expiresAt: number;
  /** Each message's sequence, its receive count then (the handle) and when it was to become visible. */
  messages: Array<{ seq: number; receive: number; visibleAt: number }>;
}

function attemptKey(queue: string, attemptId: string): string {
  return `${queue}/${attemptId}`;
}

/** The messages an earlier receive under this attempt id returned, put in flight again; undefined when it cannot be repeated. */
export function repeatAttempt(space: QueueSpace, queue: QueueRecord, attemptId: string, now: number, visibilityTimeout: number): MessageRecord[] | undefined {
  const key = attemptKey(queue.name, attemptId);
  const attempt = space.attempts.get(key);
  if (!attempt || attempt.expiresAt <= now) return undefined;
  const messages: MessageRecord[] = [];
  for (const { seq, receive, visibleAt } of attempt.messages) {
    const message = space.messages.get(messageKey(queue.name, seq));
    if (!message || message.receiveCount !== receive || message.visibleAt !== visibleAt || visibleAt <= now) return undefined;
    messages.push(message);
  }
  for (const message of messages) setVisibility(space, queue, message, now + visibilityTimeout * 1000);
  space.attempts.put(key, { ...attempt, messages: messages.map((m) => ({ seq: m.seq, receive: m.receiveCount, visibleAt: m.visibleAt })) });
  return messages;
}

/** Remembers what a receive under this attempt id returned, and forgets a few attempts past their window. */
export function recordAttempt(space: QueueSpace, queue: QueueRecord, attemptId: string, messages: MessageRecord[], now: number): void {
  const q = queue.name;
  for (const [key, id] of space.attemptExpiry.list({ prefix: `${q}/`, to: `${q}/${padTime(now)}/~`, limit: 20 })) {
    space.attemptExpiry.delete(key);
    const earlier = space.attempts.get(attemptKey(q, id));
    if (earlier && earlier.expiresAt <= now) space.attempts.delete(attemptKey(q, id));
  }
  if (messages.length === 0) return;
  const expiresAt = now + ATTEMPT_WINDOW_MS;
  space.attempts.put(attemptKey(q, attemptId), { expiresAt, messages: messages.map((m) => ({ seq: m.seq, receive: m.receiveCount, visibleAt: m.visibleAt })) });
  space.attemptExpiry.put(`${q}/${padTime(expiresAt)}/${attemptId}`, attemptId);
}
