import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { createFunction, decode, lambdaClient, ROLE, uniqueName, useLambdaFogbank, zip } from './support.js';

const env = useLambdaFogbank();

function fails(code: string, message?: string | RegExp, status?: number) {
  return (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, code, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    if (status) assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  };
}

describe('Lambda functions (control plane)', () => {
  it('CreateFunction answers Pending with the exact CodeSha256 and CodeSize; reads and the waiter see Active', async () => {
    const client = lambdaClient(env.endpoint);
    const code = zip({ 'index.mjs': 'export const handler = async () => 1;' });
    const name = uniqueName('create');
    const created = await client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: code },
        Environment: { Variables: { STAGE: 'dev' } },
        Timeout: 30,
        MemorySize: 256,
        Description: 'first',
        Tags: { team: 'a' },
        Layers: ['arn:aws:lambda:us-east-1:000000000000:layer:shared:1'],
      }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.State, 'Pending');
    assert.equal(created.StateReasonCode, 'Creating');
    assert.equal(created.CodeSha256, createHash('sha256').update(code).digest('base64'));
    assert.equal(created.CodeSize, code.length);
    assert.equal(created.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}`);
    assert.deepEqual(created.Environment, { Variables: { STAGE: 'dev' } });
    assert.equal(created.Version, '$LATEST');
    assert.equal(created.PackageType, 'Zip');
    assert.deepEqual(created.Layers, [{ Arn: 'arn:aws:lambda:us-east-1:000000000000:layer:shared:1', CodeSize: 0 }]);
    assert.match(created.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

    await waitUntilFunctionActiveV2({ client, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    const got = await client.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(got.Configuration!.State, 'Active');
    assert.equal(got.Configuration!.LastUpdateStatus, 'Successful');
    assert.equal(got.Configuration!.Timeout, 30);
    assert.equal(got.Configuration!.MemorySize, 256);
    assert.deepEqual(got.Tags, { team: 'a' });
    assert.equal(got.Code!.RepositoryType, 'S3');
    const download = Buffer.from(await (await fetch(got.Code!.Location!)).arrayBuffer());
    assert.deepEqual(download, Buffer.from(code));

    // ARN and partial-ARN forms name the same function.
    const byArn = await client.send(new GetFunctionConfigurationCommand({ FunctionName: created.FunctionArn }));
    assert.equal(byArn.FunctionName, name);
    const byPartial = await client.send(new GetFunctionConfigurationCommand({ FunctionName: `000000000000:function:${name}` }));
    assert.equal(byPartial.RevisionId, byArn.RevisionId);
  });

  it('a duplicate name is ResourceConflictException (409)', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    await assert.rejects(createFunction(client, { FunctionName: fn.FunctionName }), fails('ResourceConflictException', `Function already exist: ${fn.FunctionName}`, 409));
  });

  it('a missing function is ResourceNotFoundException (404) naming its ARN', async () => {
    const client = lambdaClient(env.endpoint);
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:nope';
    await assert.rejects(client.send(new GetFunctionCommand({ FunctionName: 'nope' })), fails('ResourceNotFoundException', `Function not found: ${arn}`, 404));
    await assert.rejects(client.send(new GetFunctionConfigurationCommand({ FunctionName: 'nope' })), fails('ResourceNotFoundException', `Function not found: ${arn}`));
    await assert.rejects(client.send(new DeleteFunctionCommand({ FunctionName: 'nope' })), fails('ResourceNotFoundException', `Function not found: ${arn}`));
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'nope' })), fails('ResourceNotFoundException', `Function not found: ${arn}`));
    await assert.rejects(client.send(new UpdateFunctionCodeCommand({ FunctionName: 'nope', ZipFile: zip({ a: 'b' }) })), fails('ResourceNotFoundException'));
    // Another region's function is not found here.
    await assert.rejects(
      client.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:nope' })),
      fails('ResourceNotFoundException', 'Function not found: arn:aws:lambda:eu-west-1:000000000000:function:nope'),
    );
  });

  it('rejects bad input with AWS errors, and still serves afterwards', async () => {
    const client = lambdaClient(env.endpoint);
    await assert.rejects(createFunction(client, { Role: 'not-a-role' }), fails('ValidationException', /at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern/));
    await assert.rejects(createFunction(client, { Timeout: 0 }), fails('ValidationException', /Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1/));
    await assert.rejects(
      createFunction(client, { Timeout: 901 }),
      fails('ValidationException', "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"),
    );
    await assert.rejects(createFunction(client, { MemorySize: 64 }), fails('ValidationException', /at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128/));
    await assert.rejects(createFunction(client, { MemorySize: 10241 }), fails('InvalidParameterValueException', "'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to 10240"));
    await assert.rejects(
      createFunction(client, { Runtime: 'python3.8' }),
      fails('InvalidParameterValueException', /^The runtime parameter of python3.8 is no longer supported for creating or updating AWS Lambda functions/),
    );
    await assert.rejects(createFunction(client, { Runtime: 'java21' }), fails('InvalidParameterValueException', /^The runtime parameter of java21 is not supported by Fogbank/));
    await assert.rejects(createFunction(client, { Runtime: 'cobol' as never }), fails('ValidationException', /at 'runtime' failed to satisfy constraint: Member must satisfy enum value set/));
    await assert.rejects(
      createFunction(client, { Handler: undefined }),
      fails('InvalidParameterValueException', 'Runtime and Handler are mandatory parameters for functions created with deployment packages.'),
    );
    await assert.rejects(
      client.send(new CreateFunctionCommand({ FunctionName: uniqueName('bad'), Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: Buffer.from('not a zip') } })),
      fails('InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.'),
    );
    await assert.rejects(
      client.send(new CreateFunctionCommand({ FunctionName: uniqueName('bad'), Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: {} })),
      fails('InvalidParameterValueException'),
    );
    await assert.rejects(
      createFunction(client, { Environment: { Variables: { AWS_REGION: 'x', OK: 'y' } } }),
      fails('InvalidParameterValueException', /contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION$/),
    );
    await assert.rejects(createFunction(client, { Environment: { Variables: { BIG: 'x'.repeat(4100) } } }), fails('InvalidParameterValueException', /exceeded the 4KB limit/));
    await assert.rejects(createFunction(client, { FunctionName: 'bad name!' }), fails('ValidationException', /at 'functionName' failed to satisfy constraint/));
    await assert.rejects(createFunction(client, { PackageType: 'Image', Code: { ImageUri: 'repo/image:1' } }), fails('InvalidParameterValueException', /not supported by Fogbank/));
    // Nothing half-made was left behind, and the server still answers.
    const fn = await createFunction(client, {});
    assert.equal(fn.State, 'Pending');
  });

  it('ListFunctions pages with MaxItems and Marker', async () => {
    const client = lambdaClient(env.endpoint);
    for (let i = 0; i < 3; i++) await createFunction(client, {});
    const all: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      assert.ok(page.Functions!.length <= 2);
      all.push(...page.Functions!.map((f) => f.FunctionName!));
      marker = page.NextMarker;
      pages++;
    } while (marker);
    assert.ok(pages >= 2);
    assert.deepEqual(all, [...all].sort());
    assert.equal(new Set(all).size, all.length);
    const whole = await client.send(new ListFunctionsCommand({}));
    assert.deepEqual(whole.Functions!.map((f) => f.FunctionName), all);
    assert.equal(whole.NextMarker, undefined);
  });

  it('UpdateFunctionCode answers InProgress, settles for the waiter, and new invokes run the new code', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async () => "v1";' } });
    assert.equal(decode((await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }))).Payload), 'v1');
    const v2 = zip({ 'index.mjs': 'export const handler = async () => "v2";' });
    const updated = await client.send(new UpdateFunctionCodeCommand({ FunctionName: fn.FunctionName, ZipFile: v2 }));
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    assert.equal(updated.CodeSha256, createHash('sha256').update(v2).digest('base64'));
    assert.equal(updated.CodeSize, v2.length);
    assert.notEqual(updated.RevisionId, fn.RevisionId);
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 10, minDelay: 1 }, { FunctionName: fn.FunctionName });
    assert.equal(decode((await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }))).Payload), 'v2');
    // A stale RevisionId is refused.
    await assert.rejects(
      client.send(new UpdateFunctionCodeCommand({ FunctionName: fn.FunctionName, ZipFile: v2, RevisionId: fn.RevisionId })),
      fails('PreconditionFailedException', /does not match the latest Revision Id/, 412),
    );
  });

  it('UpdateFunctionConfiguration changes timeout, memory and environment, seen by the next invoke', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      files: { 'index.mjs': 'export const handler = async (e, c) => ({ v: process.env.VAL ?? null, mem: c.memoryLimitInMB });' },
      Environment: { Variables: { VAL: 'one' } },
    });
    assert.deepEqual(decode((await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }))).Payload), { v: 'one', mem: '128' });
    const updated = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn.FunctionName, Timeout: 10, MemorySize: 512, Environment: { Variables: { VAL: 'two' } } }));
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    assert.equal(updated.Timeout, 10);
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 10, minDelay: 1 }, { FunctionName: fn.FunctionName });
    assert.deepEqual(decode((await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }))).Payload), { v: 'two', mem: '512' });
    await assert.rejects(
      client.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn.FunctionName, Runtime: 'nodejs14.x' })),
      fails('InvalidParameterValueException', /nodejs14.x is no longer supported/),
    );
    await assert.rejects(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn.FunctionName, Timeout: 1000 })), fails('ValidationException'));
  });

  it('DeleteFunction removes the function; deleting $LATEST alone is refused', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    await assert.rejects(
      client.send(new DeleteFunctionCommand({ FunctionName: fn.FunctionName, Qualifier: '$LATEST' })),
      fails('InvalidParameterValueException', '$LATEST version cannot be deleted without deleting the function.'),
    );
    assert.deepEqual(decode((await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Payload: Buffer.from('{"n":1}') }))).Payload), { ok: true, event: { n: 1 } });
    const deleted = await client.send(new DeleteFunctionCommand({ FunctionName: fn.FunctionName }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await assert.rejects(client.send(new GetFunctionCommand({ FunctionName: fn.FunctionName })), fails('ResourceNotFoundException'));
    await assert.rejects(client.send(new DeleteFunctionCommand({ FunctionName: fn.FunctionName })), fails('ResourceNotFoundException'));
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: fn.FunctionName })), fails('ResourceNotFoundException', `Function not found: ${fn.FunctionArn}`, 404));
    // A new function under the same name runs its own code.
    await createFunction(client, { FunctionName: fn.FunctionName, files: { 'index.mjs': 'export const handler = async () => "second";' } });
    assert.equal(decode((await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }))).Payload), 'second');
  });
});
