// AWS Step Functions: state machines (Standard and Express), executions run by Fogbank's own
// interpreter of the Amazon States Language in both query languages (JSONPath, and JSONata 2.0.6
// with AWS's added functions), workflow variables (Assign), and their execution history.
// Unconfirmed against AWS: the wording of definition diagnostics for JSONata (invalid
// expressions, fields of the other language, variable names) and of $partition/$range/$hash errors.
// Integrations through Fogbank's own dispatch: Lambda (function ARNs, lambda:invoke), DynamoDB
// put/get/update/deleteItem, SQS sendMessage, SNS publish, EventBridge putEvents,
// states:startExecution (.sync, .sync:2), aws-sdk:<service>:<action> for every service Fogbank
// serves, .waitForTaskToken with SendTask*, activities with GetActivityTask. Step Functions Local's
// mock configuration file (SFN_MOCK_CONFIG; test cases as <machine ARN>#<case>, see mocks.ts).
// Not yet: EvaluationFailed history events and TestState's newer members (stateName, variables,
// mock), both absent from the SDK model Fogbank serves; other optimized integrations (ECS, Glue,
// Batch, ...) and aws-sdk for services Fogbank lacks (their tasks fail with States.Runtime); map
// runs as resources (DescribeMapRun, ListMapRuns, UpdateMapRun: a distributed Map runs its items
// in-process, reading from and writing to S3), ItemBatcher, the MANIFEST reader; redriving only the
// failed iterations of a Map or branches of a Parallel (a redrive runs the whole state again);
// Express execution logs; task tokens across a restart (a resumed execution enters its Task state
// again and calls anew).
// Unconfirmed against AWS: the wording of InvalidToken/TaskDoesNotExist messages, and .sync
// timestamps as epoch milliseconds.
// StartSyncExecution: AWS's model gives it the host prefix "sync-", so offline clients turn host
// prefixes off (SDK v3: disableHostPrefix: true; boto3: Config(inject_host_prefix=False)).

import type { ServiceImplementation } from '../types.js';
import { describeExecution, describeStateMachineForExecution, listExecutions, redriveExecution, startExecution, startSyncExecution, stopExecution } from './executions.js';
import { getExecutionHistory } from './history.js';
import { createStateMachine, deleteStateMachine, describeStateMachine, listStateMachines, updateStateMachine, validateStateMachineDefinition } from './machines.js';
import { createActivity, deleteActivity, describeActivity, getActivityTask, listActivities } from './activities.js';
import { detachAll, resumeRuns } from './runs.js';
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from './tasks.js';
import { testState } from './test-state.js';
import { dropTokens } from './tokens.js';
import { createStateMachineAlias, deleteStateMachineAlias, deleteStateMachineVersion, describeStateMachineAlias, listStateMachineAliases, listStateMachineVersions, publishStateMachineVersion, updateStateMachineAlias } from './versions.js';
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
    RedriveExecution: redriveExecution,
    TestState: testState,
    PublishStateMachineVersion: publishStateMachineVersion,
    ListStateMachineVersions: listStateMachineVersions,
    DeleteStateMachineVersion: deleteStateMachineVersion,
    CreateStateMachineAlias: createStateMachineAlias,
    DescribeStateMachineAlias: describeStateMachineAlias,
    UpdateStateMachineAlias: updateStateMachineAlias,
    DeleteStateMachineAlias: deleteStateMachineAlias,
    ListStateMachineAliases: listStateMachineAliases,
    GetExecutionHistory: getExecutionHistory,
    SendTaskSuccess: sendTaskSuccess,
    SendTaskFailure: sendTaskFailure,
    SendTaskHeartbeat: sendTaskHeartbeat,
    CreateActivity: createActivity,
    DescribeActivity: describeActivity,
    ListActivities: listActivities,
    DeleteActivity: deleteActivity,
    GetActivityTask: getActivityTask,
    TagResource: tagResource,
    UntagResource: untagResource,
    ListTagsForResource: listTagsForResource,
  },
  resume(contextFor, scopes) {
    for (const scope of scopes) resumeRuns(contextFor(scope));
  },
  shutdown: (store) => {
    flushWrites(store);
    dropTokens(store);
    detachAll(store);
  },
};
