// PutParameter: create a parameter, or with Overwrite add a version to it. What the caller leaves
// out on an overwrite (type, description, pattern, key, tier, data type, policies) carries over
// from the version before.

import type * as SSM from '@aws-sdk/client-ssm';
import { ServiceError } from '../../errors.js';
import { checkTagCount } from '../common/tags.js';
import type { Handler, RequestContext } from '../types.js';
import { alreadyExists, validation } from './errors.js';
import { checkNameForWrite } from './names.js';
import { parsePolicies } from './policies.js';
import { DEFAULT_KEY_ID, MAX_VERSIONS, latestVersion, newCiphertext, parameters, versionKey, versions, type StoredVersion } from './state.js';
import { tooManyTags } from './tags.js';
import { resolveTier } from './tiers.js';

const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'];
/** Data types a parameter can be changed neither to nor from. */
const FIXED_DATA_TYPES = ['aws:ec2:image', 'aws:ssm:integration'];
/** AMI ids: "ami-" and 8 or 17 characters (AWS's own example, ami-12345abcdeEXAMPLE, has letters). */
const AMI_ID = /^ami-[0-9a-zA-Z]{8,17}$/;

async function callerArn(ctx: RequestContext): Promise<string> {
  const identity = await ctx.call('sts', 'GetCallerIdentity', {});
  return String(identity['Arn']);
}

function checkPattern(pattern: string, value: string): void {
  let regex: RegExp;
  try {
    // AWS matches the whole value (Java's String.matches), so \d{1,4} rejects 10000.
    regex = new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new ServiceError('InvalidAllowedPatternException', "The request doesn't meet the regular expression requirement.");
  }
  if (!regex.test(value)) {
    throw new ServiceError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${pattern}`);
  }
}

export const putParameter: Handler<SSM.PutParameterRequest, SSM.PutParameterResult> = async (input, ctx) => {
  const name = checkNameForWrite(input.Name!);
  const value = input.Value!;
  if (value === '') {
    throw validation("1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.");
  }
  if (input.Overwrite && input.Tags?.length) {
    throw validation(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
  if (input.DataType !== undefined && !DATA_TYPES.includes(input.DataType)) {
    throw validation(`The following data type is not supported: ${input.DataType} (Data type names are all lowercase.)`);
  }
  const tags = (input.Tags ?? []).map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
  checkTagCount(tags, tooManyTags);
  const policies = input.Policies !== undefined ? parsePolicies(input.Policies) : undefined;
  const user = await callerArn(ctx);

  return ctx.store.transaction(() => {
    const existing = parameters(ctx).get(name);
    const previous = existing ? latestVersion(ctx, existing) : undefined;
    if (previous && !input.Overwrite) throw alreadyExists();
    const type = input.Type ?? previous?.Type;
    if (!type) throw validation('A parameter type is required when you create a parameter.');
    const dataType = input.DataType ?? previous?.DataType ?? 'text';
    if (previous && previous.DataType !== dataType && (FIXED_DATA_TYPES.includes(previous.DataType) || FIXED_DATA_TYPES.includes(dataType))) {
      throw validation(`The data type of a parameter can't be changed from ${previous.DataType} to ${dataType}.`);
    }
    const allowedPattern = input.AllowedPattern ?? previous?.AllowedPattern;
    if (allowedPattern) checkPattern(allowedPattern, value);
    const keptPolicies = policies ?? previous?.Policies;
    const tier = resolveTier({ requested: input.Tier, current: previous?.Tier, valueBytes: Buffer.byteLength(value), hasPolicies: !!keptPolicies?.length });
    const version = (previous?.Version ?? 0) + 1;
    // AWS validates AMI ids after answering: a bad one is acknowledged but never stored.
    if (dataType === 'aws:ec2:image' && !AMI_ID.test(value)) return { Version: version, Tier: tier as SSM.ParameterTier };

    const secure = type === 'SecureString';
    const stored: StoredVersion = {
      Name: name,
      Version: version,
      Type: type,
      Value: value,
      Ciphertext: secure ? newCiphertext(value) : undefined,
      KeyId: secure ? (input.KeyId ?? (previous?.Type === 'SecureString' ? previous.KeyId : undefined) ?? DEFAULT_KEY_ID) : undefined,
      Description: input.Description ?? previous?.Description,
      AllowedPattern: allowedPattern || undefined,
      Tier: tier,
      Policies: keptPolicies?.length ? keptPolicies : undefined,
      DataType: dataType,
      LastModifiedDate: ctx.clock.now(),
      LastModifiedUser: user,
      Labels: [],
    };
    dropOldestVersion(ctx, name);
    versions(ctx).put(versionKey(name, version), stored);
    parameters(ctx).put(name, { Name: name, Version: version, Tags: existing?.Tags ?? tags });
    return { Version: version, Tier: tier as SSM.ParameterTier };
  });
};

/** Keeps a parameter at MAX_VERSIONS by deleting its oldest version, which must not carry a label. */
function dropOldestVersion(ctx: RequestContext, name: string): void {
  if (versions(ctx).count(`${name}:`) < MAX_VERSIONS) return;
  const [entry] = versions(ctx).list({ prefix: `${name}:`, limit: 1 });
  const [key, oldest] = entry!;
  if (oldest.Labels.length) {
    throw new ServiceError(
      'ParameterMaxVersionLimitExceeded',
      `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest.Version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
    );
  }
  versions(ctx).delete(key);
}
