// Tag, Untag and List*Tags for roles, users, customer managed policies and instance profiles:
// one implementation over each entity's lookup.

import type { Tag } from '../common/tags.js';
import type { Handler, RequestContext } from '../types.js';
import { policyNotFound } from './errors.js';
import { checkArn } from './managed-policies.js';
import { pageOf } from './paging.js';
import {
  findInstanceProfile, findRole, findUser, policies, saveInstanceProfile, saveRole, saveUser,
} from './state.js';
import { addTags, dropTags, sortedTags, tagsFromInput, type KeyCase } from './tags.js';

type Input = Record<string, unknown>;

interface Taggable<R extends { Tags: Tag[] }> {
  find(ctx: RequestContext, input: Input): R;
  save(ctx: RequestContext, record: R): void;
  keyCase: KeyCase;
}

function tagOperations<R extends { Tags: Tag[] }>(entity: Taggable<R>) {
  const tag: Handler<Input, object> = (input, ctx) => {
    const record = entity.find(ctx, input);
    record.Tags = addTags(record.Tags, tagsFromInput(input['Tags'] as Tag[], entity.keyCase), entity.keyCase);
    entity.save(ctx, record);
    return {};
  };
  const untag: Handler<Input, object> = (input, ctx) => {
    const record = entity.find(ctx, input);
    record.Tags = dropTags(record.Tags, (input['TagKeys'] as string[]) ?? [], entity.keyCase);
    entity.save(ctx, record);
    return {};
  };
  const list: Handler<Input, object> = (input, ctx) => {
    const record = entity.find(ctx, input);
    const page = pageOf(sortedTags(record.Tags), (t) => t.Key, { Marker: input['Marker'] as string | undefined, MaxItems: input['MaxItems'] as number | undefined });
    return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  };
  return { tag, untag, list };
}

const role = tagOperations({ find: (ctx, input) => findRole(ctx, input['RoleName'] as string), save: saveRole, keyCase: 'insensitive' });
const user = tagOperations({ find: (ctx, input) => findUser(ctx, input['UserName'] as string), save: saveUser, keyCase: 'insensitive' });
const instanceProfile = tagOperations({
  find: (ctx, input) => findInstanceProfile(ctx, input['InstanceProfileName'] as string),
  save: saveInstanceProfile,
  keyCase: 'insensitive',
});
const policy = tagOperations({
  find: (ctx, input) => {
    const arn = input['PolicyArn'] as string;
    checkArn(arn);
    const record = policies(ctx).get(arn);
    if (!record) throw policyNotFound(arn);
    return record;
  },
  save: (ctx, record) => policies(ctx).put(record.Arn, record),
  // Managed policies keep "a" and "A" as two keys.
  keyCase: 'sensitive',
});

export const taggingHandlers = {
  TagRole: role.tag,
  UntagRole: role.untag,
  ListRoleTags: role.list,
  TagUser: user.tag,
  UntagUser: user.untag,
  ListUserTags: user.list,
  TagPolicy: policy.tag,
  UntagPolicy: policy.untag,
  ListPolicyTags: policy.list,
  TagInstanceProfile: instanceProfile.tag,
  UntagInstanceProfile: instanceProfile.untag,
  ListInstanceProfileTags: instanceProfile.list,
};
