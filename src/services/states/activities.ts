// Activities: CreateActivity, DescribeActivity, ListActivities, DeleteActivity, and the worker's
// GetActivityTask, a long poll of up to 60 seconds on Fogbank's clock.

import type * as SFN from '@aws-sdk/client-sfn';
import { ServiceError } from '../../errors.js';
import { arn, parseArn } from '../common/arn.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { invalidToken } from './machines.js';
import { checkName, invalidArn } from './state.js';
import { takeActivityTask } from './tokens.js';

export interface ActivityRecord {
  name: string;
  arn: string;
  creationDate: number;
  tags: SFN.Tag[];
}

export const activities = (ctx: RequestContext) => ctx.collection<ActivityRecord>('activities');

/** GetActivityTask answers empty after this long without a task, as AWS does. */
const LONG_POLL_MS = 60_000;

function activityByArn(ctx: RequestContext, value: string): ActivityRecord {
  const parts = parseArn(value);
  const [kind, name] = parts?.resource.split(':') ?? [];
  if (!parts || parts.service !== 'states' || kind !== 'activity' || !name) throw invalidArn(value);
  const record = parts.account === ctx.account && parts.region === ctx.region ? activities(ctx).get(name) : undefined;
  if (!record) throw new ServiceError('ActivityDoesNotExist', `Activity Does Not Exist: '${value}'`);
  return record;
}

export const createActivity: Handler<SFN.CreateActivityInput, SFN.CreateActivityOutput> = (input, ctx) => {
  checkName(input.name!);
  const existing = activities(ctx).get(input.name!);
  // Creating an existing activity again answers it (AWS's create is idempotent on the name).
  if (existing) return { activityArn: existing.arn, creationDate: new Date(existing.creationDate) };
  const record: ActivityRecord = {
    name: input.name!,
    arn: arn({ service: 'states', region: ctx.region, account: ctx.account, resource: `activity:${input.name}` }),
    creationDate: ctx.clock.now(),
    tags: (input.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? '' })),
  };
  activities(ctx).put(record.name, record);
  return { activityArn: record.arn, creationDate: new Date(record.creationDate) };
};

export const describeActivity: Handler<SFN.DescribeActivityInput, SFN.DescribeActivityOutput> = (input, ctx) => {
  const record = activityByArn(ctx, input.activityArn!);
  return { activityArn: record.arn, name: record.name, creationDate: new Date(record.creationDate) };
};

export const listActivities: Handler<SFN.ListActivitiesInput, SFN.ListActivitiesOutput> = (input, ctx) => {
  const page = paginate(activities(ctx).values(), (a) => a.name, input.maxResults || 100, input.nextToken, invalidToken);
  return { activities: page.items.map((a) => ({ activityArn: a.arn, name: a.name, creationDate: new Date(a.creationDate) })), nextToken: page.nextToken };
};

export const deleteActivity: Handler<SFN.DeleteActivityInput, SFN.DeleteActivityOutput> = (input, ctx) => {
  const parts = parseArn(input.activityArn!);
  if (!parts || parts.service !== 'states' || !parts.resource.startsWith('activity:')) throw invalidArn(input.activityArn!);
  activities(ctx).delete(parts.resource.slice('activity:'.length));
  return {};
};

export const getActivityTask: Handler<SFN.GetActivityTaskInput, SFN.GetActivityTaskOutput> = async (input, ctx) => {
  const record = activityByArn(ctx, input.activityArn!);
  const task = await takeActivityTask(ctx.store, record.arn, (expire) => ctx.clock.at(ctx.clock.now() + LONG_POLL_MS, expire));
  if (!task) return {};
  task.started(input.workerName);
  return { taskToken: task.token, input: task.input };
};
