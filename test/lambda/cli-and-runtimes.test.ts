import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  ListTagsCommand,
  PutFunctionConcurrencyCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-lambda';
import { awsCli, awsCliFails, hasAwsCli, hasBoto3 } from '../support/fogbank.js';
import { createFunction, decode, lambdaClient, ROLE, uniqueName, useLambdaFogbank, zip } from './support.js';

const env = useLambdaFogbank();

// A custom runtime: the package's own bootstrap loops on the Runtime API (here in Node, as a Go or
// Rust binary would).
const CUSTOM_BOOTSTRAP = `#!/bin/sh
exec node "$LAMBDA_TASK_ROOT/runtime.mjs"
`;
const CUSTOM_RUNTIME = `const base = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2018-06-01/runtime/invocation/';
for (;;) {
  const next = await fetch(base + 'next');
  const id = next.headers.get('lambda-runtime-aws-request-id');
  const event = await next.json();
  console.log('custom runtime got', JSON.stringify(event));
  await fetch(base + id + '/response', { method: 'POST', body: JSON.stringify({ echoed: event, handler: process.env._HANDLER }) });
}
`;

// The bootstrap of AWS's custom runtime tutorial (sh + curl), answering a padded JSON string.
const CURL_BOOTSTRAP = `#!/bin/sh
set -eu
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation"
while true; do
  HEADERS="$(mktemp)"
  EVENT="$(curl -sS -LD "$HEADERS" "$API/next")"
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  SIZE=$(echo "$EVENT" | sed 's/.*"size":\\([0-9]*\\).*/\\1/')
  BODY="$(mktemp)"
  { printf '{"pad":"'; head -c "$SIZE" /dev/zero | tr '\\0' a; printf '"}'; } > "$BODY"
  case "$EVENT" in
    *chunked*) curl -sS -H 'Transfer-Encoding: chunked' --data-binary "@$BODY" "$API/$REQUEST_ID/response" > /dev/null ;;
    *) curl -sS --data-binary "@$BODY" "$API/$REQUEST_ID/response" > /dev/null ;;
  esac
  rm -f "$HEADERS" "$BODY"
done
`;
const hasCurl = (() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('Lambda from the AWS CLI, custom runtimes, hot reload, tags, concurrency and account settings', () => {
  it('create, invoke (response.json), update and delete with the AWS CLI', { skip: (!hasAwsCli || !hasBoto3) && 'needs the AWS CLI and python3' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-lambda-cli-'));
    writeFileSync(join(dir, 'function.zip'), zip({ 'lambda_function.py': 'def lambda_handler(event, context):\n    return {"got": event, "memory": context.memory_limit_in_mb}\n' }));
    writeFileSync(join(dir, 'event.json'), '{"hello":"cli"}');
    const name = uniqueName('cli');
    const created = await awsCli(env.endpoint, ['lambda', 'create-function', '--function-name', name, '--runtime', 'python3.11', '--role', ROLE, '--handler', 'lambda_function.lambda_handler', '--zip-file', `fileb://${join(dir, 'function.zip')}`]);
    assert.equal((created.json as { State: string }).State, 'Pending');
    const invoked = await awsCli(env.endpoint, ['lambda', 'invoke', '--function-name', name, '--payload', `fileb://${join(dir, 'event.json')}`, join(dir, 'response.json')]);
    assert.deepEqual(invoked.json, { StatusCode: 200, ExecutedVersion: '$LATEST' });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'response.json'), 'utf8')), { got: { hello: 'cli' }, memory: '128' });
    const updated = await awsCli(env.endpoint, ['lambda', 'update-function-configuration', '--function-name', name, '--timeout', '20', '--memory-size', '1024']);
    assert.equal((updated.json as { Timeout: number }).Timeout, 20);
    writeFileSync(join(dir, 'v2.zip'), zip({ 'lambda_function.py': 'def lambda_handler(event, context):\n    return {"v": 2, "memory": context.memory_limit_in_mb}\n' }));
    await awsCli(env.endpoint, ['lambda', 'update-function-code', '--function-name', name, '--zip-file', `fileb://${join(dir, 'v2.zip')}`]);
    await awsCli(env.endpoint, ['lambda', 'invoke', '--function-name', name, join(dir, 'response2.json')]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'response2.json'), 'utf8')), { v: 2, memory: '1024' });
    await awsCli(env.endpoint, ['lambda', 'delete-function', '--function-name', name]);
    const missing = await awsCliFails(env.endpoint, ['lambda', 'get-function', '--function-name', name]);
    assert.match(missing.stderr, /ResourceNotFoundException/);
    assert.match(missing.stderr, /Function not found: arn:aws:lambda:us-east-1:000000000000:function:/);
  });

  it('runs a provided.al2023 function through its own bootstrap; a package without one is Runtime.InvalidEntrypoint', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { Runtime: 'provided.al2023', Handler: 'my.handler', files: { bootstrap: CUSTOM_BOOTSTRAP, 'runtime.mjs': CUSTOM_RUNTIME }, modes: { bootstrap: 0o755 } });
    const out = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Payload: Buffer.from('{"n":1}'), LogType: 'Tail' }));
    assert.equal(out.FunctionError, undefined);
    assert.deepEqual(decode(out.Payload), { echoed: { n: 1 }, handler: 'my.handler' });
    assert.match(Buffer.from(out.LogResult!, 'base64').toString(), /custom runtime got \{"n":1\}/);
    const noBootstrap = await createFunction(client, { Runtime: 'provided.al2', Handler: 'x', files: { 'main.sh': 'echo' } });
    const failed = await client.send(new InvokeCommand({ FunctionName: noBootstrap.FunctionName }));
    assert.equal(failed.FunctionError, 'Unhandled');
    const body = decode(failed.Payload) as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, 'Runtime.InvalidEntrypoint');
    assert.match(body.errorMessage, /Couldn't find valid bootstrap\(s\)/);
    // A bootstrap that is not executable cannot start either.
    const notExecutable = await createFunction(client, { Runtime: 'provided.al2023', Handler: 'x', files: { bootstrap: CUSTOM_BOOTSTRAP }, modes: { bootstrap: 0o644 } });
    const denied = decode((await client.send(new InvokeCommand({ FunctionName: notExecutable.FunctionName }))).Payload) as { errorType: string; errorMessage: string };
    assert.equal(denied.errorType, 'Runtime.InvalidEntrypoint');
    assert.match(denied.errorMessage, /^RequestId: [0-9a-f-]{36} Error: fork\/exec .*\/bootstrap: permission denied$/);
  });

  it("runs AWS's shell-and-curl custom runtime tutorial: large bodies (Expect: 100-continue) and chunked uploads", { skip: !hasCurl && 'needs curl' }, async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { Runtime: 'provided.al2023', Handler: 'function.handler', files: { bootstrap: CURL_BOOTSTRAP }, modes: { bootstrap: 0o755 } });
    const small = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Payload: Buffer.from('{"size":10}') }));
    assert.equal(small.FunctionError, undefined, Buffer.from(small.Payload ?? []).toString());
    assert.deepEqual(decode(small.Payload), { pad: 'a'.repeat(10) });
    // curl asks 100-continue before a large body, and streams the chunked one.
    for (const payload of ['{"size":1500000}', '{"size":200000,"chunked":true}']) {
      const out = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Payload: Buffer.from(payload) }));
      assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString().slice(0, 300));
      assert.equal((decode(out.Payload) as { pad: string }).pad.length, (JSON.parse(payload) as { size: number }).size);
    }
  });

  it('hot reload: code in the hot-reload bucket is a local folder whose edits the next invoke runs', async () => {
    const client = lambdaClient(env.endpoint);
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-hot-'));
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => "v1";');
    const fn = await client.send(
      new CreateFunctionCommand({ FunctionName: uniqueName('hot'), Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { S3Bucket: 'hot-reload', S3Key: dir } }),
    );
    const run = async () => decode((await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }))).Payload);
    assert.equal(await run(), 'v1');
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => "v2";');
    // Make the edit's time unmistakably newer than the first version's.
    utimesSync(join(dir, 'index.mjs'), new Date(), new Date(Date.now() + 2000));
    assert.equal(await run(), 'v2');
    await assert.rejects(
      client.send(new CreateFunctionCommand({ FunctionName: uniqueName('hot'), Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { S3Bucket: 'hot-reload', S3Key: 'relative/path' } })),
      (e: Error) => e.name === 'InvalidParameterValueException',
    );
  });

  it('tags a function by ARN, and answers ResourceNotFoundException for an unknown one', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { Tags: { a: '1' } });
    await client.send(new TagResourceCommand({ Resource: fn.FunctionArn, Tags: { b: '2' } }));
    assert.deepEqual((await client.send(new ListTagsCommand({ Resource: fn.FunctionArn }))).Tags, { a: '1', b: '2' });
    await client.send(new UntagResourceCommand({ Resource: fn.FunctionArn, TagKeys: ['a'] }));
    assert.deepEqual((await client.send(new GetFunctionCommand({ FunctionName: fn.FunctionName }))).Tags, { b: '2' });
    const unknown = 'arn:aws:lambda:us-east-1:000000000000:function:not-there';
    await assert.rejects(client.send(new ListTagsCommand({ Resource: unknown })), (e: Error) => e.name === 'ResourceNotFoundException' && e.message === `Function not found: ${unknown}`);
  });

  it('reserved concurrency is stored, reported and limited; account settings count functions and code', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    assert.deepEqual((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: fn.FunctionName }))).ReservedConcurrentExecutions, undefined);
    const put = await client.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.FunctionName, ReservedConcurrentExecutions: 5 }));
    assert.equal(put.ReservedConcurrentExecutions, 5);
    assert.equal((await client.send(new GetFunctionCommand({ FunctionName: fn.FunctionName }))).Concurrency?.ReservedConcurrentExecutions, 5);
    const settings = await client.send(new GetAccountSettingsCommand({}));
    assert.equal(settings.AccountLimit!.ConcurrentExecutions, 1000);
    assert.ok(settings.AccountLimit!.UnreservedConcurrentExecutions! <= 995);
    assert.ok(settings.AccountUsage!.FunctionCount! >= 1);
    assert.ok(settings.AccountUsage!.TotalCodeSize! >= fn.CodeSize!);
    await assert.rejects(
      client.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.FunctionName, ReservedConcurrentExecutions: 950 })),
      (e: Error) => e.name === 'InvalidParameterValueException' && /below its minimum value of \[100\]/.test(e.message),
    );
    await assert.rejects(client.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.FunctionName, ReservedConcurrentExecutions: -1 })), (e: Error) => e.name === 'ValidationException');
    await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: fn.FunctionName }));
    assert.equal((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: fn.FunctionName }))).ReservedConcurrentExecutions, undefined);
  });
});
