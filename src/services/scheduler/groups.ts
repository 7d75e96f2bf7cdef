// Schedule groups: create, get, list, delete (which deletes the group's schedules), and the tags
// AWS keeps on groups (TagResource, UntagResource, ListTagsForResource).

import type * as SC from '@aws-sdk/client-scheduler';
import { parseArn } from '../common/arn.js';
import { paginate } from '../common/pagination.js';
import { checkTagCount, mergeTags, removeTags, type Tag } from '../common/tags.js';
import type { Handler, RequestContext } from '../types.js';
import { disarmSchedule } from './timers.js';
import { DEFAULT_GROUP, conflict, findGroup, groupArn, groups, notFound, requireGroup, schedules, validation, type GroupRecord } from './state.js';

function summary(g: GroupRecord): SC.ScheduleGroupSummary {
  return { Arn: g.arn, CreationDate: new Date(g.creationDate), LastModificationDate: new Date(g.lastModificationDate), Name: g.name, State: 'ACTIVE' };
}

export const createScheduleGroup: Handler<SC.CreateScheduleGroupInput, SC.CreateScheduleGroupOutput> = (input, ctx) => {
  const name = input.Name!;
  if (findGroup(ctx, name)) throw conflict(`Schedule group ${name} already exists.`);
  const tags = (input.Tags ?? []) as Tag[];
  checkTagCount(tags, validation);
  const now = ctx.clock.now();
  const group: GroupRecord = { name, arn: groupArn(ctx, name), creationDate: now, lastModificationDate: now, tags: mergeTags([], tags) };
  groups(ctx).put(name, group);
  return { ScheduleGroupArn: group.arn };
};

export const getScheduleGroup: Handler<SC.GetScheduleGroupInput, SC.GetScheduleGroupOutput> = (input, ctx) => summary(requireGroup(ctx, input.Name!));

export const listScheduleGroups: Handler<SC.ListScheduleGroupsInput, SC.ListScheduleGroupsOutput> = (input, ctx) => {
  findGroup(ctx, DEFAULT_GROUP);
  const matching = groups(ctx).values({ prefix: input.NamePrefix ?? '' });
  const page = paginate(matching, (g) => g.name, input.MaxResults ?? 100, input.NextToken, () => validation('Invalid NextToken.'));
  return { ScheduleGroups: page.items.map(summary), NextToken: page.nextToken };
};

export const deleteScheduleGroup: Handler<SC.DeleteScheduleGroupInput, SC.DeleteScheduleGroupOutput> = (input, ctx) => {
  const name = input.Name!;
  if (name === DEFAULT_GROUP) throw validation('Cannot delete the default schedule group.');
  requireGroup(ctx, name);
  // AWS deletes the group and its schedules in the background (the group shows DELETING); here at once.
  for (const schedule of schedules(ctx).values({ prefix: `${name}/` })) disarmSchedule(ctx, schedule);
  schedules(ctx).deletePrefix(`${name}/`);
  groups(ctx).delete(name);
  return {};
};

/** The group a tagging call names by ARN; schedules themselves carry no tags. */
function taggedGroup(ctx: RequestContext, resourceArn: string): GroupRecord {
  const resource = parseArn(resourceArn)?.resource ?? '';
  const match = /^schedule-group\/(.+)$/.exec(resource);
  if (!match) throw validation(`Invalid ARN: ${resourceArn}`);
  return requireGroup(ctx, match[1]!);
}

export const tagResource: Handler<SC.TagResourceInput, SC.TagResourceOutput> = (input, ctx) => {
  const group = taggedGroup(ctx, input.ResourceArn!);
  const tags = mergeTags(group.tags, (input.Tags ?? []) as Tag[]);
  checkTagCount(tags, validation);
  groups(ctx).put(group.name, { ...group, tags });
  return {};
};

export const untagResource: Handler<SC.UntagResourceInput, SC.UntagResourceOutput> = (input, ctx) => {
  const group = taggedGroup(ctx, input.ResourceArn!);
  groups(ctx).put(group.name, { ...group, tags: removeTags(group.tags, input.TagKeys ?? []) });
  return {};
};

export const listTagsForResource: Handler<SC.ListTagsForResourceInput, SC.ListTagsForResourceOutput> = (input, ctx) => ({
  Tags: taggedGroup(ctx, input.ResourceArn!).tags,
});
