import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddPermissionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, PublishVersionCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';
import { until } from './async-helpers.js';
import { createFunction, decode, useLambdaFogbank } from './support.js';

const env = useLambdaFogbank();

const OWNER = '111111111111';
const CALLER = '222222222222';
const OTHER = '333333333333';
const credentials = (account: string) => ({ accessKeyId: account, secretAccessKey: 'test' });
const lambdaAs = (account: string, region = 'us-east-1') => new LambdaClient(clientConfig(env.endpoint, region, credentials(account)));

const HANDLER = `export const handler = async (event, context) => {
  console.log('got', JSON.stringify(event));
  return { event, arn: context.invokedFunctionArn };
};`;

async function ownedFunction() {
  const fn = await createFunction(lambdaAs(OWNER), { Role: `arn:aws:iam::${OWNER}:role/lambda-role`, files: { 'index.mjs': HANDLER } });
  return { name: fn.FunctionName!, arn: fn.FunctionArn! };
}

const denied = (caller: string, resource: string) => ({
  name: 'AccessDeniedException',
  status: 403,
  message: `User: ${caller} is not authorized to perform: lambda:InvokeFunction on resource: ${resource} because no resource-based policy allows the lambda:InvokeFunction action`,
});

describe('Invoke across accounts', () => {
  it("is refused without the function's resource policy, and runs in the owner's account once AddPermission allows the caller's account", async () => {
    const { name, arn } = await ownedFunction();
    assert.equal(arn, `arn:aws:lambda:us-east-1:${OWNER}:function:${name}`);
    const caller = lambdaAs(CALLER);
    await expectAwsError(caller.send(new InvokeCommand({ FunctionName: arn, Payload: Buffer.from('{}') })), denied(`arn:aws:iam::${CALLER}:root`, arn));
    // A partial ARN names the account too; a function that does not exist is refused alike.
    await expectAwsError(caller.send(new InvokeCommand({ FunctionName: `${OWNER}:function:${name}` })), denied(`arn:aws:iam::${CALLER}:root`, arn));
    const missing = `arn:aws:lambda:us-east-1:${OWNER}:function:nothing-here`;
    await expectAwsError(caller.send(new InvokeCommand({ FunctionName: missing })), denied(`arn:aws:iam::${CALLER}:root`, missing));
    // A bare name is the caller's own account's.
    await expectAwsError(caller.send(new InvokeCommand({ FunctionName: name })), { name: 'ResourceNotFoundException', status: 404, message: `Function not found: arn:aws:lambda:us-east-1:${CALLER}:function:${name}` });

    // The owner needs no policy for its own calls, by name or by ARN.
    const owner = lambdaAs(OWNER);
    assert.deepEqual(decode((await owner.send(new InvokeCommand({ FunctionName: arn, Payload: Buffer.from('{"self":true}') }))).Payload), { event: { self: true }, arn });

    await owner.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'caller-account', Action: 'lambda:InvokeFunction', Principal: CALLER }));
    const out = await caller.send(new InvokeCommand({ FunctionName: arn, Payload: Buffer.from('{"from":"caller"}') }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
    assert.deepEqual(decode(out.Payload), { event: { from: 'caller' }, arn });
    // Event and DryRun go through the same check.
    assert.equal((await caller.send(new InvokeCommand({ FunctionName: arn, InvocationType: 'DryRun' }))).StatusCode, 204);
    assert.equal((await caller.send(new InvokeCommand({ FunctionName: arn, InvocationType: 'Event', Payload: Buffer.from('{"queued":"event"}') }))).StatusCode, 202);
    // The queued event runs in the owner's account: its log group there shows it.
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint, 'us-east-1', credentials(OWNER)));
    await until('the event to run in the owner account', async () => {
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}`, filterPattern: '"queued"' })).catch(() => undefined);
      return found?.events?.some((e) => e.message?.includes('got {"queued":"event"}')) ? true : undefined;
    });
    // Another account is still refused.
    await expectAwsError(lambdaAs(OTHER).send(new InvokeCommand({ FunctionName: arn })), denied(`arn:aws:iam::${OTHER}:root`, arn));

    await owner.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'caller-account' }));
    await expectAwsError(caller.send(new InvokeCommand({ FunctionName: arn })), denied(`arn:aws:iam::${CALLER}:root`, arn));
  });

  it("checks the policy of the version invoked, allows a role's sessions when the policy names the role, and keeps serving after refusals", async () => {
    const { name, arn } = await ownedFunction();
    const owner = lambdaAs(OWNER);
    const caller = lambdaAs(CALLER);
    await owner.send(new PublishVersionCommand({ FunctionName: name }));
    await owner.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'unqualified', Action: 'lambda:InvokeFunction', Principal: `arn:aws:iam::${CALLER}:root` }));
    // The unqualified function's policy does not cover version 1.
    await expectAwsError(caller.send(new InvokeCommand({ FunctionName: `${arn}:1` })), denied(`arn:aws:iam::${CALLER}:root`, `${arn}:1`));
    await owner.send(new AddPermissionCommand({ FunctionName: name, Qualifier: '1', StatementId: 'v1', Action: 'lambda:InvokeFunction', Principal: CALLER }));
    const v1 = await caller.send(new InvokeCommand({ FunctionName: `${arn}:1` }));
    assert.equal(v1.ExecutedVersion, '1');
    assert.deepEqual(decode(v1.Payload), { event: {}, arn: `${arn}:1` });

    // A role's session: refused under its session ARN until the policy names the role.
    const sts = new STSClient(clientConfig(env.endpoint, 'us-east-1', credentials(CALLER)));
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${CALLER}:role/invoker`, RoleSessionName: 'job' }));
    const c = assumed.Credentials!;
    const session = new LambdaClient(clientConfig(env.endpoint, 'us-east-1', { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }));
    const roleFn = await ownedFunction();
    await expectAwsError(session.send(new InvokeCommand({ FunctionName: roleFn.arn })), denied(`arn:aws:sts::${CALLER}:assumed-role/invoker/job`, roleFn.arn));
    await owner.send(new AddPermissionCommand({ FunctionName: roleFn.name, StatementId: 'role', Action: 'lambda:InvokeFunction', Principal: `arn:aws:iam::${CALLER}:role/invoker` }));
    assert.deepEqual(decode((await session.send(new InvokeCommand({ FunctionName: roleFn.arn }))).Payload), { event: {}, arn: roleFn.arn });
    // ... and the role's policy does not let the account's other callers in.
    await expectAwsError(caller.send(new InvokeCommand({ FunctionName: roleFn.arn })), denied(`arn:aws:iam::${CALLER}:root`, roleFn.arn));

    // Another region's function is out of reach, as AWS says.
    await expectAwsError(caller.send(new InvokeCommand({ FunctionName: `arn:aws:lambda:us-west-2:${OWNER}:function:${name}` })), {
      name: 'ResourceNotFoundException',
      status: 404,
      message: "Functions from 'us-west-2' are not reachable in this region ('us-east-1')",
    });
    // The server still answers both accounts.
    assert.ok((await owner.send(new ListFunctionsCommand({}))).Functions!.some((f) => f.FunctionName === name));
    assert.deepEqual((await caller.send(new ListFunctionsCommand({}))).Functions, []);
  });
});
