// Tags on state machines: TagResource, UntagResource, ListTagsForResource.

import type * as SFN from '@aws-sdk/client-sfn';
import { ServiceError } from '../../errors.js';
import { MAX_TAGS } from '../common/tags.js';
import type { Handler, RequestContext } from '../types.js';
import { machineByArn, machines, type MachineRecord } from './state.js';

function taggable(ctx: RequestContext, resourceArn: string): MachineRecord {
  try {
    return machineByArn(ctx, resourceArn);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'StateMachineDoesNotExist') throw new ServiceError('ResourceNotFound', `Resource not found: '${resourceArn}'`);
    throw error;
  }
}

export const tagResource: Handler<SFN.TagResourceInput, SFN.TagResourceOutput> = (input, ctx) => {
  const record = taggable(ctx, input.resourceArn!);
  const merged = new Map(record.tags.map((t) => [t.key!, t.value ?? '']));
  for (const t of input.tags ?? []) merged.set(t.key!, t.value ?? '');
  if (merged.size > MAX_TAGS) throw new ServiceError('TooManyTags', `Too many tags: the resource can have at most ${MAX_TAGS} tags`, { fields: { resourceName: input.resourceArn } });
  machines(ctx).put(record.name, { ...record, tags: [...merged].map(([key, value]) => ({ key, value })) });
  return {};
};

export const untagResource: Handler<SFN.UntagResourceInput, SFN.UntagResourceOutput> = (input, ctx) => {
  const record = taggable(ctx, input.resourceArn!);
  const drop = new Set(input.tagKeys ?? []);
  machines(ctx).put(record.name, { ...record, tags: record.tags.filter((t) => !drop.has(t.key!)) });
  return {};
};

export const listTagsForResource: Handler<SFN.ListTagsForResourceInput, SFN.ListTagsForResourceOutput> = (input, ctx) => ({ tags: taggable(ctx, input.resourceArn!).tags });
