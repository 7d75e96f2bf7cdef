// Finding the version a GetParameter-style name asks for: the latest, a numbered version, or
// the version carrying a label.

import type { RequestContext } from '../types.js';
import { parameterNotFound, versionNotFound } from './errors.js';
import { parseReference, type ParameterReference } from './names.js';
import { latestVersion, parameters, versionKey, versions, versionsOf, type StoredVersion } from './state.js';

export interface Found {
  version: StoredVersion;
  reference: ParameterReference;
}

/** Resolves a name as the caller wrote it; ParameterNotFound / ParameterVersionNotFound when it names nothing. */
export function findParameterVersion(ctx: RequestContext, requested: string): Found {
  const asked = requested.trim();
  const reference = parseReference(asked, ctx.account, ctx.region);
  if (!reference || reference.foreign) throw parameterNotFound(asked);
  const parameter = parameters(ctx).get(reference.name);
  if (!parameter) throw parameterNotFound(asked);
  if (reference.version !== undefined) {
    const version = versions(ctx).get(versionKey(reference.name, reference.version));
    if (!version) throw versionNotFound(reference.name, reference.version);
    return { version, reference };
  }
  if (reference.label !== undefined) {
    const version = versionsOf(ctx, reference.name).find((v) => v.Labels.includes(reference.label!));
    if (!version) throw parameterNotFound(asked);
    return { version, reference };
  }
  return { version: latestVersion(ctx, parameter), reference };
}
