// Tags on rules and event buses, addressed by ARN.

import type * as EB from '@aws-sdk/client-eventbridge';
import { checkTagCount, mergeTags, removeTags, type Tag } from '../common/tags.js';
import type { Handler, RequestContext } from '../types.js';
import { buses, findBus, notFound, ruleKey, rules, validation } from './state.js';

interface Tagged {
  tags: Tag[];
  save(tags: Tag[]): void;
}

function resolve(ctx: RequestContext, arn: string): Tagged {
  const match = /^arn:aws[a-z-]*:events:([^:]*):(\d{12}):(event-bus|rule)\/(.+)$/.exec(arn);
  if (!match || match[1] !== ctx.region || match[2] !== ctx.account) throw notFound(`Resource ${arn} does not exist.`);
  const [, , , kind, rest] = match as unknown as [string, string, string, string, string];
  if (kind === 'event-bus') {
    const bus = findBus(ctx, rest);
    if (!bus) throw notFound(`Event bus ${rest} does not exist.`);
    return { tags: bus.tags, save: (tags) => buses(ctx).put(bus.name, { ...bus, tags }) };
  }
  const slash = rest.indexOf('/');
  const [busName, name] = slash < 0 ? ['default', rest] : [rest.slice(0, slash), rest.slice(slash + 1)];
  const key = ruleKey(busName, name);
  const rule = rules(ctx).get(key);
  if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${busName}.`);
  return { tags: rule.tags, save: (tags) => rules(ctx).put(key, { ...rule, tags }) };
}

export const tagResource: Handler<EB.TagResourceRequest, EB.TagResourceResponse> = (input, ctx) => {
  const resource = resolve(ctx, input.ResourceARN!);
  const tags = mergeTags(resource.tags, input.Tags!.map((t) => ({ Key: t.Key!, Value: t.Value ?? '' })));
  checkTagCount(tags, validation);
  resource.save(tags);
  return {};
};

export const untagResource: Handler<EB.UntagResourceRequest, EB.UntagResourceResponse> = (input, ctx) => {
  const resource = resolve(ctx, input.ResourceARN!);
  resource.save(removeTags(resource.tags, input.TagKeys!));
  return {};
};

export const listTagsForResource: Handler<EB.ListTagsForResourceRequest, EB.ListTagsForResourceResponse> = (input, ctx) => ({
  Tags: resolve(ctx, input.ResourceARN!).tags,
});
