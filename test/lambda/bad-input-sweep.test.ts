// Every Lambda operation, fed broken input generated from AWS's model (wrong JSON types, overlong,
// empty and control-character strings, malformed bodies, undecodable URI labels, foreign ARNs,
// missing required members), against a function that exists and one that does not: each answer is
// AWS-shaped and never a 5xx Lambda does not document, and the server keeps serving.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateAliasCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { rawRequest, SIGNED } from '../support/http.js';
import { problem, send, sweepCases } from '../support/rest-json-sweep.js';
import { createFunction, lambdaClient, useLambdaFogbank } from './support.js';

const env = useLambdaFogbank();

// Lambda's own 5xx errors (AWS documents them per operation): a broken zip or runtime, a function
// not ready, and the VPC/KMS/EFS/SnapStart faults of the execution environment.
const LAMBDA_5XX = /^(ServiceException|InvalidZipFileException|InvalidRuntimeException|ResourceNotReadyException|EC2\w+|ENILimitReachedException|InvalidSubnetIDException|InvalidSecurityGroupIDException|SubnetIPAddressLimitReachedException|KMS\w+|EFS\w+|SnapStart\w+)$/;

describe('Lambda bad-input sweep', () => {
  it('answers every generated bad request in AWS shape, never with a server error', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    await client.send(new PublishVersionCommand({ FunctionName: fn.FunctionName }));
    await client.send(new CreateAliasCommand({ FunctionName: fn.FunctionName, Name: 'live', FunctionVersion: '1' }));
    const known = { FunctionName: fn.FunctionName!, Name: 'live', Qualifier: 'live', FunctionVersion: '1', Role: 'arn:aws:iam::000000000000:role/lambda-role', Runtime: 'nodejs20.x', Handler: 'index.handler', InvocationType: 'RequestResponse', LogType: 'Tail', Resource: fn.FunctionArn!, ARN: fn.FunctionArn! };
    const failures: string[] = [];
    let count = 0;
    for (const c of sweepCases('lambda-2015-03-31.min.json', 'lambda', known, 42)) {
      count++;
      const answer = await send(env.endpoint, c);
      const wrong = problem(answer, LAMBDA_5XX);
      if (wrong) failures.push(`${c.operation} [${c.variant}] ${c.method} ${c.path.slice(0, 120)}: ${wrong} (${answer.status} ${answer.errorType ?? ''} ${answer.body.slice(0, 200)})`);
    }
    const health = await rawRequest(env.endpoint, { path: '/_fogbank/health' });
    assert.equal(health.status, 200);
    assert.ok(count > 1000, `only ${count} cases`);
    assert.deepEqual(failures, []);
  });

  it('answers Invoke with odd payloads, qualifiers and headers in AWS shape', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    const call = (body: string | Buffer, headers: Record<string, string> = {}, query = '') =>
      rawRequest(env.endpoint, { method: 'POST', path: `/2015-03-31/functions/${fn.FunctionName}/invocations${query}`, headers: { authorization: SIGNED('lambda'), ...headers }, body });
    const cases: Array<[string, Record<string, string>, string, number, string | undefined]> = [
      ['not json', {}, '', 400, 'InvalidRequestContentException'],
      ['{"a":', {}, '', 400, 'InvalidRequestContentException'],
      ['', {}, '', 200, undefined],
      ['"a string"', {}, '', 200, undefined],
      ['[1,2]', {}, '', 200, undefined],
      ['{}', { 'X-Amz-Invocation-Type': 'Bogus' }, '', 400, 'ValidationException'],
      ['{}', { 'X-Amz-Log-Type': 'Loud' }, '', 400, 'ValidationException'],
      ['{}', { 'X-Amz-Invocation-Type': 'DryRun' }, '', 204, undefined],
      // A client context must be base64 of a JSON object (it used to reach the runtime and fail there).
      ['{}', { 'X-Amz-Client-Context': Buffer.from('not json').toString('base64') }, '', 400, 'InvalidRequestContentException'],
      ['{}', { 'X-Amz-Client-Context': '!!!' }, '', 400, 'InvalidRequestContentException'],
      ['{}', { 'X-Amz-Client-Context': Buffer.from('{"custom":{"a":1}}').toString('base64') }, '', 200, undefined],
      ['{}', {}, '?Qualifier=99', 404, 'ResourceNotFoundException'],
      ['{}', {}, '?Qualifier=%25zz', 400, 'ValidationException'],
      ['{}', {}, '?Qualifier=', 400, 'ValidationException'],
    ];
    for (const [body, headers, query, status, type] of cases) {
      const answer = await call(body, headers, query);
      assert.equal(answer.status, status, `${body} ${JSON.stringify(headers)} ${query}: ${answer.body}`);
      assert.equal(answer.headers['x-amzn-errortype'], type, `${body} ${JSON.stringify(headers)} ${query}`);
    }
    const binary = await call(Buffer.from([0xff, 0xfe, 0x00]), { 'content-type': 'application/octet-stream' });
    assert.equal(binary.headers['x-amzn-errortype'], 'InvalidRequestContentException');
    const huge = await call('"' + 'a'.repeat(6 * 1024 * 1024) + '"');
    assert.equal(huge.status, 413);
    assert.equal(huge.headers['x-amzn-errortype'], 'RequestTooLargeException');
    assert.equal((await rawRequest(env.endpoint, { path: '/_fogbank/health' })).status, 200);
  });
});
