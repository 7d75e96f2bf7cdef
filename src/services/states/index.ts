// AWS Step Functions: state machines (Standard and Express), executions run by Fogbank's own
// interpreter of the Amazon States Language in both query languages (JSONPath, and JSONata 2.0.6
// with AWS's added functions), workflow variables (Assign), and their execution history.
// Unconfirmed against AWS: the wording of definition diagnostics for JSONata (invalid
// expressions, fields of the other language, variable names) and of $partition/$range/$hash errors.
// Not yet: EvaluationFailed history events (absent from the SDK model Fogbank serves); integrations other than Lambda
// (plain function ARNs and arn:aws:states:::lambda:invoke) — no DynamoDB/SQS/SNS/EventBridge,
// nested executions, aws-sdk:* or .waitForTaskToken; activities; versions and aliases; map runs
// and distributed Map; RedriveExecution; TestState; heartbeats; Retry jitter; execution input size
// limits; Express execution logs; resuming executions that were running when Fogbank stopped.
// StartSyncExecution: AWS's model gives it the host prefix "sync-", so offline clients turn host
// prefixes off (SDK v3: disableHostPrefix: true; boto3: Config(inject_host_prefix=False)).

import type { ServiceImplementation } from '../types.js';
import { describeExecution, describeStateMachineForExecution, listExecutions, startExecution, startSyncExecution, stopExecution } from './executions.js';
import { getExecutionHistory } from './history.js';
import { createStateMachine, deleteStateMachine, describeStateMachine, listStateMachines, updateStateMachine, validateStateMachineDefinition } from './machines.js';
import { detachAll } from './runs.js';
import { flushWrites } from './state.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';

export const states: ServiceImplementation = {
  operations: {
    CreateStateMachine: createStateMachine,
    DescribeStateMachine: describeStateMachine,
    ListStateMachines: listStateMachines,
    UpdateStateMachine: updateStateMachine,
    DeleteStateMachine: deleteStateMachine,
    ValidateStateMachineDefinition: validateStateMachineDefinition,
    StartExecution: startExecution,
    StartSyncExecution: startSyncExecution,
    DescribeExecution: describeExecution,
    DescribeStateMachineForExecution: describeStateMachineForExecution,
    ListExecutions: listExecutions,
    StopExecution: stopExecution,
    GetExecutionHistory: getExecutionHistory,
    TagResource: tagResource,
    UntagResource: untagResource,
    ListTagsForResource: listTagsForResource,
  },
  shutdown: (store) => {
    flushWrites(store);
    detachAll(store);
  },
};
