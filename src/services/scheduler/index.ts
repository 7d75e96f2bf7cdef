// Amazon EventBridge Scheduler: schedule groups (with tags) and schedules with at(), rate() and
// cron() expressions in any IANA time zone, StartDate/EndDate, ENABLED/DISABLED state and
// ActionAfterCompletion, firing on Fogbank's clock into templated targets (Lambda, SQS, SNS,
// EventBridge, Step Functions) with the Input as-is and Scheduler's context attributes filled in,
// universal targets (arn:aws:scheduler:::aws-sdk:<service>:<action>) for Fogbank's services,
// retries under RetryPolicy into the dead-letter queue, and FLEXIBLE windows (at their middle).
// Universal targets AWS refuses (malformed ARNs, read-only actions, no Input) are refused at
// CreateSchedule and UpdateSchedule with AWS's messages.
// Not yet: ECS, Kinesis, Firehose, SageMaker, CodeBuild and other templated targets; a random
// moment inside a FLEXIBLE window; refusing at creation a templated target of a service AWS does
// not template (it fails when invoked instead); ClientToken idempotency; KMS encryption; the
// group's DELETING state (groups are deleted at once); execution-role checks.

import type { Handler, ServiceImplementation } from '../types.js';
import { createScheduleGroup, deleteScheduleGroup, getScheduleGroup, listScheduleGroups, listTagsForResource, tagResource, untagResource } from './groups.js';
import { createSchedule, deleteSchedule, getSchedule, listSchedules, updateSchedule } from './schedules.js';
import { armScope } from './timers.js';
import { pending } from './deliver.js';

type Operation =
  | 'CreateSchedule'
  | 'GetSchedule'
  | 'UpdateSchedule'
  | 'DeleteSchedule'
  | 'ListSchedules'
  | 'CreateScheduleGroup'
  | 'GetScheduleGroup'
  | 'DeleteScheduleGroup'
  | 'ListScheduleGroups'
  | 'TagResource'
  | 'UntagResource'
  | 'ListTagsForResource';

const operations: Record<Operation, Handler> = {
  CreateSchedule: createSchedule,
  GetSchedule: getSchedule,
  UpdateSchedule: updateSchedule,
  DeleteSchedule: deleteSchedule,
  ListSchedules: listSchedules,
  CreateScheduleGroup: createScheduleGroup,
  GetScheduleGroup: getScheduleGroup,
  DeleteScheduleGroup: deleteScheduleGroup,
  ListScheduleGroups: listScheduleGroups,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};

export const scheduler: ServiceImplementation = {
  operations,
  // After a restart, stored schedules fire and pending retries run when due, without waiting for a
  // Scheduler call.
  resume(contextFor, scopes) {
    for (const scope of scopes) {
      const ctx = contextFor(scope);
      armScope(ctx);
      pending.resume(ctx);
    }
  },
};
