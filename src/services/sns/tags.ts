// Tags on topics (the only taggable SNS resource Fogbank has).

import type * as SNS from '@aws-sdk/client-sns';
import { ServiceError } from '../../errors.js';
import { mergeTags, removeTags, MAX_TAGS } from '../common/tags.js';
import type { Handler, RequestContext } from '../types.js';
import { invalidParameter, resourceNotFound } from './errors.js';
import { topics, type TopicRecord } from './state.js';
import { parseArn } from '../common/arn.js';

function requireTaggable(ctx: RequestContext, resourceArn: string): TopicRecord {
  const parts = parseArn(resourceArn);
  if (!parts || parts.service !== 'sns') throw invalidParameter('ResourceArn');
  const topic = topics(ctx, parts).get(parts.resource);
  if (!topic) throw resourceNotFound();
  return topic;
}

export const tagResource: Handler<SNS.TagResourceRequest, SNS.TagResourceResponse> = (input, ctx) => {
  const topic = requireTaggable(ctx, input.ResourceArn!);
  const merged = mergeTags(topic.tags, (input.Tags ?? []).map((t) => ({ Key: t.Key!, Value: t.Value ?? '' })));
  if (merged.length > MAX_TAGS) throw new ServiceError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
  topic.tags = merged;
  topics(ctx, topic).put(topic.name, topic);
  return {};
};

export const untagResource: Handler<SNS.UntagResourceRequest, SNS.UntagResourceResponse> = (input, ctx) => {
  const topic = requireTaggable(ctx, input.ResourceArn!);
  topic.tags = removeTags(topic.tags, input.TagKeys ?? []);
  topics(ctx, topic).put(topic.name, topic);
  return {};
};

export const listTagsForResource: Handler<SNS.ListTagsForResourceRequest, SNS.ListTagsForResourceResponse> = (input, ctx) => {
  return { Tags: requireTaggable(ctx, input.ResourceArn!).tags };
};
