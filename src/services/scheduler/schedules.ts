// CreateSchedule, GetSchedule, UpdateSchedule, DeleteSchedule and ListSchedules. A schedule lives
// in a group (the default group unless GroupName says otherwise); UpdateSchedule replaces every
// field, as AWS does, keeping only the creation date.

import type * as SC from '@aws-sdk/client-scheduler';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { isTimeZone, parseExpression } from './expression.js';
import { checkUniversalTarget } from './universal.js';
import { armSchedule, disarmSchedule } from './timers.js';
import { DEFAULT_GROUP, conflict, notFound, requireGroup, scheduleArn, scheduleKey, schedules, validation, type ScheduleRecord } from './state.js';

/** Target retry settings a schedule gets when it names none (AWS's defaults). */
const DEFAULT_RETRY_POLICY = { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 };

type ScheduleInput = SC.CreateScheduleInput | SC.UpdateScheduleInput;

function notFoundSchedule(name: string) {
  return notFound(`Schedule ${name} does not exist.`);
}

/** Service checks beyond the model's own constraints, then the record the input describes. */
function recordFrom(ctx: RequestContext, input: ScheduleInput, group: string, creationDate: number): ScheduleRecord {
  parseExpression(input.ScheduleExpression!);
  const timezone = input.ScheduleExpressionTimezone ?? 'UTC';
  if (!isTimeZone(timezone)) throw validation(`Invalid ScheduleExpressionTimezone ${timezone}.`);
  const window = input.FlexibleTimeWindow!;
  if (window.Mode === 'FLEXIBLE' && window.MaximumWindowInMinutes === undefined) {
    throw validation('MaximumWindowInMinutes must be provided when FlexibleTimeWindow mode is FLEXIBLE.');
  }
  if (window.Mode === 'OFF' && window.MaximumWindowInMinutes !== undefined) {
    throw validation('MaximumWindowInMinutes must not be provided when FlexibleTimeWindow mode is OFF.');
  }
  const now = ctx.clock.now();
  const startDate = input.StartDate?.getTime();
  const endDate = input.EndDate?.getTime();
  if (startDate !== undefined && startDate < now - 5 * 60_000) {
    throw validation('The StartDate you specify cannot be earlier than 5 minutes prior to the current time.');
  }
  if (endDate !== undefined && endDate <= now) throw validation('The EndDate you specify cannot be earlier than the current time.');
  if (startDate !== undefined && endDate !== undefined && endDate <= startDate) {
    throw validation('The EndDate you specify must be after the StartDate.');
  }
  checkUniversalTarget(input.Target!.Arn!, input.Target!.Input);
  const target: SC.Target = { ...input.Target!, RetryPolicy: { ...DEFAULT_RETRY_POLICY, ...input.Target!.RetryPolicy } };
  return {
    name: input.Name!,
    group,
    arn: scheduleArn(ctx, group, input.Name!),
    description: input.Description,
    scheduleExpression: input.ScheduleExpression!,
    timezone,
    startDate,
    endDate,
    state: (input.State as ScheduleRecord['state'] | undefined) ?? 'ENABLED',
    actionAfterCompletion: (input.ActionAfterCompletion as ScheduleRecord['actionAfterCompletion'] | undefined) ?? 'NONE',
    flexibleTimeWindow: window,
    kmsKeyArn: input.KmsKeyArn,
    target,
    creationDate,
    lastModificationDate: now,
  };
}

export const createSchedule: Handler<SC.CreateScheduleInput, SC.CreateScheduleOutput> = (input, ctx) => {
  const group = requireGroup(ctx, input.GroupName ?? DEFAULT_GROUP).name;
  const key = scheduleKey(group, input.Name!);
  if (schedules(ctx).has(key)) throw conflict(`Schedule ${input.Name} already exists.`);
  const record = recordFrom(ctx, input, group, ctx.clock.now());
  schedules(ctx).put(key, record);
  armSchedule(ctx, record);
  return { ScheduleArn: record.arn };
};

export const updateSchedule: Handler<SC.UpdateScheduleInput, SC.UpdateScheduleOutput> = (input, ctx) => {
  const group = requireGroup(ctx, input.GroupName ?? DEFAULT_GROUP).name;
  const key = scheduleKey(group, input.Name!);
  const existing = schedules(ctx).get(key);
  if (!existing) throw notFoundSchedule(input.Name!);
  const record = recordFrom(ctx, input, group, existing.creationDate);
  schedules(ctx).put(key, record);
  armSchedule(ctx, record);
  return { ScheduleArn: record.arn };
};

function findSchedule(ctx: RequestContext, name: string, groupName = DEFAULT_GROUP): ScheduleRecord {
  const group = requireGroup(ctx, groupName).name;
  const record = schedules(ctx).get(scheduleKey(group, name));
  if (!record) throw notFoundSchedule(name);
  return record;
}

export const getSchedule: Handler<SC.GetScheduleInput, SC.GetScheduleOutput> = (input, ctx) => {
  const s = findSchedule(ctx, input.Name!, input.GroupName);
  return {
    ActionAfterCompletion: s.actionAfterCompletion,
    Arn: s.arn,
    CreationDate: new Date(s.creationDate),
    Description: s.description,
    EndDate: s.endDate === undefined ? undefined : new Date(s.endDate),
    FlexibleTimeWindow: s.flexibleTimeWindow,
    GroupName: s.group,
    KmsKeyArn: s.kmsKeyArn,
    LastModificationDate: new Date(s.lastModificationDate),
    Name: s.name,
    ScheduleExpression: s.scheduleExpression,
    ScheduleExpressionTimezone: s.timezone,
    StartDate: s.startDate === undefined ? undefined : new Date(s.startDate),
    State: s.state,
    Target: s.target,
  };
};

export const deleteSchedule: Handler<SC.DeleteScheduleInput, SC.DeleteScheduleOutput> = (input, ctx) => {
  const record = findSchedule(ctx, input.Name!, input.GroupName);
  disarmSchedule(ctx, record);
  schedules(ctx).delete(scheduleKey(record.group, record.name));
  return {};
};

export const listSchedules: Handler<SC.ListSchedulesInput, SC.ListSchedulesOutput> = (input, ctx) => {
  const prefix = input.GroupName === undefined ? '' : `${input.GroupName}/`;
  const matching = schedules(ctx)
    .values({ prefix })
    .filter((s) => (input.NamePrefix === undefined || s.name.startsWith(input.NamePrefix)) && (input.State === undefined || s.state === input.State));
  const page = paginate(matching, (s) => scheduleKey(s.group, s.name), input.MaxResults ?? 100, input.NextToken, () => validation('Invalid NextToken.'));
  return {
    Schedules: page.items.map((s) => ({
      Arn: s.arn,
      CreationDate: new Date(s.creationDate),
      GroupName: s.group,
      LastModificationDate: new Date(s.lastModificationDate),
      Name: s.name,
      State: s.state,
      Target: { Arn: s.target.Arn },
    })),
    NextToken: page.nextToken,
  };
};
