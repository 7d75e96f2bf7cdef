// Amazon EventBridge (the `events` service): event buses, rules with event patterns or schedules,
// targets, PutEvents with delivery, TestEventPattern and tags.
// Not yet: archives and replays, API destinations and connections, partner event sources,
// bus resource policies (PutPermission/RemovePermission), target retry policies and dead-letter
// queues (a failed delivery is dropped), Step Functions and other target kinds beyond Lambda,
// SQS, SNS, event buses and CloudWatch Logs, cross-account and cross-region targets, loop
// protection for buses that target each other, ManagedBy rules, and the newer bus fields
// (Description, KmsKeyIdentifier, DeadLetterConfig, CreationTime) the shipped model lacks.

import type { ServiceImplementation } from '../types.js';
import type { Handler } from '../types.js';
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses } from './buses.js';
import { putEvents, testEventPattern } from './put-events.js';
import { deleteRule, describeRule, disableRule, enableRule, listRuleNamesByTarget, listRules, putRule } from './rules.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { listTargetsByRule, putTargets, removeTargets } from './targets.js';
import { armScope } from './timers.js';

type Operation =
  | 'CreateEventBus'
  | 'DescribeEventBus'
  | 'ListEventBuses'
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
  | 'ListTagsForResource';

const operations: Record<Operation, Handler> = {
  CreateEventBus: createEventBus,
  DescribeEventBus: describeEventBus,
  ListEventBuses: listEventBuses,
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
};

export const events: ServiceImplementation = {
  operations,
  // After a restart, stored scheduled rules fire without waiting for an EventBridge call.
  resume(contextFor, scopes) {
    for (const scope of scopes) armScope(contextFor(scope));
  },
};
