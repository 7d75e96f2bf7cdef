// Log group and stream names: the rules AWS checks, the ARNs it builds from them, and how a
// request names its log group (logGroupName, or logGroupIdentifier as a name or an ARN).

import { ServiceError } from '../../errors.js';
import { arn, parseArn } from '../common/arn.js';
import { invalidParameter } from './errors.js';

export const MAX_NAME_LENGTH = 512;

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;

// The model's pattern and length constraints on names are checked generically before a handler
// runs; what is left here is what AWS checks beyond them.

/** AWS answers an over-long group or stream name with its own message, not the model's length constraint. */
export function checkNameLength(name: string): void {
  if (name.length > MAX_NAME_LENGTH) throw invalidParameter('Invalid LogGroup or LogStream, both must have length less than or equal to 512.');
}

export function checkNewGroupName(name: string): void {
  checkNameLength(name);
  if (/^aws\//i.test(name)) throw invalidParameter('Log groups starting with AWS/ are reserved for AWS.');
}

export interface Place {
  account: string;
  region: string;
}

/** The log group's ARN as DescribeLogGroups' logGroupArn and the tagging API use it. */
export function groupArn(place: Place, name: string): string {
  return arn({ service: 'logs', region: place.region, account: place.account, resource: `log-group:${name}` });
}

export function streamArn(place: Place, group: string, stream: string): string {
  return arn({ service: 'logs', region: place.region, account: place.account, resource: `log-group:${group}:log-stream:${stream}` });
}

/** The group name an ARN of a log group names (with or without AWS's trailing ":*"), or undefined. */
export function groupNameFromArn(text: string): string | undefined {
  const parts = parseArn(text);
  if (!parts || parts.service !== 'logs' || !parts.resource.startsWith('log-group:')) return undefined;
  const rest = parts.resource.slice('log-group:'.length);
  const name = rest.endsWith(':*') ? rest.slice(0, -2) : rest;
  return GROUP_NAME.test(name) ? name : undefined;
}

/** The log group a request names through logGroupName or logGroupIdentifier (exactly one of them). */
export function requestedGroup(input: { logGroupName?: string; logGroupIdentifier?: string }): string {
  const { logGroupName, logGroupIdentifier } = input;
  if (logGroupName !== undefined && logGroupIdentifier !== undefined) {
    throw new ServiceError('ValidationException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (logGroupName !== undefined) return logGroupName;
  if (logGroupIdentifier === undefined) throw invalidParameter('Either logGroupName or logGroupIdentifier must be specified.');
  if (!logGroupIdentifier.startsWith('arn:')) return logGroupIdentifier;
  const name = groupNameFromArn(logGroupIdentifier);
  if (name === undefined) throw invalidParameter(`Invalid log group identifier: ${logGroupIdentifier}`);
  return name;
}
