// Message move tasks: redrive a dead-letter queue's messages back to their source queues (or to
// a chosen queue), at a given rate per second or all at once, on Fogbank's clock. Tasks live in
// the store; their timers live in memory and are re-armed by the next call that lists, starts or
// cancels a task after a restart.

import { randomUUID } from 'node:crypto';
import type * as SQS from '@aws-sdk/client-sqs';
import type { Clock, Timer } from '../../clock.js';
import type { Store } from '../../store/store.js';
import type { Handler, RequestContext } from '../types.js';
import { maxReceiveCount } from './attributes.js';
import { queueCounts } from './counts.js';
import { enqueue, removeMessage, Touched } from './engine.js';
import { invalidParameterValue, invalidValue, resourceNotFound } from './errors.js';
import { decodeTaskHandle, encodeTaskHandle, messageKey, queuePrefix, seqOfTimeKey, sequenceNumber, timeKeyBound } from './keys.js';
import { findQueueByArn, locationOfArn, type ResolvedQueue } from './queues.js';
import { nextSeqs, queueSpace, type MessageRecord, type MoveTaskRecord, type QueueSpace } from './state.js';
import { wake } from './commit.js';

const MAX_RATE = 500;
const timers = new WeakMap<Store, Map<string, Timer>>();

function sourceQueue(ctx: RequestContext, arn: string): ResolvedQueue {
  if (!locationOfArn(arn)) {
    throw invalidParameterValue('You must use this format to specify the SourceArn: arn:<partition>:<service>:<region>:<account-id>:<resource-id>');
  }
  const found = findQueueByArn(ctx, arn);
  if (!found) throw resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
  return found;
}

function isDeadLetterQueue(space: QueueSpace, arn: string): boolean {
  for (const [, queue] of space.queues.iterate()) if (maxReceiveCount(queue)?.dlqArn === arn) return true;
  return false;
}

export const startMessageMoveTask: Handler<SQS.StartMessageMoveTaskRequest, SQS.StartMessageMoveTaskResult> = (input, ctx) => {
  const { space, queue } = sourceQueue(ctx, input.SourceArn!);
  if (!isDeadLetterQueue(space, queue.arn)) throw invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
  if (input.DestinationArn !== undefined && !findQueueByArn(ctx, input.DestinationArn)) {
    throw resourceNotFound("The resource that you specified for the DestinationArn parameter doesn't exist.");
  }
  const rate = input.MaxNumberOfMessagesPerSecond;
  if (rate !== undefined && (rate < 1 || rate > MAX_RATE)) throw invalidValue(rate, 'MaxNumberOfMessagesPerSecond', `Must be between 1 and ${MAX_RATE}.`);
  const tasks = [...space.moveTasks.values()].filter((t) => t.sourceArn === queue.arn);
  resumeTasks(ctx, space, tasks);
  if (tasks.some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING')) {
    throw invalidParameterValue('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
  }
  const taskId = randomUUID();
  const task: MoveTaskRecord = {
    taskId,
    taskHandle: encodeTaskHandle(taskId, queue.arn),
    sourceArn: queue.arn,
    destinationArn: input.DestinationArn,
    rate,
    status: 'RUNNING',
    startedAt: ctx.clock.now(),
    toMove: queueCounts(space, queue, ctx.clock.now()).visible,
    moved: 0,
  };
  space.moveTasks.put(taskId, task);
  schedule(ctx.store, ctx.clock, space, taskId, 0);
  return { TaskHandle: task.taskHandle };
};

export const listMessageMoveTasks: Handler<SQS.ListMessageMoveTasksRequest, SQS.ListMessageMoveTasksResult> = (input, ctx) => {
  const { space, queue } = sourceQueue(ctx, input.SourceArn!);
  const max = input.MaxResults ?? 1;
  if (max < 1 || max > 10) throw invalidValue(max, 'MaxResults', 'Must be between 1 and 10, if provided.');
  const tasks = [...space.moveTasks.values()].filter((t) => t.sourceArn === queue.arn).sort((a, b) => b.startedAt - a.startedAt);
  resumeTasks(ctx, space, tasks);
  return {
    Results: tasks.slice(0, max).map((t) => ({
      TaskHandle: t.status === 'RUNNING' ? t.taskHandle : undefined,
      Status: t.status,
      SourceArn: t.sourceArn,
      DestinationArn: t.destinationArn,
      MaxNumberOfMessagesPerSecond: t.rate,
      ApproximateNumberOfMessagesMoved: t.moved,
      ApproximateNumberOfMessagesToMove: t.toMove,
      FailureReason: t.failureReason,
      StartedTimestamp: t.startedAt,
    })),
  };
};

export const cancelMessageMoveTask: Handler<SQS.CancelMessageMoveTaskRequest, SQS.CancelMessageMoveTaskResult> = (input, ctx) => {
  const { taskId, sourceArn } = decodeTaskHandle(input.TaskHandle!, () => invalidParameterValue('Value for parameter TaskHandle is invalid.'));
  const { space } = sourceQueue(ctx, sourceArn);
  const task = space.moveTasks.get(taskId);
  if (!task || task.sourceArn !== sourceArn) throw resourceNotFound('Task does not exist.');
  if (task.status !== 'RUNNING') throw invalidParameterValue('Only a running task can be cancelled.');
  timers.get(ctx.store)?.get(taskId)?.cancel();
  space.moveTasks.put(taskId, { ...task, status: 'CANCELLED' });
  return { ApproximateNumberOfMessagesMoved: task.moved };
};

/** Re-arms running tasks that lost their timer (after a restart). */
function resumeTasks(ctx: RequestContext, space: QueueSpace, tasks: MoveTaskRecord[]): void {
  const running = timers.get(ctx.store);
  for (const task of tasks) if (task.status === 'RUNNING' && !running?.has(task.taskId)) schedule(ctx.store, ctx.clock, space, task.taskId, 0);
}

function schedule(store: Store, clock: Clock, space: QueueSpace, taskId: string, delayMs: number): void {
  let running = timers.get(store);
  if (!running) timers.set(store, (running = new Map()));
  const tasks = running;
  tasks.get(taskId)?.cancel();
  tasks.set(
    taskId,
    clock.after(delayMs, () => {
      tasks.delete(taskId);
      const again = step(store, clock, space, taskId);
      if (again) schedule(store, clock, space, taskId, 1000);
    }),
  );
}

/** Moves one second's worth of messages; returns whether the task goes on. */
function step(store: Store, clock: Clock, space: QueueSpace, taskId: string): boolean {
  const touched = new Touched();
  const goOn = store.transaction(() => {
    const task = space.moveTasks.get(taskId);
    if (!task || task.status !== 'RUNNING') return false;
    const now = clock.now();
    const source = space.queues.get(task.sourceArn.slice(task.sourceArn.lastIndexOf(':') + 1));
    const finish = (status: MoveTaskRecord['status'], failureReason?: string) => {
      space.moveTasks.put(taskId, { ...task, status, failureReason });
      return false;
    };
    if (!source) return finish('FAILED', 'AWS.SimpleQueueService.NonExistentQueue');
    const budget = Math.min(task.rate ?? Number.MAX_SAFE_INTEGER, task.toMove - task.moved);
    const keys = space.ready.list({ prefix: queuePrefix(source.name), to: timeKeyBound(source.name, now), limit: budget });
    for (const [key, entry] of keys) {
      const seq = typeof entry === 'object' ? Number(space.groups.list({ prefix: `${source.name}/${entry.g} `, limit: 1 })[0]?.[0].slice(-20)) : seqOfTimeKey(key);
      const message = space.messages.get(messageKey(source.name, seq));
      if (!message) continue;
      const destinationArn = task.destinationArn ?? message.dlqSourceArn;
      const location = destinationArn ? locationOfArn(destinationArn) : undefined;
      const destination = location && queueSpace(store, location.account, location.region);
      const target = destination?.queues.get(location!.name);
      if (!destination || !target) return finish('FAILED', 'AWS.SimpleQueueService.NonExistentQueue');
      removeMessage(space, source, message);
      const moved: MessageRecord = { ...message, seq: nextSeqs(destination, target.name, 1), visibleAt: now, enqueuedAt: now, receiveCount: 0 };
      delete moved.firstReceiveAt;
      delete moved.lastReceiveAt;
      delete moved.dlqSourceArn;
      delete moved.delayedUntil;
      moved.sequenceNumber = target.fifo ? sequenceNumber(moved.seq) : undefined;
      enqueue(destination, target, moved);
      touched.add(destination, target, 1);
      task.moved++;
    }
    if (task.moved >= task.toMove || keys.length === 0) return finish('COMPLETED');
    space.moveTasks.put(taskId, task);
    return true;
  });
  wake(store, clock, touched);
  return goOn;
}
