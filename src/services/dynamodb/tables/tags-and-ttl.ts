// Tags (TagResource, UntagResource, ListTagsOfResource) and time to live settings
// (UpdateTimeToLive, DescribeTimeToLive).

import type * as DDB from '@aws-sdk/client-dynamodb';
import { ServiceError } from '../../../errors.js';
import { parseArn } from '../../common/arn.js';
import { checkTagCount, mergeTags, removeTags } from '../../common/tags.js';
import type { Handler, RequestContext } from '../../types.js';
import { limitExceeded, resourceNotFound, validation } from '../errors.js';
import type { Collection } from '../../../store/store.js';
import { backfillExpiry, disarmExpiry, scheduleOf } from '../ttl/expiry.js';
import { tables, tablesIn, type TableRecord } from './state.js';
import { requireTableForControl } from './table-operations.js';

interface Located {
  table: TableRecord;
  collection: Collection<TableRecord>;
}

/** The table a tagging call's ARN names, in whichever region the ARN says. */
function tableByArn(ctx: RequestContext, resourceArn: string, action: string): Located {
  const parts = parseArn(resourceArn);
  const match = parts && parts.service === 'dynamodb' ? /^table\/([a-zA-Z0-9_.-]{3,255})$/.exec(parts.resource) : null;
  if (!parts || !match) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${resourceArn}`);
  if (parts.account !== ctx.account) {
    throw new ServiceError('AccessDeniedException', `User: arn:aws:iam::${ctx.account}:root is not authorized to perform: dynamodb:${action} on resource: ${resourceArn}`);
  }
  const collection = parts.region === ctx.region ? tables(ctx) : tablesIn(ctx.store, { account: parts.account, region: parts.region });
  const table = collection.get(match[1]!);
  if (!table) throw resourceNotFound(`Requested resource not found: ResourcArn: ${resourceArn} not found`);
  return { table, collection };
}

export const tagResource: Handler<DDB.TagResourceInput, void> = (input, ctx) => {
  const { table, collection } = tableByArn(ctx, input.ResourceArn!, 'TagResource');
  if (input.Tags!.length === 0) throw validation('Atleast one Tag needs to be provided as Input.');
  const tags = mergeTags(table.tags, input.Tags as TableRecord['tags']);
  checkTagCount(tags, (m) => limitExceeded(m));
  table.tags = tags;
  collection.put(table.name, table);
};

export const untagResource: Handler<DDB.UntagResourceInput, void> = (input, ctx) => {
  const { table, collection } = tableByArn(ctx, input.ResourceArn!, 'UntagResource');
  if (input.TagKeys!.length === 0) throw validation('Atleast one Tag Key needs to be provided as Input.');
  table.tags = removeTags(table.tags, input.TagKeys!);
  collection.put(table.name, table);
};

export const listTagsOfResource: Handler<DDB.ListTagsOfResourceInput, DDB.ListTagsOfResourceOutput> = (input, ctx) => {
  const { table } = tableByArn(ctx, input.ResourceArn!, 'ListTagsOfResource');
  return { Tags: table.tags };
};

export const updateTimeToLive: Handler<DDB.UpdateTimeToLiveInput, DDB.UpdateTimeToLiveOutput> = (input, ctx) => {
  const table = requireTableForControl(ctx, input.TableName!);
  const spec = input.TimeToLiveSpecification!;
  if (spec.Enabled && table.ttl?.enabled) throw validation('TimeToLive is already enabled');
  if (!spec.Enabled && !table.ttl?.enabled) throw validation('TimeToLive is already disabled');
  table.ttl = { attribute: spec.AttributeName!, enabled: spec.Enabled! };
  tables(ctx).put(table.name, table);
  if (spec.Enabled) backfillExpiry(ctx, table);
  else {
    disarmExpiry(ctx, table.id);
    scheduleOf(ctx, table.id).deletePrefix('');
  }
  return { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } };
};

export const describeTimeToLive: Handler<DDB.DescribeTimeToLiveInput, DDB.DescribeTimeToLiveOutput> = (input, ctx) => {
  const table = requireTableForControl(ctx, input.TableName!);
  if (!table.ttl?.enabled) return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
  return { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: table.ttl.attribute } };
};
