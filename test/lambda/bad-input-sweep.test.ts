// Every Lambda operation, fed broken input generated from AWS's model (wrong JSON types, overlong,
// empty and control-character strings, malformed bodies, undecodable URI labels, foreign ARNs,
// missing required members), against a function that exists and one that does not: each answer is
// AWS-shaped and never a 5xx Lambda does not document, and the server keeps serving.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateAliasCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { rawRequest } from '../support/http.js';
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
});
