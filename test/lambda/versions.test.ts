import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  RemovePermissionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { createFunction, decode, lambdaClient, useLambdaFogbank, zip } from './support.js';

const env = useLambdaFogbank();

const code = (v: string) => ({ 'index.mjs': `export const handler = async (e, c) => ({ v: '${v}', version: process.env.AWS_LAMBDA_FUNCTION_VERSION, arn: c.invokedFunctionArn });` });

function fails(code: string, message?: string | RegExp) {
  return (e: Error) => {
    assert.equal(e.name, code, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  };
}

describe('Lambda versions, aliases and permissions', () => {
  it('PublishVersion snapshots $LATEST; qualifiers reach each version; unchanged code republishes nothing', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: code('one') });
    const v1 = await client.send(new PublishVersionCommand({ FunctionName: fn.FunctionName, Description: 'first' }));
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, `${fn.FunctionArn}:1`);
    assert.equal(v1.Description, 'first');
    assert.equal((await client.send(new PublishVersionCommand({ FunctionName: fn.FunctionName }))).Version, '1');
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: fn.FunctionName, ZipFile: zip(code('two')) }));
    await assert.rejects(client.send(new PublishVersionCommand({ FunctionName: fn.FunctionName, CodeSha256: v1.CodeSha256 })), fails('InvalidParameterValueException', /is different from current CodeSHA256 in \$LATEST/));
    const v2 = await client.send(new PublishVersionCommand({ FunctionName: fn.FunctionName }));
    assert.equal(v2.Version, '2');
    const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: fn.FunctionName }));
    assert.deepEqual(versions.Versions!.map((v) => v.Version), ['$LATEST', '1', '2']);
    const everything: string[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new ListFunctionsCommand({ FunctionVersion: 'ALL', MaxItems: 1, Marker: marker }));
      everything.push(...page.Functions!.filter((f) => f.FunctionName === fn.FunctionName).map((f) => f.Version!));
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(everything, ['$LATEST', '1', '2']);
    const latestOnly = await client.send(new ListFunctionsCommand({}));
    assert.deepEqual(latestOnly.Functions!.filter((f) => f.FunctionName === fn.FunctionName).map((f) => f.Version), ['$LATEST']);

    const run = async (qualifier?: string) => {
      const out = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Qualifier: qualifier }));
      return { body: decode(out.Payload) as { v: string; version: string; arn: string }, executed: out.ExecutedVersion };
    };
    assert.deepEqual((await run('1')).body, { v: 'one', version: '1', arn: `${fn.FunctionArn}:1` });
    assert.equal((await run('1')).executed, '1');
    assert.equal((await run()).body.v, 'two');
    assert.equal((await run('$LATEST')).executed, '$LATEST');
    assert.equal((await client.send(new GetFunctionConfigurationCommand({ FunctionName: `${fn.FunctionName}:1` }))).Version, '1');
    const got = await client.send(new GetFunctionCommand({ FunctionName: fn.FunctionName, Qualifier: '1' }));
    assert.equal(got.Configuration!.CodeSha256, v1.CodeSha256);
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Qualifier: '9' })), fails('ResourceNotFoundException', `Function not found: ${fn.FunctionArn}:9`));
    await assert.rejects(client.send(new GetFunctionCommand({ FunctionName: `${fn.FunctionName}:1`, Qualifier: '2' })), fails('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.'));
  });

  it('aliases point at versions, route by weight, and protect the versions they use', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: code('one'), Publish: true });
    assert.equal(fn.Version, '1');
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: fn.FunctionName, ZipFile: zip(code('two')), Publish: true }));
    const live = await client.send(new CreateAliasCommand({ FunctionName: fn.FunctionName, Name: 'live', FunctionVersion: '1', Description: 'prod' }));
    const arn = fn.FunctionArn!.replace(/:1$/, '');
    assert.equal(live.AliasArn, `${arn}:live`);
    await assert.rejects(client.send(new CreateAliasCommand({ FunctionName: fn.FunctionName, Name: 'live', FunctionVersion: '1' })), fails('ResourceConflictException', `Alias already exists: ${arn}:live`));
    await assert.rejects(client.send(new CreateAliasCommand({ FunctionName: fn.FunctionName, Name: 'x', FunctionVersion: '7' })), fails('ResourceNotFoundException', `Function not found: ${arn}:7`));
    await assert.rejects(client.send(new GetAliasCommand({ FunctionName: fn.FunctionName, Name: 'nope' })), fails('ResourceNotFoundException', `Alias not found: ${arn}:nope`));

    const viaAlias = await client.send(new InvokeCommand({ FunctionName: `${fn.FunctionName}:live` }));
    assert.equal(viaAlias.ExecutedVersion, '1');
    assert.deepEqual(decode(viaAlias.Payload), { v: 'one', version: '1', arn: `${arn}:live` });

    // All traffic shifted to version 2 by weight.
    const shifted = await client.send(new UpdateAliasCommand({ FunctionName: fn.FunctionName, Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 1 } } }));
    assert.deepEqual(shifted.RoutingConfig, { AdditionalVersionWeights: { '2': 1 } });
    assert.notEqual(shifted.RevisionId, live.RevisionId);
    assert.equal((await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Qualifier: 'live' }))).ExecutedVersion, '2');
    await assert.rejects(
      client.send(new UpdateAliasCommand({ FunctionName: fn.FunctionName, Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } })),
      fails('InvalidParameterValueException', 'Invalid function version 1. Function version 1 is already included in routing configuration.'),
    );
    await assert.rejects(client.send(new DeleteFunctionCommand({ FunctionName: fn.FunctionName, Qualifier: '2' })), fails('ResourceConflictException', /aliases reference it: \[live\]/));
    const listed = await client.send(new ListAliasesCommand({ FunctionName: fn.FunctionName }));
    assert.deepEqual(listed.Aliases!.map((a) => a.Name), ['live']);
    await client.send(new DeleteAliasCommand({ FunctionName: fn.FunctionName, Name: 'live' }));
    await client.send(new DeleteFunctionCommand({ FunctionName: fn.FunctionName, Qualifier: '2' }));
    assert.deepEqual((await client.send(new ListVersionsByFunctionCommand({ FunctionName: fn.FunctionName }))).Versions!.map((v) => v.Version), ['$LATEST', '1']);
    // Version 2's code was also $LATEST's: $LATEST still runs.
    assert.equal((decode((await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }))).Payload) as { v: string }).v, 'two');
  });

  it('AddPermission, GetPolicy and RemovePermission keep the resource policy as AWS writes it', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    await assert.rejects(client.send(new GetPolicyCommand({ FunctionName: fn.FunctionName })), fails('ResourceNotFoundException', 'The resource you requested does not exist.'));
    const added = await client.send(
      new AddPermissionCommand({
        FunctionName: fn.FunctionName,
        StatementId: 's3-invoke',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceArn: 'arn:aws:s3:::my-bucket',
        SourceAccount: '000000000000',
      }),
    );
    assert.deepEqual(JSON.parse(added.Statement!), {
      Sid: 's3-invoke',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: fn.FunctionArn,
      Condition: { StringEquals: { 'AWS:SourceAccount': '000000000000' }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::my-bucket' } },
    });
    await assert.rejects(
      client.send(new AddPermissionCommand({ FunctionName: fn.FunctionName, StatementId: 's3-invoke', Action: 'lambda:InvokeFunction', Principal: '111122223333' })),
      fails('ResourceConflictException', 'The statement id (sid) provided already exists. Please choose another statement id.'),
    );
    await client.send(new AddPermissionCommand({ FunctionName: fn.FunctionName, StatementId: 'account', Action: 'lambda:InvokeFunction', Principal: '111122223333' }));
    const policy = await client.send(new GetPolicyCommand({ FunctionName: fn.FunctionName }));
    const doc = JSON.parse(policy.Policy!);
    assert.equal(doc.Version, '2012-10-17');
    assert.deepEqual(doc.Statement.map((s: { Sid: string }) => s.Sid), ['s3-invoke', 'account']);
    assert.deepEqual(doc.Statement[1].Principal, { AWS: 'arn:aws:iam::111122223333:root' });
    assert.ok(policy.RevisionId);
    await client.send(new RemovePermissionCommand({ FunctionName: fn.FunctionName, StatementId: 's3-invoke' }));
    await assert.rejects(client.send(new RemovePermissionCommand({ FunctionName: fn.FunctionName, StatementId: 's3-invoke' })), fails('ResourceNotFoundException', 'Statement s3-invoke is not found in resource policy.'));
    assert.equal(JSON.parse((await client.send(new GetPolicyCommand({ FunctionName: fn.FunctionName }))).Policy!).Statement.length, 1);
  });
});
