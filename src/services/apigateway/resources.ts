// GetResources, GetResource, CreateResource, UpdateResource, DeleteResource: the path tree of a REST API. Each
// resource holds its methods; a path part is a literal, a {param} or a greedy {param+}.

import type * as AG from '@aws-sdk/client-api-gateway';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { methodView } from './methods.js';
import { applyPatch, listingErrors } from './patch.js';
import { badRequest, conflict, getApi, findResource, notFound, putResource, resources, newId, type ResourceRecord } from './state.js';

const PATH_PART = /^(\{[a-zA-Z0-9._-]+\+?\}|[a-zA-Z0-9._:-]+)$/;

export function resourceView(resource: ResourceRecord, embedMethods: boolean): AG.Resource {
  const methods = Object.entries(resource.methods);
  return {
    id: resource.id,
    parentId: resource.parentId,
    pathPart: resource.pathPart,
    path: resource.path,
    // AWS lists method names without their detail unless asked to embed them.
    resourceMethods: methods.length ? Object.fromEntries(methods.map(([name, m]) => [name, embedMethods ? methodView(m) : {}])) : undefined,
  };
}

export function apiResources(ctx: RequestContext, apiId: string): ResourceRecord[] {
  return resources(ctx).values({ prefix: `${apiId}/` });
}

const embeds = (embed: string[] | undefined) => (embed ?? []).some((e) => e.split(',').includes('methods'));

export const getResources: Handler<AG.GetResourcesRequest, AG.Resources> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const all = apiResources(ctx, input.restApiId!).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.id < b.id ? -1 : 1));
  const page = paginate(all, (r) => `${r.path}\u0000${r.id}`, input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  return { items: page.items.map((r) => resourceView(r, embeds(input.embed))), position: page.nextToken };
};

export const getResource: Handler<AG.GetResourceRequest, AG.Resource> = (input, ctx) =>
  resourceView(findResource(ctx, input.restApiId!, input.resourceId!), embeds(input.embed));

/** AWS's checks for a path part under a parent: its characters, greedy parents, duplicate and second variable siblings. */
function checkPlacement(all: ResourceRecord[], parent: ResourceRecord, pathPart: string, self?: string): void {
  if (!PATH_PART.test(pathPart)) {
    throw badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.");
  }
  if (parent.pathPart?.endsWith('+}')) throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  const siblings = all.filter((r) => r.parentId === parent.id && r.id !== self);
  if (siblings.some((s) => s.pathPart === pathPart)) throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  const variable = siblings.find((s) => s.pathPart?.startsWith('{'));
  if (pathPart.startsWith('{') && variable) {
    throw badRequest(`A sibling (${variable.pathPart}) of this resource already has a variable path part -- only one is allowed`);
  }
}

export const createResource: Handler<AG.CreateResourceRequest, AG.Resource> = (input, ctx) => {
  const parent = findResource(ctx, input.restApiId!, input.parentId!);
  const pathPart = input.pathPart!;
  checkPlacement(apiResources(ctx, input.restApiId!), parent, pathPart);
  const resource: ResourceRecord = {
    id: newId(),
    parentId: parent.id,
    pathPart,
    path: parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`,
    methods: {},
  };
  putResource(ctx, input.restApiId!, resource);
  return resourceView(resource, false);
};

export const deleteResource: Handler<AG.DeleteResourceRequest, Record<string, never>> = (input, ctx) => {
  const api = getApi(ctx, input.restApiId!);
  const resource = findResource(ctx, api.id, input.resourceId!);
  if (resource.id === api.rootResourceId) throw badRequest('Cannot delete root resource');
  // Deleting a resource deletes everything under its path.
  const doomed = apiResources(ctx, api.id).filter((r) => r.path === resource.path || r.path.startsWith(`${resource.path}/`));
  ctx.store.transaction(() => {
    for (const r of doomed) resources(ctx).delete(`${api.id}/${r.id}`);
  });
  return {};
};

const RESOURCE_PATCH = {
  rules: [
    { path: '/parentId', ops: ['replace' as const] },
    { path: '/pathPart', ops: ['replace' as const] },
  ],
  ...listingErrors(['/parentId', '/pathPart']),
};

/** Renames or moves a resource; the paths of everything under it follow. */
export const updateResource: Handler<AG.UpdateResourceRequest, AG.Resource> = (input, ctx) => {
  const api = getApi(ctx, input.restApiId!);
  const resource = findResource(ctx, api.id, input.resourceId!);
  const updated = applyPatch(resource, input.patchOperations, RESOURCE_PATCH);
  if (resource.id === api.rootResourceId && input.patchOperations?.length) {
    throw badRequest(`Root resource cannot update its ${input.patchOperations[0]!.path!.slice(1)}.`);
  }
  const all = apiResources(ctx, api.id);
  const parent = all.find((r) => r.id === updated.parentId);
  if (!parent) throw notFound('Invalid Resource identifier specified');
  const oldPath = resource.path;
  if (parent.path === oldPath || parent.path.startsWith(`${oldPath}/`)) throw badRequest('Resources cannot be moved under themselves.');
  checkPlacement(all, parent, updated.pathPart!, resource.id);
  updated.path = parent.path === '/' ? `/${updated.pathPart}` : `${parent.path}/${updated.pathPart}`;
  ctx.store.transaction(() => {
    for (const r of all) {
      if (r.path.startsWith(`${oldPath}/`)) putResource(ctx, api.id, { ...r, path: updated.path + r.path.slice(oldPath.length) });
    }
    putResource(ctx, api.id, updated);
  });
  return resourceView(updated, false);
};
