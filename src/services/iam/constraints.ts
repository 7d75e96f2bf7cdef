// IAM's length, range and pattern rules for names, paths, documents and tags, checked before any
// handler runs, with IAM's messages: the Coral form for lengths, ranges and most patterns ("1
// validation error detected: Value at 'roleName' failed to satisfy constraint: ..."; IAM leaves the
// offending value out), and IAM's own sentences for entity names and paths that break their
// pattern ("The specified value for roleName is invalid. ..."), which IAM checks only once the
// Coral constraints pass. The generic model constraints (src/protocols/constraints) cover the Coral
// part too; the overlap is harmless, and the name and path sentences are IAM's alone.

import type { Tag } from '../common/tags.js';
import { validationError } from './errors.js';

interface Constraint {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minValue?: number;
  maxValue?: number;
  /** The pattern is reported in IAM's own words rather than Coral's. */
  sentence?: 'name' | 'path';
}

const NAME = '[\\w+=,.@-]+';
const PATH = '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)';
const PATH_PREFIX = '\\u002F[\\u0021-\\u007F]*';
const POLICY_PATH = '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/';
const DOCUMENT = '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+';
const ROLE_DESCRIPTION = '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*';
const TAG_KEY = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+';
const TAG_VALUE = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*';
const MAX_TAGS = 50;

/** The member's shape wherever it appears, unless an operation says otherwise below. */
const MEMBERS: Record<string, Constraint> = {
  RoleName: { minLength: 1, maxLength: 64, pattern: NAME, sentence: 'name' },
  UserName: { minLength: 1, maxLength: 128, pattern: NAME, sentence: 'name' },
  NewUserName: { minLength: 1, maxLength: 64, pattern: NAME, sentence: 'name' },
  GroupName: { minLength: 1, maxLength: 128, pattern: NAME, sentence: 'name' },
  NewGroupName: { minLength: 1, maxLength: 128, pattern: NAME, sentence: 'name' },
  PolicyName: { minLength: 1, maxLength: 128, pattern: NAME, sentence: 'name' },
  InstanceProfileName: { minLength: 1, maxLength: 128, pattern: NAME, sentence: 'name' },
  Path: { minLength: 1, maxLength: 512, pattern: PATH, sentence: 'path' },
  NewPath: { minLength: 1, maxLength: 512, pattern: PATH, sentence: 'path' },
  PathPrefix: { minLength: 1, maxLength: 512, pattern: PATH_PREFIX },
  MaxSessionDuration: { minValue: 3600, maxValue: 43200 },
  PolicyDocument: { minLength: 1, maxLength: 131072, pattern: DOCUMENT },
  AssumeRolePolicyDocument: { minLength: 1, maxLength: 131072, pattern: DOCUMENT },
  PolicyArn: { minLength: 20, maxLength: 2048 },
  PermissionsBoundary: { minLength: 20, maxLength: 2048 },
  VersionId: { pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' },
  AccessKeyId: { minLength: 16, maxLength: 128, pattern: '[\\w]+' },
  AccountAlias: { minLength: 3, maxLength: 63, pattern: '^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$' },
  Marker: { minLength: 1, maxLength: 320, pattern: '[\\u0020-\\u00FF]+' },
  MaxItems: { minValue: 1, maxValue: 1000 },
};

const ROLE_DESCRIPTION_RULE: Constraint = { maxLength: 1000, pattern: ROLE_DESCRIPTION };
/** userNameType: where IAM takes a new or attachable user's name, at most 64 characters (elsewhere 128). */
const NEW_USER_NAME: Constraint = { minLength: 1, maxLength: 64, pattern: NAME, sentence: 'name' };
const POLICY_PATH_RULE: Constraint = { minLength: 1, maxLength: 512, pattern: POLICY_PATH };

const BY_OPERATION: Record<string, Record<string, Constraint>> = {
  CreateRole: { Description: ROLE_DESCRIPTION_RULE },
  UpdateRole: { Description: ROLE_DESCRIPTION_RULE },
  UpdateRoleDescription: { Description: ROLE_DESCRIPTION_RULE },
  CreateUser: { UserName: NEW_USER_NAME },
  AttachUserPolicy: { UserName: NEW_USER_NAME },
  DetachUserPolicy: { UserName: NEW_USER_NAME },
  ListAttachedUserPolicies: { UserName: NEW_USER_NAME, PathPrefix: POLICY_PATH_RULE },
  PutUserPermissionsBoundary: { UserName: NEW_USER_NAME },
  DeleteUserPermissionsBoundary: { UserName: NEW_USER_NAME },
  CreatePolicy: { Path: POLICY_PATH_RULE, Description: { maxLength: 1000 } },
  ListPolicies: { PathPrefix: POLICY_PATH_RULE },
  ListAttachedRolePolicies: { PathPrefix: POLICY_PATH_RULE },
  ListAttachedGroupPolicies: { PathPrefix: POLICY_PATH_RULE },
  ListEntitiesForPolicy: { PathPrefix: { minLength: 1, maxLength: 512, pattern: PATH, sentence: 'path' } },
};

const compiled = new Map<string, RegExp>();

function matches(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const SENTENCES = {
  name: (member: string) => `The specified value for ${member} is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-`,
  path: (member: string) => `The specified value for ${member} is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`,
};

/** The Coral constraint messages one value breaks, in IAM's order (patterns IAM words itself excepted). */
function broken(value: unknown, rule: Constraint): string[] {
  const out: string[] = [];
  if (typeof value === 'number') {
    if (rule.minValue !== undefined && value < rule.minValue) out.push(`Member must have value greater than or equal to ${rule.minValue}`);
    if (rule.maxValue !== undefined && value > rule.maxValue) out.push(`Member must have value less than or equal to ${rule.maxValue}`);
    return out;
  }
  if (typeof value !== 'string') return out;
  // Lengths count code points, as IAM's Java validation does.
  const length = [...value].length;
  if (rule.maxLength !== undefined && length > rule.maxLength) out.push(`Member must have length less than or equal to ${rule.maxLength}`);
  if (rule.minLength !== undefined && length < rule.minLength) out.push(`Member must have length greater than or equal to ${rule.minLength}`);
  if (rule.pattern !== undefined && !rule.sentence && !matches(rule.pattern, value)) out.push(`Member must satisfy regular expression pattern: ${rule.pattern}`);
  return out;
}

function tagProblems(tags: Tag[]): string[] {
  const out: string[] = [];
  if (tags.length > MAX_TAGS) out.push(`Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS}`);
  tags.forEach((tag, i) => {
    for (const message of broken(tag.Key ?? '', { minLength: 1, maxLength: 128, pattern: TAG_KEY })) {
      out.push(`Value at 'tags.${i + 1}.member.key' failed to satisfy constraint: ${message}`);
    }
    for (const message of broken(tag.Value ?? '', { maxLength: 256, pattern: TAG_VALUE })) {
      out.push(`Value at 'tags.${i + 1}.member.value' failed to satisfy constraint: ${message}`);
    }
  });
  return out;
}

function tagKeyProblems(keys: string[]): string[] {
  const out: string[] = [];
  if (keys.length > MAX_TAGS) out.push(`Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS}`);
  // IAM reports a bad key in the list by restating every rule a key must meet.
  if (keys.some((key) => broken(key, { minLength: 1, maxLength: 128, pattern: TAG_KEY }).length > 0)) {
    out.push(
      `Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, ` +
        `Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${TAG_KEY}, Member must not be null]`,
    );
  }
  return out;
}

/** Throws IAM's ValidationError listing every broken constraint in the operation's input. */
export function checkConstraints(operation: string, input: Record<string, unknown>): void {
  const overrides = BY_OPERATION[operation] ?? {};
  const problems: string[] = [];
  let sentence: string | undefined;
  for (const [member, value] of Object.entries(input)) {
    if (member === 'Tags' && Array.isArray(value)) {
      problems.push(...tagProblems(value as Tag[]));
      continue;
    }
    if (member === 'TagKeys' && Array.isArray(value)) {
      problems.push(...tagKeyProblems(value as string[]));
      continue;
    }
    const rule = overrides[member] ?? MEMBERS[member];
    if (!rule) continue;
    for (const message of broken(value, rule)) problems.push(`Value at '${lowerFirst(member)}' failed to satisfy constraint: ${message}`);
    if (rule.sentence && typeof value === 'string' && !sentence && !matches(rule.pattern!, value)) sentence = SENTENCES[rule.sentence](lowerFirst(member));
  }
  if (problems.length === 0 && sentence) throw validationError(sentence);
  if (problems.length === 0) return;
  const count = problems.length;
  throw validationError(`${count} validation error${count > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
}
