// Tags on HTTP APIs and their stages, named by ARN: arn:aws:apigateway:<region>::/apis/<id> and
// .../apis/<id>/stages/<name>; and on custom domain names (::/domainnames/<name>, shared with apigateway). The same tags show in GetApi and GetStage.

import type * as AG2 from '@aws-sdk/client-apigatewayv2';
import type { Handler, RequestContext } from '../types.js';
import { findDomain, saveDomain } from '../apigateway/domain-names.js';
import { badRequest, getHttpApi, httpApis, notFound, stages } from './state.js';

const MAX_TAGS = 50;

type Tagged = { tags?: Record<string, string>; save(tags: Record<string, string> | undefined): void };

/** The API or stage an ARN names. Unconfirmed wording for the errors. */
function taggedResource(ctx: RequestContext, arn: string): Tagged {
  const domain = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/domainnames\/([^/]+)$/.exec(arn);
  if (domain && domain[1] === ctx.region) {
    const d = findDomain(ctx, decodeURIComponentSafe(domain[2]!));
    return { tags: d.tags, save: (tags) => saveDomain(ctx, { ...d, tags: tags && Object.keys(tags).length ? tags : undefined }) };
  }
  const m = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/apis\/([a-z0-9]+)(?:\/stages\/([^/]+))?$/.exec(arn);
  if (!m || m[1] !== ctx.region) throw badRequest(`Invalid resource ARN specified: ${arn}`);
  const api = getHttpApi(ctx, m[2]!);
  if (m[3] === undefined) return { tags: api.tags, save: (tags) => httpApis(ctx).put(api.apiId, { ...api, tags }) };
  const key = `${api.apiId}/${decodeURIComponent(m[3])}`;
  const stage = stages(ctx).get(key);
  if (!stage) throw notFound('Invalid stage identifier specified');
  return { tags: stage.tags, save: (tags) => stages(ctx).put(key, { ...stage, tags }) };
}

export function checkTags(tags: Record<string, string> | undefined): void {
  if (tags && Object.keys(tags).length > MAX_TAGS) throw badRequest(`Number of tags exceeds the limit of ${MAX_TAGS}.`);
}

export const tagResource: Handler<AG2.TagResourceRequest, Record<string, never>> = (input, ctx) => {
  const resource = taggedResource(ctx, input.ResourceArn!);
  const tags = { ...resource.tags, ...input.Tags };
  checkTags(tags);
  resource.save(tags);
  return {};
};

export const untagResource: Handler<AG2.UntagResourceRequest, Record<string, never>> = (input, ctx) => {
  const resource = taggedResource(ctx, input.ResourceArn!);
  const tags = { ...resource.tags };
  for (const key of input.TagKeys ?? []) delete tags[key];
  resource.save(tags);
  return {};
};

export const getTags: Handler<AG2.GetTagsRequest, AG2.GetTagsResponse> = (input, ctx) => ({ Tags: taggedResource(ctx, input.ResourceArn!).tags ?? {} });

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
