// AWS Lambda: functions from .zip packages (or a hot-reload folder), run as real host processes (Node.js, Python and
// custom runtimes) speaking the Lambda Runtime API to Fogbank (src/runtime/), with warm workers,
// AWS's error payloads, timeouts and logs in CloudWatch Logs. Event invokes (and every service that
// invokes asynchronously) go through a stored queue with AWS's retries, event age, destinations and
// dead-letter queues (async/); event source mappings poll SQS and DynamoDB streams (event-sources/).
// Not yet:
// - layers are merged into a host folder standing in for /opt: Python, require() and import find
//   their modules there, and a custom runtime without its own bootstrap runs the layers' (as
//   /opt/bootstrap), but code that names /opt literally does not find it; layer ARNs Fogbank
//   does not hold (AWS's public layers) are recorded with CodeSize 0 and skipped; layer
//   permissions are stored, not enforced; layers cannot be hot-reloaded (functions can:
//   S3Bucket 'hot-reload', S3Key = a local folder);
// - functions run as the host user, Node.js ones on the host's node whatever the runtime's version,
//   Python ones on the runtime's pythonX.Y where it runs on the host, else on python3;
//   MemorySize is held by watching the worker and the processes it starts (/proc, every 20 ms,
//   and at each answer) rather than by a cgroup, so a short-lived subprocess can spike past it
//   between two looks unseen, and on hosts without /proc memory is neither measured nor limited
//   (Node.js still gets V8's heap flags from MemorySize, as AWS's bootstrap sets them);
// - paths are the host's, not Lambda's: LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR and the layers' /opt
//   are folders under the system's temporary folder (a per-function /opt would need a mount
//   namespace, i.e. root), so NODE_PATH and PYTHONPATH name those folders in AWS's order;
// - resource policies (AddPermission, GetPolicy) are checked when S3 and SNS invoke and when
//   another account's caller invokes by ARN (principals: an account, its root, a user or role ARN,
//   or *; a statement with conditions admits no other account); IAM identity policies are not
//   enforced, so callers in the function's own account need none; operations other than Invoke do
//   not reach another account's functions (AWS lets a policy grant GetFunction and others);
// - function URLs are configured here and served by serveFunctionUrl() once the edge routes
//   their requests to it (host <url-id>.lambda-url.<region>.localhost.localstack.cloud or path
//   /_aws/lambda-url/<url-id>/); AWS_IAM URLs need a signed request whose signature is not
//   checked; RESPONSE_STREAM answers buffered; several cookies share one set-cookie header;
// - event source mappings read SQS queues and DynamoDB streams only (not Kinesis, Kafka, MQ,
//   DocumentDB); ParallelizationFactor and tumbling windows are stored, not applied; metrics and
//   tags of mappings are not kept; a mapping settles at once (its Creating/Updating/Deleting state
//   shows only in the answer that made it); an SQS mapping scales from five pollers to at most 20
//   (AWS: up to 1,250, or ScalingConfig's cap); a batch is not cut at 6 MB of payload;
//   messages a disabled mapping's last long poll caught are made visible again, which counts as a
//   receive; stream OnFailure destinations are SQS and SNS (not S3 or Kafka), and the on-failure
//   record's requestId is Fogbank's own;
// - asynchronous invocation: S3 on-failure destinations are refused; an event whose function is
//   deleted is dropped silently; the condition
//   given for events sent away because reserved concurrency is 0 (RetriesExhausted) is a guess;
// - code signing, provisioned concurrency, recursion and runtime-management configs: unsupported;
// - the execution role is not checked to exist or to trust Lambda; container images are refused;
// - functions are Active as soon as CreateFunction answers (the answer itself says Pending, and
//   updates say InProgress, as AWS's do);
// - timeouts run on real time, not Fogbank's clock (workers are real processes): advancing the
//   clock does not time a function out, and log timestamps are the clock's, not the worker's.

import type { ServiceImplementation } from '../types.js';
import { createFunction, deleteFunction, getFunctionConfiguration, getFunctionHandler, listFunctions } from './functions.js';
import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from './aliases.js';
import { createFunctionUrlConfig, deleteFunctionUrlConfig, getFunctionUrlConfig, listFunctionUrlConfigs, updateFunctionUrlConfig } from './function-urls.js';
import { invoke } from './invoke.js';
import {
  addLayerVersionPermission,
  deleteLayerVersion,
  getLayerVersion,
  getLayerVersionByArn,
  getLayerVersionPolicy,
  listLayers,
  listLayerVersions,
  publishLayerVersion,
  removeLayerVersionPermission,
} from './layers.js';
import { addPermission, getPolicy, removePermission } from './permissions.js';
import { deleteFunctionConcurrency, getAccountSettings, getFunctionConcurrency, listTags, putFunctionConcurrency, tagResource, untagResource } from './settings.js';
import { updateFunctionCode, updateFunctionConfiguration } from './updates.js';
import { listVersionsByFunction, publishVersion } from './versions.js';

import {
  createEventSourceMapping,
  deleteEventSourceMapping,
  getEventSourceMapping,
  listEventSourceMappings,
  updateEventSourceMapping,
} from './event-sources/operations.js';
import { resumePollers, stopAllPollers } from './event-sources/pollers.js';
import {
  deleteFunctionEventInvokeConfig,
  getFunctionEventInvokeConfig,
  listFunctionEventInvokeConfigs,
  putFunctionEventInvokeConfig,
  updateFunctionEventInvokeConfig,
} from './async/configs.js';
import { resumeAsyncEvents, stopAsyncEvents } from './async/queue.js';

import { stopLambdaWorkers } from '../../runtime/index.js';

export { stopLambdaWorkers } from '../../runtime/index.js';
export { functionUrlTarget, serveFunctionUrl, type UrlInvoker } from './url-invoke.js';

export const lambda: ServiceImplementation = {
  errorStyle: { messageKey: 'Message' },
  // Workers and the Runtime API listener belong to one Fogbank and end with it.
  shutdown: (store) => {
    stopAllPollers(store);
    stopAsyncEvents(store);
    return stopLambdaWorkers(store);
  },
  // Event source mappings kept in the store poll again, and queued Event invocations run again,
  // when Fogbank starts (registry: resumeFrom).
  resume: (contextFor, scopes) => {
    resumePollers(contextFor, scopes);
    resumeAsyncEvents(contextFor, scopes);
  },
  operations: {
    CreateFunction: createFunction,
    GetFunction: getFunctionHandler,
    GetFunctionConfiguration: getFunctionConfiguration,
    ListFunctions: listFunctions,
    DeleteFunction: deleteFunction,
    UpdateFunctionCode: updateFunctionCode,
    UpdateFunctionConfiguration: updateFunctionConfiguration,
    Invoke: invoke,
    TagResource: tagResource,
    UntagResource: untagResource,
    ListTags: listTags,
    PutFunctionConcurrency: putFunctionConcurrency,
    GetFunctionConcurrency: getFunctionConcurrency,
    DeleteFunctionConcurrency: deleteFunctionConcurrency,
    GetAccountSettings: getAccountSettings,
    PublishVersion: publishVersion,
    ListVersionsByFunction: listVersionsByFunction,
    CreateAlias: createAlias,
    GetAlias: getAlias,
    UpdateAlias: updateAlias,
    DeleteAlias: deleteAlias,
    ListAliases: listAliases,
    AddPermission: addPermission,
    RemovePermission: removePermission,
    GetPolicy: getPolicy,
    PublishLayerVersion: publishLayerVersion,
    GetLayerVersion: getLayerVersion,
    GetLayerVersionByArn: getLayerVersionByArn,
    ListLayers: listLayers,
    ListLayerVersions: listLayerVersions,
    DeleteLayerVersion: deleteLayerVersion,
    AddLayerVersionPermission: addLayerVersionPermission,
    GetLayerVersionPolicy: getLayerVersionPolicy,
    RemoveLayerVersionPermission: removeLayerVersionPermission,
    CreateFunctionUrlConfig: createFunctionUrlConfig,
    GetFunctionUrlConfig: getFunctionUrlConfig,
    UpdateFunctionUrlConfig: updateFunctionUrlConfig,
    DeleteFunctionUrlConfig: deleteFunctionUrlConfig,
    ListFunctionUrlConfigs: listFunctionUrlConfigs,
    CreateEventSourceMapping: createEventSourceMapping,
    GetEventSourceMapping: getEventSourceMapping,
    ListEventSourceMappings: listEventSourceMappings,
    UpdateEventSourceMapping: updateEventSourceMapping,
    DeleteEventSourceMapping: deleteEventSourceMapping,
    PutFunctionEventInvokeConfig: putFunctionEventInvokeConfig,
    GetFunctionEventInvokeConfig: getFunctionEventInvokeConfig,
    UpdateFunctionEventInvokeConfig: updateFunctionEventInvokeConfig,
    DeleteFunctionEventInvokeConfig: deleteFunctionEventInvokeConfig,
    ListFunctionEventInvokeConfigs: listFunctionEventInvokeConfigs,
  },
};
