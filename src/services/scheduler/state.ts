// Scheduler's stored state: schedule groups (the "default" group exists implicitly) and schedules
// keyed by "<group>/<name>", with AWS's ARNs and error messages.

import type * as SC from '@aws-sdk/client-scheduler';
import { ServiceError } from '../../errors.js';
import { arn } from '../common/arn.js';
import type { Tag } from '../common/tags.js';
import type { Collection } from '../../store/store.js';
import type { RequestContext } from '../types.js';

export const DEFAULT_GROUP = 'default';

export interface GroupRecord {
  name: string;
  arn: string;
  creationDate: number;
  lastModificationDate: number;
  tags: Tag[];
}

export interface ScheduleRecord {
  name: string;
  group: string;
  arn: string;
  description?: string;
  scheduleExpression: string;
  timezone: string;
  startDate?: number;
  endDate?: number;
  state: 'ENABLED' | 'DISABLED';
  actionAfterCompletion: 'NONE' | 'DELETE';
  flexibleTimeWindow: SC.FlexibleTimeWindow;
  kmsKeyArn?: string;
  target: SC.Target;
  creationDate: number;
  lastModificationDate: number;
  /** A one-time schedule that has fired (and was kept: ActionAfterCompletion NONE). */
  completed?: boolean;
}

/** The collection whose records make Fogbank load Scheduler at start to re-arm timers (registry resumeFrom). */
export const SCHEDULES = 'schedules';

export function schedules(ctx: RequestContext): Collection<ScheduleRecord> {
  return ctx.collection<ScheduleRecord>(SCHEDULES);
}

export function groups(ctx: RequestContext): Collection<GroupRecord> {
  return ctx.collection<GroupRecord>('groups');
}

export function scheduleKey(group: string, name: string): string {
  return `${group}/${name}`;
}

export function scheduleArn(ctx: RequestContext, group: string, name: string): string {
  return arn({ service: 'scheduler', region: ctx.region, account: ctx.account, resource: `schedule/${group}/${name}` });
}

export function groupArn(ctx: RequestContext, name: string): string {
  return arn({ service: 'scheduler', region: ctx.region, account: ctx.account, resource: `schedule-group/${name}` });
}

export function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

export function notFound(message: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', message, { status: 404 });
}

export function conflict(message: string): ServiceError {
  return new ServiceError('ConflictException', message, { status: 409 });
}

/** The group record; the default group is created on first sight, as it exists in every account. */
export function findGroup(ctx: RequestContext, name: string): GroupRecord | undefined {
  const stored = groups(ctx).get(name);
  if (stored || name !== DEFAULT_GROUP) return stored;
  const now = ctx.clock.now();
  const created: GroupRecord = { name, arn: groupArn(ctx, name), creationDate: now, lastModificationDate: now, tags: [] };
  groups(ctx).put(name, created);
  return created;
}

export function requireGroup(ctx: RequestContext, name: string): GroupRecord {
  const group = findGroup(ctx, name);
  if (!group) throw notFound(`Schedule group ${name} does not exist.`);
  return group;
}
