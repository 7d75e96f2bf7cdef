// Tags on parameters (AddTagsToResource, RemoveTagsFromResource, ListTagsForResource with
// ResourceType Parameter). Other taggable SSM resources do not exist in Fogbank yet, so their ids
// are never found.

import type * as SSM from '@aws-sdk/client-ssm';
import { ServiceError } from '../../errors.js';
import { checkTagCount, mergeTags, removeTags } from '../common/tags.js';
import type { Handler, RequestContext } from '../types.js';
import { invalidResourceId } from './errors.js';
import { checkName } from './names.js';
import { parameters, type StoredParameter } from './state.js';

export function tooManyTags(message: string): ServiceError {
  return new ServiceError('TooManyTagsError', message);
}

/** The tagged parameter; its id may be written with or without a single leading slash. */
function taggedParameter(ctx: RequestContext, type: string, id: string): StoredParameter {
  if (type !== 'Parameter') throw invalidResourceId();
  let name: string;
  try {
    name = checkName(id);
  } catch {
    throw invalidResourceId();
  }
  const parameter = parameters(ctx).get(name);
  if (!parameter) throw invalidResourceId();
  return parameter;
}

export const addTagsToResource: Handler<SSM.AddTagsToResourceRequest, SSM.AddTagsToResourceResult> = (input, ctx) => {
  const parameter = taggedParameter(ctx, input.ResourceType!, input.ResourceId!);
  const added = input.Tags!.map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
  const tags = mergeTags(parameter.Tags, added);
  checkTagCount(tags, tooManyTags);
  parameters(ctx).put(parameter.Name, { ...parameter, Tags: tags });
  return {};
};

export const removeTagsFromResource: Handler<SSM.RemoveTagsFromResourceRequest, SSM.RemoveTagsFromResourceResult> = (input, ctx) => {
  const parameter = taggedParameter(ctx, input.ResourceType!, input.ResourceId!);
  parameters(ctx).put(parameter.Name, { ...parameter, Tags: removeTags(parameter.Tags, input.TagKeys!) });
  return {};
};

export const listTagsForResource: Handler<SSM.ListTagsForResourceRequest, SSM.ListTagsForResourceResult> = (input, ctx) => {
  const parameter = taggedParameter(ctx, input.ResourceType!, input.ResourceId!);
  return { TagList: parameter.Tags };
};
