// Instance profiles: containers for (at most) one role, as EC2 and some serverless tooling use them.

import type * as IAM from '@aws-sdk/client-iam';
import type { Handler, RequestContext } from '../types.js';
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from './errors.js';
import { byName, pageOf } from './paging.js';
import {
  findInstanceProfile, findRole, iamArn, instanceProfiles, lookup, newId, nowSeconds, roles, saveInstanceProfile,
  type InstanceProfileRecord,
} from './state.js';
import { tagsFromInput } from './tags.js';
import { instanceProfileView, type NoOutput } from './views.js';

const view = (ctx: RequestContext, profile: InstanceProfileRecord, tags: 'always' | 'when-set' | 'never') =>
  instanceProfileView(profile, (name) => roles(ctx).get(name), tags);

export const createInstanceProfile: Handler<IAM.CreateInstanceProfileRequest, IAM.CreateInstanceProfileResponse> = (input, ctx) => {
  const name = input.InstanceProfileName!;
  const tags = tagsFromInput(input.Tags, 'insensitive');
  if (lookup(instanceProfiles(ctx), name, (p) => p.InstanceProfileName)) throw entityAlreadyExists(`Instance Profile ${name} already exists.`);
  const path = input.Path ?? '/';
  const profile: InstanceProfileRecord = {
    InstanceProfileName: name,
    InstanceProfileId: newId('AIPA'),
    Arn: iamArn(ctx, 'instance-profile', path, name),
    Path: path,
    CreateDate: nowSeconds(ctx),
    Roles: [],
    Tags: tags,
  };
  saveInstanceProfile(ctx, profile);
  return { InstanceProfile: view(ctx, profile, 'when-set') };
};

export const getInstanceProfile: Handler<IAM.GetInstanceProfileRequest, IAM.GetInstanceProfileResponse> = (input, ctx) => ({
  InstanceProfile: view(ctx, findInstanceProfile(ctx, input.InstanceProfileName!), 'always'),
});

export const listInstanceProfiles: Handler<IAM.ListInstanceProfilesRequest, IAM.ListInstanceProfilesResponse> = (input, ctx) => {
  const prefix = input.PathPrefix ?? '/';
  const matching = byName(instanceProfiles(ctx).values().filter((p) => p.Path.startsWith(prefix)), (p) => p.InstanceProfileName);
  const page = pageOf(matching, (p) => p.InstanceProfileName, input);
  return { InstanceProfiles: page.items.map((p) => view(ctx, p, 'never')), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const listInstanceProfilesForRole: Handler<IAM.ListInstanceProfilesForRoleRequest, IAM.ListInstanceProfilesForRoleResponse> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName!);
  const holding = byName(instanceProfiles(ctx).values().filter((p) => p.Roles.includes(role.RoleName)), (p) => p.InstanceProfileName);
  const page = pageOf(holding, (p) => p.InstanceProfileName, input);
  return { InstanceProfiles: page.items.map((p) => view(ctx, p, 'never')), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const deleteInstanceProfile: Handler<IAM.DeleteInstanceProfileRequest, NoOutput> = (input, ctx) => {
  const profile = findInstanceProfile(ctx, input.InstanceProfileName!);
  if (profile.Roles.length > 0) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  instanceProfiles(ctx).delete(profile.InstanceProfileName);
  return {};
};

export const addRoleToInstanceProfile: Handler<IAM.AddRoleToInstanceProfileRequest, NoOutput> = (input, ctx) => {
  const profile = findInstanceProfile(ctx, input.InstanceProfileName!);
  const role = findRole(ctx, input.RoleName!);
  if (profile.Roles.length >= 1) throw limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
  profile.Roles.push(role.RoleName);
  saveInstanceProfile(ctx, profile);
  return {};
};

export const removeRoleFromInstanceProfile: Handler<IAM.RemoveRoleFromInstanceProfileRequest, NoOutput> = (input, ctx) => {
  const profile = findInstanceProfile(ctx, input.InstanceProfileName!);
  const role = findRole(ctx, input.RoleName!);
  if (!profile.Roles.includes(role.RoleName)) {
    throw noSuchEntity(`Role ${role.RoleName} in Instance Profile ${profile.InstanceProfileName} cannot be found.`);
  }
  profile.Roles = profile.Roles.filter((name) => name !== role.RoleName);
  saveInstanceProfile(ctx, profile);
  return {};
};
