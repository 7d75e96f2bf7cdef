// Tags on state machines and activities: TagResource, UntagResource, ListTagsForResource.

import type * as SFN from '@aws-sdk/client-sfn';
import { ServiceError } from '../../errors.js';
import { parseArn } from '../common/arn.js';
import { MAX_TAGS } from '../common/tags.js';
import type { Handler, RequestContext } from '../types.js';
import { activities } from './activities.js';
import { machineByArn, machines } from './state.js';

interface Taggable {
  tags: SFN.Tag[];
  save(tags: SFN.Tag[]): void;
}

function taggable(ctx: RequestContext, resourceArn: string): Taggable {
  const notFound = () => new ServiceError('ResourceNotFound', `Resource not found: '${resourceArn}'`);
  const parts = parseArn(resourceArn);
  if (parts?.service === 'states' && parts.resource.startsWith('activity:')) {
    const name = parts.resource.slice('activity:'.length);
    const record = parts.account === ctx.account && parts.region === ctx.region ? activities(ctx).get(name) : undefined;
    if (!record) throw notFound();
    return { tags: record.tags, save: (tags) => activities(ctx).put(name, { ...record, tags }) };
  }
  try {
    const record = machineByArn(ctx, resourceArn);
    return { tags: record.tags, save: (tags) => machines(ctx).put(record.name, { ...record, tags }) };
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'StateMachineDoesNotExist') throw notFound();
    throw error;
  }
}

export const tagResource: Handler<SFN.TagResourceInput, SFN.TagResourceOutput> = (input, ctx) => {
  const target = taggable(ctx, input.resourceArn!);
  const merged = new Map(target.tags.map((t) => [t.key!, t.value ?? '']));
  for (const t of input.tags ?? []) merged.set(t.key!, t.value ?? '');
  if (merged.size > MAX_TAGS) throw new ServiceError('TooManyTags', `Too many tags: the resource can have at most ${MAX_TAGS} tags`, { fields: { resourceName: input.resourceArn } });
  target.save([...merged].map(([key, value]) => ({ key, value })));
  return {};
};

export const untagResource: Handler<SFN.UntagResourceInput, SFN.UntagResourceOutput> = (input, ctx) => {
  const target = taggable(ctx, input.resourceArn!);
  const drop = new Set(input.tagKeys ?? []);
  target.save(target.tags.filter((t) => !drop.has(t.key!)));
  return {};
};

export const listTagsForResource: Handler<SFN.ListTagsForResourceInput, SFN.ListTagsForResourceOutput> = (input, ctx) => ({ tags: taggable(ctx, input.resourceArn!).tags });
