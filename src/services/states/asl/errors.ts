// Errors as the States language names them: a failure that Retry and Catch can match, carrying
// the Error and Cause that end up in history and in DescribeExecution.

export class StatesError extends Error {
  /** The cause already names the state it happened in (or must not be prefixed: Fail states). */
  located = false;

  constructor(
    readonly error: string,
    override readonly cause?: string,
  ) {
    super(`${error}: ${cause ?? ''}`);
  }
}

/** A fault in the definition or data (bad path, bad intrinsic): States.ALL does not catch it. */
export function runtimeError(cause: string): StatesError {
  return new StatesError('States.Runtime', cause);
}

/** Thrown out of a running execution when StopExecution aborts it. */
export class Aborted extends Error {
  constructor() {
    super('aborted');
  }
}

/** Whether an ErrorEquals list matches an error, with AWS's exceptions for the wildcards. */
export function errorMatches(errorEquals: string[], error: string): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    // States.ALL matches everything but States.Runtime (and DataLimitExceeded, which we do not raise).
    if (name === 'States.ALL' && error !== 'States.Runtime' && error !== 'States.DataLimitExceeded') return true;
    // States.TaskFailed matches any task failure except a timeout.
    if (name === 'States.TaskFailed' && error !== 'States.Timeout' && error !== 'States.Runtime' && error !== 'States.DataLimitExceeded') return true;
  }
  return false;
}
