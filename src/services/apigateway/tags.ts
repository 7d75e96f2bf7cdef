// TagResource, UntagResource and GetTags on the REST API resources that carry tags: APIs
// (arn:aws:apigateway:{region}::/restapis/{id}), their stages (.../restapis/{id}/stages/{name}),
// API keys (::/apikeys/{id}), usage plans (::/usageplans/{id}) and custom domain names
// (::/domainnames/{name}, shared with apigatewayv2). The tags live on each record,
// so Get* of the resource shows them too.

import type * as AG from '@aws-sdk/client-api-gateway';
import type { Handler, RequestContext } from '../types.js';
import { getKey, getPlan } from './api-keys.js';
import { findDomain, saveDomain } from './domain-names.js';
import { apis, badRequest, getApi, notFound, stages } from './state.js';

type Tags = Record<string, string>;

interface Tagged {
  tags(): Tags | undefined;
  save(tags: Tags | undefined): void;
}

const ARN = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/(restapis|apikeys|usageplans|domainnames)\/([^/]+)(?:\/stages\/([^/]+))?$/;

/** The record an ARN names, in this account and region. */
function resourceOf(ctx: RequestContext, arn: string): Tagged {
  const m = ARN.exec(arn);
  if (!m || m[1] !== ctx.region || (m[4] !== undefined && m[2] !== 'restapis')) throw badRequest('Invalid ARN specified in the request');
  const [, , kind, id, stageName] = m as unknown as [string, string, string, string, string | undefined];
  if (kind === 'restapis' && stageName !== undefined) {
    getApi(ctx, id);
    const key = `${id}/${decodeURIComponent(stageName)}`;
    const stage = stages(ctx).get(key);
    if (!stage) throw notFound('Invalid Stage identifier specified');
    return { tags: () => stage.tags, save: (tags) => stages(ctx).put(key, { ...stage, tags }) };
  }
  if (kind === 'restapis') {
    const api = getApi(ctx, id);
    return { tags: () => api.tags, save: (tags) => apis(ctx).put(id, { ...api, tags }) };
  }
  if (kind === 'domainnames') {
    let name: string;
    try {
      name = decodeURIComponent(id);
    } catch {
      name = id;
    }
    const d = findDomain(ctx, name);
    return { tags: () => d.tags, save: (tags) => saveDomain(ctx, { ...d, tags }) };
  }
  if (kind === 'apikeys') {
    const key = getKey(ctx, id);
    return { tags: () => key.tags, save: (tags) => ctx.collection('api-keys').put(id, { ...key, tags }) };
  }
  const plan = getPlan(ctx, id);
  return { tags: () => plan.tags, save: (tags) => ctx.collection('usage-plans').put(id, { ...plan, tags }) };
}

const MAX_TAGS = 50;

export const tagResource: Handler<AG.TagResourceRequest, Record<string, never>> = (input, ctx) => {
  const resource = resourceOf(ctx, input.resourceArn!);
  const tags = { ...resource.tags(), ...input.tags };
  if (Object.keys(tags).length > MAX_TAGS) throw badRequest(`Number of tags exceeds the limit of ${MAX_TAGS}.`);
  resource.save(tags);
  return {};
};

export const untagResource: Handler<AG.UntagResourceRequest, Record<string, never>> = (input, ctx) => {
  const resource = resourceOf(ctx, input.resourceArn!);
  const tags = { ...resource.tags() };
  for (const key of input.tagKeys ?? []) delete tags[key];
  resource.save(Object.keys(tags).length ? tags : undefined);
  return {};
};

export const getTags: Handler<AG.GetTagsRequest, AG.Tags> = (input, ctx) => ({ tags: resourceOf(ctx, input.resourceArn!).tags() ?? {} });
