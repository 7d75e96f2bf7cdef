// Amazon EventBridge (the `events` service): event buses, rules with event patterns or schedules,
// targets (Lambda, SQS incl. FIFO, SNS, Step Functions, event buses, CloudWatch Logs, API
// destinations, API Gateway REST stages) with retry policies and dead-letter queues (retries
// waiting on the clock survive a restart), PutEvents with delivery, TestEventPattern, tags,
// connections (their credentials also in a Secrets Manager secret, SecretArn) and API
// destinations, archives (with their managed rule Events-Archive-<name>) and replays (resumed
// after a restart), bus resource policies (PutPermission/RemovePermission: kept, not enforced).
// Not yet: partner event sources, targets in services Fogbank lacks (Kinesis, Firehose, ECS,
// Batch, ...: dead-lettered as NO_RESOURCE), cross-account and cross-region targets, loop
// protection for buses that target each other, managed rules other than the archives' (only
// DeleteRule and RemoveTargets refuse them without Force), API destination rate limits, and the
// newer fields (bus Description, KmsKeyIdentifier, DeadLetterConfig, CreationTime; connectivity
// parameters) the shipped model lacks.

import type { ServiceImplementation } from '../types.js';
import type { Handler } from '../types.js';
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses } from './buses.js';
import { putEvents, testEventPattern } from './put-events.js';
import { putPermission, removePermission } from './permissions.js';
import { deleteRule, describeRule, disableRule, enableRule, listRuleNamesByTarget, listRules, putRule } from './rules.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { listTargetsByRule, putTargets, removeTargets } from './targets.js';
import { armScope } from './timers.js';
import { createArchive, deleteArchive, describeArchive, listArchives, updateArchive } from './archives.js';
import { cancelReplay, describeReplay, listReplays, resumeReplays, startReplay } from './replays.js';
import { pending } from './deliver.js';
import {
  createConnection,
  deauthorizeConnection,
  deleteConnection,
  describeConnection,
  listConnections,
  updateConnection,
} from './api-destinations/connections.js';
import {
  createApiDestination,
  deleteApiDestination,
  describeApiDestination,
  listApiDestinations,
  updateApiDestination,
} from './api-destinations/destinations.js';

type Operation =
  | 'CreateEventBus'
  | 'DescribeEventBus'
  | 'ListEventBuses'
  | 'PutPermission'
  | 'RemovePermission'
  | 'DeleteEventBus'
  | 'PutRule'
  | 'DescribeRule'
  | 'ListRules'
  | 'DeleteRule'
  | 'EnableRule'
  | 'DisableRule'
  | 'ListRuleNamesByTarget'
  | 'PutTargets'
  | 'RemoveTargets'
  | 'ListTargetsByRule'
  | 'PutEvents'
  | 'TestEventPattern'
  | 'TagResource'
  | 'UntagResource'
  | 'ListTagsForResource'
  | 'CreateConnection'
  | 'DescribeConnection'
  | 'ListConnections'
  | 'UpdateConnection'
  | 'DeauthorizeConnection'
  | 'DeleteConnection'
  | 'CreateApiDestination'
  | 'DescribeApiDestination'
  | 'ListApiDestinations'
  | 'UpdateApiDestination'
  | 'DeleteApiDestination'
  | 'CreateArchive'
  | 'DescribeArchive'
  | 'ListArchives'
  | 'UpdateArchive'
  | 'DeleteArchive'
  | 'StartReplay'
  | 'DescribeReplay'
  | 'ListReplays'
  | 'CancelReplay';

const operations: Record<Operation, Handler> = {
  CreateEventBus: createEventBus,
  DescribeEventBus: describeEventBus,
  ListEventBuses: listEventBuses,
  PutPermission: putPermission,
  RemovePermission: removePermission,
  DeleteEventBus: deleteEventBus,
  PutRule: putRule,
  DescribeRule: describeRule,
  ListRules: listRules,
  DeleteRule: deleteRule,
  EnableRule: enableRule,
  DisableRule: disableRule,
  ListRuleNamesByTarget: listRuleNamesByTarget,
  PutTargets: putTargets,
  RemoveTargets: removeTargets,
  ListTargetsByRule: listTargetsByRule,
  PutEvents: putEvents,
  TestEventPattern: testEventPattern,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  CreateConnection: createConnection,
  DescribeConnection: describeConnection,
  ListConnections: listConnections,
  UpdateConnection: updateConnection,
  DeauthorizeConnection: deauthorizeConnection,
  DeleteConnection: deleteConnection,
  CreateApiDestination: createApiDestination,
  DescribeApiDestination: describeApiDestination,
  ListApiDestinations: listApiDestinations,
  UpdateApiDestination: updateApiDestination,
  DeleteApiDestination: deleteApiDestination,
  CreateArchive: createArchive,
  DescribeArchive: describeArchive,
  ListArchives: listArchives,
  UpdateArchive: updateArchive,
  DeleteArchive: deleteArchive,
  StartReplay: startReplay,
  DescribeReplay: describeReplay,
  ListReplays: listReplays,
  CancelReplay: cancelReplay,
};

export const events: ServiceImplementation = {
  operations,
  // After a restart, stored scheduled rules fire, pending target retries run when due and replays
  // under way carry on, without waiting for an EventBridge call.
  resume(contextFor, scopes) {
    for (const scope of scopes) {
      const ctx = contextFor(scope);
      armScope(ctx);
      pending.resume(ctx);
      resumeReplays(ctx);
    }
  },
};
