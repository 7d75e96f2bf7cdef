// Amazon CloudWatch Logs: log groups and streams, PutLogEvents with AWS's batch rules, GetLogEvents
// with stream tokens, FilterLogEvents with AWS's filter-pattern syntax (pattern/), retention on
// Fogbank's clock, tags, and writeLogEvents() for services (Lambda) that write logs directly;
// lines a service holds back to store in batches (registerPendingLogs) are stored before every
// operation here, so readers never miss a line already produced.
// Not yet:
// - metric filters and subscription filters are stored-only: no CloudWatch metrics are published
//   and nothing is delivered to subscription destinations;
// - Logs Insights queries (StartQuery, GetQueryResults, ...), StartLiveTail, export tasks,
//   destinations, deliveries, anomaly detectors, data-protection, account and resource policies,
//   GetLogRecord, GetLogGroupFields: unsupported-operation errors;
// - KMS keys are recorded, not checked to exist; cross-account (linked) log groups are not searched;
// - DescribeLogGroups' storedBytes is exact and immediate (AWS updates it lazily); searches with
//   logGroupNamePattern are consistent and do not page early as AWS's sometimes do;
// - GetLogEvents tokens are not tied to their stream, and FilterLogEvents pages are always full;
// - TestMetricFilter fills extractedValues for space-delimited patterns only.

import type { Handler, ServiceImplementation } from '../types.js';
import { filterLogEvents } from './filter-events.js';
import {
  deleteMetricFilter,
  deleteSubscriptionFilter,
  describeMetricFilters,
  describeSubscriptionFilters,
  putMetricFilter,
  putSubscriptionFilter,
  testMetricFilter,
} from './filters.js';
import { getLogEvents } from './get-events.js';
import {
  associateKmsKey,
  createLogGroup,
  deleteLogGroup,
  deleteRetentionPolicy,
  describeLogGroups,
  disassociateKmsKey,
  putRetentionPolicy,
} from './groups.js';
import { flushPendingLogs } from './pending.js';
import { putLogEvents } from './put-events.js';
import { createLogStream, deleteLogStream, describeLogStreams } from './streams.js';
import { listTagsForResource, listTagsLogGroup, tagLogGroup, tagResource, untagLogGroup, untagResource } from './tags.js';

export { LogWriteBatch, writeLogEvents, type LogsTarget, type NewLogEvent } from './ingest.js';
export { flushPendingLogs, PendingLogs, registerPendingLogs } from './pending.js';

/** Each operation first stores the lines other services hold back (pending.ts): reads see them all. */
function afterPendingLines(operations: Record<string, Handler>): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(operations).map(([name, handler]): [string, Handler] => [
      name,
      (input, ctx) => {
        flushPendingLogs(ctx.store);
        return handler(input, ctx);
      },
    ]),
  );
}

export const logs: ServiceImplementation = {
  // CloudWatch Logs reports failed model constraints as InvalidParameterException.
  errorStyle: { validationCode: 'InvalidParameterException' },
  operations: afterPendingLines({
    CreateLogGroup: createLogGroup,
    DeleteLogGroup: deleteLogGroup,
    DescribeLogGroups: describeLogGroups,
    PutRetentionPolicy: putRetentionPolicy,
    DeleteRetentionPolicy: deleteRetentionPolicy,
    AssociateKmsKey: associateKmsKey,
    DisassociateKmsKey: disassociateKmsKey,
    CreateLogStream: createLogStream,
    DeleteLogStream: deleteLogStream,
    DescribeLogStreams: describeLogStreams,
    PutLogEvents: putLogEvents,
    GetLogEvents: getLogEvents,
    FilterLogEvents: filterLogEvents,
    TagLogGroup: tagLogGroup,
    UntagLogGroup: untagLogGroup,
    ListTagsLogGroup: listTagsLogGroup,
    TagResource: tagResource,
    UntagResource: untagResource,
    ListTagsForResource: listTagsForResource,
    PutMetricFilter: putMetricFilter,
    DeleteMetricFilter: deleteMetricFilter,
    DescribeMetricFilters: describeMetricFilters,
    TestMetricFilter: testMetricFilter,
    PutSubscriptionFilter: putSubscriptionFilter,
    DeleteSubscriptionFilter: deleteSubscriptionFilter,
    DescribeSubscriptionFilters: describeSubscriptionFilters,
  }),
};
