// Callbacks for task tokens: SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat settle or keep
// alive a Task waiting with .waitForTaskToken or on an activity worker.

import type * as SFN from '@aws-sdk/client-sfn';
import { ServiceError } from '../../errors.js';
import { StatesError } from './asl/errors.js';
import type { Handler } from '../types.js';
import { waitingTask } from './tokens.js';

export const sendTaskSuccess: Handler<SFN.SendTaskSuccessInput, SFN.SendTaskSuccessOutput> = (input, ctx) => {
  const task = waitingTask(ctx.store, input.taskToken!);
  let output: unknown;
  try {
    output = JSON.parse(input.output!);
  } catch {
    throw new ServiceError('InvalidOutput', `Invalid Output: '${input.output}'`);
  }
  task.succeed(output);
  return {};
};

export const sendTaskFailure: Handler<SFN.SendTaskFailureInput, SFN.SendTaskFailureOutput> = (input, ctx) => {
  // A failure without an error name is States.TaskFailed, as AWS records it.
  waitingTask(ctx.store, input.taskToken!).fail(new StatesError(input.error ?? 'States.TaskFailed', input.cause));
  return {};
};

export const sendTaskHeartbeat: Handler<SFN.SendTaskHeartbeatInput, SFN.SendTaskHeartbeatOutput> = (input, ctx) => {
  waitingTask(ctx.store, input.taskToken!).heartbeat();
  return {};
};
