// Tags on log groups, through both APIs AWS offers: the older TagLogGroup family (by name) and the
// generic TagResource family (by ARN). Both edit the same tags.

import type * as CWL from '@aws-sdk/client-cloudwatch-logs';
import { ServiceError } from '../../errors.js';
import { MAX_TAGS } from '../common/tags.js';
import type { Handler, RequestContext } from '../types.js';
import { invalidParameter } from './errors.js';
import { groupNameFromArn } from './names.js';
import { LogsData } from './state.js';

function groupOfArn(resourceArn: string): string {
  const name = groupNameFromArn(resourceArn);
  if (name === undefined) throw invalidParameter(`Invalid resource ARN: ${resourceArn}`);
  return name;
}

function addTags(ctx: RequestContext, groupName: string, tags: Record<string, string>): void {
  const data = LogsData.of(ctx);
  const group = data.group(groupName);
  const merged = { ...group.tags, ...tags };
  if (Object.keys(merged).length > MAX_TAGS) throw new ServiceError('TooManyTagsException', `A resource can have no more than ${MAX_TAGS} tags.`);
  data.groups().put(groupName, { ...group, tags: merged });
}

function removeTags(ctx: RequestContext, groupName: string, keys: string[]): void {
  const data = LogsData.of(ctx);
  const group = data.group(groupName);
  const tags = { ...group.tags };
  for (const key of keys) delete tags[key];
  data.groups().put(groupName, { ...group, tags });
}

export const tagLogGroup: Handler<CWL.TagLogGroupRequest, Record<string, never>> = (input, ctx) => {
  addTags(ctx, input.logGroupName!, input.tags!);
  return {};
};

export const untagLogGroup: Handler<CWL.UntagLogGroupRequest, Record<string, never>> = (input, ctx) => {
  removeTags(ctx, input.logGroupName!, input.tags!);
  return {};
};

export const listTagsLogGroup: Handler<CWL.ListTagsLogGroupRequest, CWL.ListTagsLogGroupResponse> = (input, ctx) => {
  return { tags: LogsData.of(ctx).group(input.logGroupName!).tags };
};

export const tagResource: Handler<CWL.TagResourceRequest, Record<string, never>> = (input, ctx) => {
  addTags(ctx, groupOfArn(input.resourceArn!), input.tags!);
  return {};
};

export const untagResource: Handler<CWL.UntagResourceRequest, Record<string, never>> = (input, ctx) => {
  removeTags(ctx, groupOfArn(input.resourceArn!), input.tagKeys!);
  return {};
};

export const listTagsForResource: Handler<CWL.ListTagsForResourceRequest, CWL.ListTagsForResourceResponse> = (input, ctx) => {
  return { tags: LogsData.of(ctx).group(groupOfArn(input.resourceArn!)).tags };
};
