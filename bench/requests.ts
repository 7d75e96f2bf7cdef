// The fixed requests the benchmark sends: one cheap readiness probe, and one operation per
// implemented service with the request that creates what it reads. They look signed (a SigV4
// Authorization header with a credential scope) because both servers route on that scope; neither
// verifies the signature. Everything goes to 127.0.0.1.

import { request } from 'node:http';

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Replay the path with a counter 0..n-1 appended, cycling (distinct keys for uploads). */
  pathCycle?: number;
}

export interface BenchOperation {
  /** Fogbank's registry name for the service (src/services/registry.ts). */
  service: string;
  /** How the figure is labelled, e.g. "Secrets Manager GetSecretValue". */
  label: string;
  /** Requests that create the resource the operation reads, sent once on a fresh server. */
  setup: BenchRequest[];
  request: BenchRequest;
}

const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const AMZ_DATE = '20240101T000000Z';
const FAKE_SIGNATURE = 'f'.repeat(64);

function authorization(signingName: string, signedHeaders: string): string {
  return `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${AMZ_DATE.slice(0, 8)}/us-east-1/${signingName}/aws4_request, SignedHeaders=${signedHeaders}, Signature=${FAKE_SIGNATURE}`;
}

/** A query-protocol request (STS, IAM): a form body with Action and Version. */
function queryRequest(signingName: string, version: string, params: Record<string, string>): BenchRequest {
  const body = new URLSearchParams({ ...params, Version: version }).toString();
  return {
    method: 'POST',
    path: '/',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      'X-Amz-Date': AMZ_DATE,
      Authorization: authorization(signingName, 'content-type;host;x-amz-date'),
    },
    body,
  };
}

/** A JSON-protocol request (Secrets Manager, SSM, Logs): X-Amz-Target names the operation. */
function jsonRequest(signingName: string, target: string, input: Record<string, unknown>, jsonVersion = '1.1'): BenchRequest {
  return {
    method: 'POST',
    path: '/',
    headers: {
      'Content-Type': `application/x-amz-json-${jsonVersion}`,
      'X-Amz-Target': target,
      'X-Amz-Date': AMZ_DATE,
      Authorization: authorization(signingName, 'content-type;host;x-amz-date;x-amz-target'),
    },
    body: JSON.stringify(input),
  };
}

export const BENCH_SECRET_NAME = 'bench-secret';

export const PROBE: BenchRequest = queryRequest('sts', '2011-06-15', { Action: 'GetCallerIdentity' });

const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export const BENCH_OPERATIONS: readonly BenchOperation[] = [
  {
    service: 'sts',
    label: 'STS GetCallerIdentity',
    setup: [],
    request: PROBE,
  },
  {
    service: 'secretsmanager',
    label: 'Secrets Manager GetSecretValue',
    // AWS requires ClientRequestToken from raw HTTP callers (SDKs fill it in themselves).
    setup: [jsonRequest('secretsmanager', 'secretsmanager.CreateSecret', { Name: BENCH_SECRET_NAME, SecretString: 'bench-value', ClientRequestToken: 'b3f1a9e2-5c4d-4e8f-9a7b-1c2d3e4f5a6b' })],
    request: jsonRequest('secretsmanager', 'secretsmanager.GetSecretValue', { SecretId: BENCH_SECRET_NAME }),
  },
  {
    service: 'ssm',
    label: 'SSM GetParameter',
    setup: [jsonRequest('ssm', 'AmazonSSM.PutParameter', { Name: '/bench/parameter', Value: 'bench-value', Type: 'String' })],
    request: jsonRequest('ssm', 'AmazonSSM.GetParameter', { Name: '/bench/parameter' }),
  },
  {
    service: 'logs',
    label: 'CloudWatch Logs DescribeLogGroups',
    setup: [jsonRequest('logs', 'Logs_20140328.CreateLogGroup', { logGroupName: '/bench/group' })],
    request: jsonRequest('logs', 'Logs_20140328.DescribeLogGroups', { logGroupNamePrefix: '/bench/' }),
  },
  {
    service: 'iam',
    label: 'IAM GetRole',
    setup: [queryRequest('iam', '2010-05-08', { Action: 'CreateRole', RoleName: 'bench-role', AssumeRolePolicyDocument: TRUST_POLICY })],
    request: queryRequest('iam', '2010-05-08', { Action: 'GetRole', RoleName: 'bench-role' }),
  },
];

/** A REST-protocol read (S3, Lambda, API Gateway, Scheduler): the path names the operation. */
function restGet(signingName: string, path: string): BenchRequest {
  return {
    method: 'GET',
    path,
    headers: { 'X-Amz-Date': AMZ_DATE, 'X-Amz-Content-Sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', Authorization: authorization(signingName, 'host;x-amz-content-sha256;x-amz-date') },
    body: '',
  };
}

/**
 * One cheap read for each other service Fogbank knows, used only to load and use the service
 * before the warm memory reading (no throughput figure). A service joins the warm reading once
 * the registry gives it an implementation.
 */
export const WARM_ONLY_OPERATIONS: readonly BenchOperation[] = [
  { service: 'dynamodb', label: 'DynamoDB ListTables', setup: [], request: jsonRequest('dynamodb', 'DynamoDB_20120810.ListTables', {}, '1.0') },
  { service: 'dynamodbstreams', label: 'DynamoDB Streams ListStreams', setup: [], request: jsonRequest('dynamodb', 'DynamoDBStreams_20120810.ListStreams', {}, '1.0') },
  { service: 's3', label: 'S3 ListBuckets', setup: [], request: restGet('s3', '/') },
  { service: 'sqs', label: 'SQS ListQueues', setup: [], request: jsonRequest('sqs', 'AmazonSQS.ListQueues', {}, '1.0') },
  { service: 'sns', label: 'SNS ListTopics', setup: [], request: queryRequest('sns', '2010-03-31', { Action: 'ListTopics' }) },
  { service: 'lambda', label: 'Lambda ListFunctions', setup: [], request: restGet('lambda', '/2015-03-31/functions/') },
  { service: 'apigateway', label: 'API Gateway GetRestApis', setup: [], request: restGet('apigateway', '/restapis') },
  { service: 'apigatewayv2', label: 'API Gateway v2 GetApis', setup: [], request: restGet('apigateway', '/v2/apis') },
  { service: 'events', label: 'EventBridge ListEventBuses', setup: [], request: jsonRequest('events', 'AWSEvents.ListEventBuses', {}) },
  { service: 'scheduler', label: 'Scheduler ListSchedules', setup: [], request: restGet('scheduler', '/schedules') },
  { service: 'states', label: 'Step Functions ListStateMachines', setup: [], request: jsonRequest('states', 'AWSStepFunctions.ListStateMachines', {}, '1.0') },
];

export interface Answer {
  status: number;
  body: string;
}

/** Sends one request on a fresh connection; rejects on connection errors or after timeoutMs. */
export function send(port: number, req: BenchRequest, timeoutMs = 5_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(req.body);
    const outgoing = request(
      { host: '127.0.0.1', port, method: req.method, path: req.path, agent: false, headers: { ...req.headers, 'Content-Length': String(body.length) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** A short description of a non-2xx answer: status and the AWS error code when one is visible. */
export function describeFailure(answer: Answer): string {
  const code = /"__type"\s*:\s*"(?:[^"#]*#)?([^"]+)"/.exec(answer.body)?.[1] ?? /<Code>([^<]+)<\/Code>/.exec(answer.body)?.[1];
  return `HTTP ${answer.status}${code ? ` ${code}` : ''}`;
}

export const isOk = (answer: Answer): boolean => answer.status >= 200 && answer.status < 300;
