// Service integrations, called through Fogbank's own dispatch: the optimized ones
// (arn:aws:states:::dynamodb:putItem, sqs:sendMessage, sns:publish, events:putEvents,
// states:startExecution, lambda:invoke) and arn:aws:states:::aws-sdk:<service>:<action>, each in
// the request-response pattern, .waitForTaskToken, or (nested executions) .sync and .sync:2.

import { StatesError, runtimeError } from './errors.js';
import { json, type Host } from './host.js';
import { isObject } from './jsonpath.js';
import { findOperation, fromServiceOutput, serviceFailure, toServiceInput, type ErrorStyle, type SdkOperation } from './sdk-shapes.js';

export type Pattern = 'request' | 'token' | 'sync' | 'sync2';

export interface Integration {
  /** TaskScheduled's resourceType and resource, e.g. "dynamodb" and "putItem", "aws-sdk:s3" and "getObject". */
  resourceType: string;
  resource: string;
  pattern: Pattern;
  /** The API call: its answer is the result (request-response) or TaskSubmitted's output. */
  call(host: Host, params: unknown): Promise<unknown>;
  /** .sync: waits for the started work to end; its result or failure is the task's. */
  complete?(host: Host, submitted: unknown): Promise<unknown>;
}

const RESOURCE = /^arn:aws[a-z-]*:states:::(aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)(\.sync:2|\.sync|\.waitForTaskToken)?$/;

/** aws-sdk:<service> names that differ from Fogbank's service names. */
const SDK_SERVICES: Record<string, string> = { eventbridge: 'events', sfn: 'states', cloudwatchlogs: 'logs' };
/** The AWS SDK for Java 2.x client names aws-sdk errors are prefixed with. */
const SDK_PREFIX: Record<string, string> = {
  dynamodb: 'DynamoDb', s3: 'S3', sqs: 'Sqs', sns: 'Sns', events: 'EventBridge', lambda: 'Lambda', states: 'Sfn', secretsmanager: 'SecretsManager',
  ssm: 'Ssm', logs: 'CloudWatchLogs', iam: 'Iam', sts: 'Sts', apigateway: 'ApiGateway', apigatewayv2: 'ApiGatewayV2', scheduler: 'Scheduler', dynamodbstreams: 'DynamoDbStreams',
};

interface Optimized {
  service: string;
  actions: string[];
  style: ErrorStyle;
  /** Whether the answer carries the SDK 1.x HTTP metadata. */
  metadata: boolean;
  /** Message bodies given as JSON are sent as their text. */
  stringify?: string[];
  patterns: Pattern[];
}

const OPTIMIZED: Record<string, Optimized> = {
  dynamodb: { service: 'dynamodb', actions: ['putItem', 'getItem', 'updateItem', 'deleteItem'], style: { prefix: 'DynamoDB', serviceName: 'AmazonDynamoDBv2', sdkV2: false }, metadata: true, patterns: ['request'] },
  sqs: { service: 'sqs', actions: ['sendMessage'], style: { prefix: 'SQS', serviceName: 'AmazonSQS', sdkV2: false }, metadata: true, stringify: ['MessageBody'], patterns: ['request', 'token'] },
  sns: { service: 'sns', actions: ['publish'], style: { prefix: 'SNS', serviceName: 'AmazonSNS', sdkV2: false }, metadata: true, stringify: ['Message'], patterns: ['request', 'token'] },
  events: { service: 'events', actions: ['putEvents'], style: { prefix: 'EventBridge', serviceName: 'EventBridge', sdkV2: true }, metadata: false, patterns: ['request', 'token'] },
  states: { service: 'states', actions: ['startExecution'], style: { prefix: 'StepFunctions', serviceName: 'AWSStepFunctions', sdkV2: false }, metadata: false, stringify: ['Input'], patterns: ['request', 'token', 'sync', 'sync2'] },
};

function patternOf(suffix: string | undefined): Pattern {
  if (suffix === '.waitForTaskToken') return 'token';
  if (suffix === '.sync') return 'sync';
  if (suffix === '.sync:2') return 'sync2';
  return 'request';
}

/** Whether a Task resource is an integration Fogbank runs (undefined: it does not). */
export function findIntegration(resource: string): Integration | undefined {
  const m = RESOURCE.exec(resource);
  if (!m) return undefined;
  const [, sdk, service, action, suffix] = m;
  const pattern = patternOf(suffix);
  const resourceName = `${action}${suffix ?? ''}`;
  if (sdk) {
    const name = SDK_SERVICES[service!] ?? service!;
    const op = findOperation(name, action!);
    if (!op || (pattern !== 'request' && pattern !== 'token')) return undefined;
    const style: ErrorStyle = { prefix: SDK_PREFIX[name] ?? name, serviceName: SDK_PREFIX[name] ?? name, sdkV2: true };
    return { resourceType: `aws-sdk:${service}`, resource: resourceName, pattern, call: (host, params) => callService(host, op, params, style, false) };
  }
  const spec = OPTIMIZED[service!];
  if (!spec || !spec.actions.includes(action!) || !spec.patterns.includes(pattern)) return undefined;
  const op = findOperation(spec.service, action!)!;
  const integration: Integration = {
    resourceType: service!,
    resource: resourceName,
    pattern,
    call: async (host, params) => {
      const out = await callService(host, op, stringified(params, spec.stringify), spec.style, spec.metadata);
      if (service === 'events' && isObject(out) && Number(out.FailedEntryCount) > 0) throw new StatesError('EventBridge.FailedEntry', JSON.stringify(out));
      return out;
    },
  };
  if (pattern === 'sync' || pattern === 'sync2') integration.complete = (host, submitted) => awaitExecution(host, submitted, pattern === 'sync2');
  return integration;
}

/** SQS MessageBody, SNS Message and Step Functions' Input may be given as JSON: sent as text. */
function stringified(params: unknown, fields: string[] = []): unknown {
  if (!isObject(params)) return params;
  const out = { ...params };
  for (const field of fields) if (out[field] !== undefined && typeof out[field] !== 'string') out[field] = JSON.stringify(out[field]);
  return out;
}

async function callService(host: Host, op: SdkOperation, params: unknown, style: ErrorStyle, metadata: boolean): Promise<unknown> {
  if (params !== undefined && !isObject(params)) throw runtimeError(`The parameters of ${op.service}:${op.operation} must be a JSON object`);
  let out: Record<string, unknown>;
  try {
    out = await host.ctx.call(op.service, op.operation, toServiceInput(op, params ?? {}));
  } catch (error) {
    throw serviceFailure(error, style, host.ctx.requestId);
  }
  const result = fromServiceOutput(op, out) as Record<string, unknown>;
  return metadata ? { ...result, ...sdkMetadata(host.ctx.requestId) } : result;
}

/** What AWS SDK 1.x based integrations (Lambda, DynamoDB, SQS, SNS) add to each answer. */
export function sdkMetadata(requestId: string): Record<string, unknown> {
  return {
    SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** states:startExecution.sync(:2): the child's DescribeExecution once it ends; a failed child fails the task. */
async function awaitExecution(host: Host, submitted: unknown, parsed: boolean): Promise<unknown> {
  const executionArn = isObject(submitted) ? String(submitted.ExecutionArn) : '';
  await Promise.race([
    host.waitForExecution(executionArn),
    // The parent stopped: so does the child, as on AWS.
    host.aborted().catch(async (error: unknown) => {
      await host.ctx.call('states', 'StopExecution', { executionArn }).catch(() => undefined);
      throw error;
    }),
  ]);
  const op = findOperation('states', 'describeExecution')!;
  const described = fromServiceOutput(op, await host.ctx.call('states', 'DescribeExecution', { executionArn })) as Record<string, unknown>;
  if (parsed && typeof described.Output === 'string') described.Output = JSON.parse(described.Output) as unknown;
  if (described.Status === 'SUCCEEDED') return described;
  if (described.Status === 'TIMED_OUT') throw new StatesError('States.Timeout', json(described));
  throw new StatesError('States.TaskFailed', json(described));
}
