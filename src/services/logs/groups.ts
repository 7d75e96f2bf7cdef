// Log groups: create, delete, describe, retention and the KMS key a group records.

import type * as CWL from '@aws-sdk/client-cloudwatch-logs';
import type { Handler, RequestContext } from '../types.js';
import { alreadyExists, invalidParameter, invalidToken } from './errors.js';
import { checkNewGroupName, groupArn, groupNameFromArn } from './names.js';
import { checkRetention, sweepExpired } from './retention.js';
import { LogsData, newGroupRecord, type LogGroupRecord } from './state.js';
import { pageToken, readPageToken } from './tokens.js';

const DESCRIBE_LIMIT = 50;

export const createLogGroup: Handler<CWL.CreateLogGroupRequest, Record<string, never>> = (input, ctx) => {
  const name = input.logGroupName!;
  checkNewGroupName(name);
  const data = LogsData.of(ctx);
  if (data.groups().has(name)) throw alreadyExists('log group');
  const group = newGroupRecord(name, ctx.clock.now(), { kmsKeyId: input.kmsKeyId, logGroupClass: input.logGroupClass, tags: input.tags });
  data.groups().put(name, group);
  return {};
};

export const deleteLogGroup: Handler<CWL.DeleteLogGroupRequest, Record<string, never>> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const name = input.logGroupName!;
  data.group(name);
  data.transaction(() => data.dropGroup(name));
  return {};
};

/** How DescribeLogGroups shows a group; a logGroupNamePattern search shows fewer fields, as AWS does. */
function describeGroup(ctx: RequestContext, data: LogsData, group: LogGroupRecord, brief: boolean): CWL.LogGroup {
  const arn = groupArn(ctx, group.name);
  const common = {
    logGroupName: group.name,
    creationTime: group.creationTime,
    metricFilterCount: data.metricFilters(group.name).count(),
    arn: `${arn}:*`,
    logGroupClass: group.logGroupClass as CWL.LogGroupClass,
    logGroupArn: arn,
  };
  if (brief) return common;
  return { ...common, retentionInDays: group.retentionInDays, storedBytes: group.storedBytes, kmsKeyId: group.kmsKeyId };
}

export const describeLogGroups: Handler<CWL.DescribeLogGroupsRequest, CWL.DescribeLogGroupsResponse> = (input, ctx) => {
  const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern } = input;
  if (prefix !== undefined && pattern !== undefined) {
    throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  }
  let after: string | undefined;
  if (input.nextToken !== undefined) {
    const position = readPageToken(input.nextToken);
    if (typeof position !== 'string') throw invalidToken();
    after = position;
  }
  const limit = input.limit ?? DESCRIBE_LIMIT;
  const data = LogsData.of(ctx);
  const now = ctx.clock.now();
  const matching = data
    .groups()
    .values({ prefix, after })
    .filter((g) => (pattern === undefined || g.name.includes(pattern)) && (input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass));
  const page = matching.slice(0, limit);
  return {
    logGroups: page.map((g) => describeGroup(ctx, data, sweepExpired(data, g, now), pattern !== undefined)),
    nextToken: matching.length > limit ? pageToken(page[page.length - 1]!.name) : undefined,
  };
};

export const putRetentionPolicy: Handler<CWL.PutRetentionPolicyRequest, Record<string, never>> = (input, ctx) => {
  checkRetention(input.retentionInDays!);
  const data = LogsData.of(ctx);
  const group = data.group(input.logGroupName!);
  data.groups().put(group.name, { ...group, retentionInDays: input.retentionInDays });
  return {};
};

export const deleteRetentionPolicy: Handler<CWL.DeleteRetentionPolicyRequest, Record<string, never>> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const group = data.group(input.logGroupName!);
  delete group.retentionInDays;
  data.groups().put(group.name, group);
  return {};
};

/** AssociateKmsKey and DisassociateKmsKey name the group by logGroupName or by its ARN. */
function kmsTarget(input: { logGroupName?: string; resourceIdentifier?: string }): string {
  if (input.logGroupName !== undefined && input.resourceIdentifier !== undefined) {
    throw invalidParameter('LogGroupName and ResourceIdentifier are mutually exclusive parameters.');
  }
  if (input.logGroupName !== undefined) return input.logGroupName;
  const name = input.resourceIdentifier === undefined ? undefined : groupNameFromArn(input.resourceIdentifier);
  if (name === undefined) throw invalidParameter('Either LogGroupName or ResourceIdentifier must be specified.');
  return name;
}

export const associateKmsKey: Handler<CWL.AssociateKmsKeyRequest, Record<string, never>> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const group = data.group(kmsTarget(input));
  data.groups().put(group.name, { ...group, kmsKeyId: input.kmsKeyId });
  return {};
};

export const disassociateKmsKey: Handler<CWL.DisassociateKmsKeyRequest, Record<string, never>> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const group = data.group(kmsTarget(input));
  delete group.kmsKeyId;
  data.groups().put(group.name, group);
  return {};
};
