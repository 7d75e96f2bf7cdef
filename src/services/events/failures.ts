// What happens when a target cannot take an event: AWS's retry policy and dead-letter queue.
//
// Errors are sorted as EventBridge sorts them: a target that does not exist (NO_RESOURCE) or
// refuses permission (NO_PERMISSIONS) goes straight to the dead-letter queue without retries;
// throttling, timeouts, connection failures and errors the target answers (ERROR_FROM_TARGET: a
// 5xx, or an API destination's 401/407/409/429/5xx) are retried until MaximumRetryAttempts or
// MaximumEventAgeInSeconds runs out (defaults 185 and 24 hours), then dead-lettered with
// EXHAUSTED_RETRY_CONDITION naming the limit reached. AWS backs off exponentially with jitter;
// Fogbank backs off deterministically (1 s, 2 s, 4 s ... capped at 5 minutes) on its clock, so a
// test moves the clock to see each retry. Pending retries are kept in the store (stored-retries.ts).

import type * as EB from '@aws-sdk/client-eventbridge';
import { parseArn } from '../common/arn.js';
import type { RequestContext } from '../types.js';

export const DEFAULT_MAX_RETRIES = 185;
export const DEFAULT_MAX_AGE_SECONDS = 86_400;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 5 * 60_000;

/** A delivery failure sorted into EventBridge's error codes. */
export class TargetFailure extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Sorts an error from a target (an internal call's ServiceError, or a TargetFailure already). */
export function classify(error: unknown): TargetFailure {
  if (error instanceof TargetFailure) return error;
  const { code = '', status = 500, message = '' } = error as { code?: string; status?: number; message?: string };
  const text = message || code || 'The target invocation failed.';
  if (/NotFound|DoesNotExist|NonExistent/.test(code)) return new TargetFailure('NO_RESOURCE', text, false);
  if (/AccessDenied|NotAuthorized|Unauthorized|AuthorizationError/.test(code)) return new TargetFailure('NO_PERMISSIONS', text, false);
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(code)) return new TargetFailure('THROTTLING', text, true);
  if (status >= 500) return new TargetFailure('ERROR_FROM_TARGET', text, true);
  return new TargetFailure('INVALID_PARAMETER', text, false);
}

/** The wait before retry number `retry` (1-based). */
export function backoffMs(retry: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.min(retry - 1, 20), BACKOFF_CAP_MS);
}

export type Exhausted = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';

/**
 * Whether to try again: undefined when a retry fits in the policy, else the condition that ran out
 * (a failure that is not retried at all exhausts nothing: null).
 */
export function retryVerdict(target: Pick<EB.Target, 'RetryPolicy'>, failure: TargetFailure, retriesSoFar: number, ingestedAt: number, now: number): Exhausted | null | undefined {
  if (!failure.retryable) return null;
  const maxRetries = target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRIES;
  const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
  if (retriesSoFar >= maxRetries) return 'MaximumRetryAttempts';
  if (now + backoffMs(retriesSoFar + 1) - ingestedAt > maxAgeMs) return 'MaximumEventAgeInSeconds';
  return undefined;
}

/** The event, with attributes saying why, in the target's dead-letter queue (if it has one). */
export async function deadLetter(
  ctx: RequestContext,
  ruleArn: string,
  target: EB.Target,
  body: string,
  failure: TargetFailure,
  retries: number,
  exhausted: Exhausted | null,
): Promise<void> {
  const parts = parseArn(target.DeadLetterConfig?.Arn ?? '');
  if (!parts || parts.service !== 'sqs') return; // no dead-letter queue: the event is dropped
  const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
  const attributes: Record<string, unknown> = {
    RULE_ARN: attribute(ruleArn),
    TARGET_ARN: attribute(target.Arn ?? ''),
    ERROR_CODE: attribute(failure.errorCode),
    ERROR_MESSAGE: attribute(failure.message || failure.errorCode),
    RETRY_ATTEMPTS: attribute(String(retries)),
  };
  if (exhausted) attributes.EXHAUSTED_RETRY_CONDITION = attribute(exhausted);
  try {
    await ctx.call('sqs', 'SendMessage', {
      QueueUrl: `https://sqs.${parts.region}.amazonaws.com/${parts.account}/${parts.resource}`,
      MessageBody: body,
      MessageAttributes: attributes,
    });
  } catch {
    // A dead-letter queue that is gone too loses the event (AWS counts InvocationsFailedToBeSentToDLQ).
  }
}
