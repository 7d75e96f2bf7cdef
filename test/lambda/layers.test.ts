import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  AddLayerVersionPermissionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  InvokeCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
} from '@aws-sdk/client-lambda';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsCli, clientConfig, hasAwsCli, hasBoto3 } from '../support/fogbank.js';
import { createFunction, decode, lambdaClient, useLambdaFogbank, zip } from './support.js';

const env = useLambdaFogbank();

// The seed's layer/python/utils.py, unchanged.
const SEED_UTILS = `import boto3
import json
from datetime import datetime

def get_secret(secret_name):
    """Retrieve secret from Secrets Manager"""
    client = boto3.client('secretsmanager')
    response = client.get_secret_value(SecretId=secret_name)
    return json.loads(response['SecretString'])

def send_notification(message, topic_arn):
    """Send SNS notification"""
    sns = boto3.client('sns')
    sns.publish(
        TopicArn=topic_arn,
        Message=message,
        Subject='Lambda Notification'
    )
`;

describe('Lambda layers', () => {
  it("publishes the seed's layer with the AWS CLI; a Python function imports it and fetches a secret", { skip: (!hasAwsCli || !hasBoto3) && 'needs the AWS CLI and python3 with boto3' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-layer-'));
    const layerZip = zip({ 'python/utils.py': SEED_UTILS });
    writeFileSync(join(dir, 'layer.zip'), layerZip);
    const { json } = await awsCli(env.endpoint, ['lambda', 'publish-layer-version', '--layer-name', 'my-utilities', '--zip-file', `fileb://${join(dir, 'layer.zip')}`, '--compatible-runtimes', 'python3.11']);
    const published = json as { LayerVersionArn: string; Version: number; Content: { CodeSha256: string; CodeSize: number } };
    assert.equal(published.Version, 1);
    assert.equal(published.LayerVersionArn, 'arn:aws:lambda:us-east-1:000000000000:layer:my-utilities:1');
    assert.equal(published.Content.CodeSha256, createHash('sha256').update(layerZip).digest('base64'));
    assert.equal(published.Content.CodeSize, layerZip.length);

    await new SecretsManagerClient(clientConfig(env.endpoint)).send(new CreateSecretCommand({ Name: 'database-credentials', SecretString: '{"user":"admin","password":"pw"}' }));
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      Runtime: 'python3.11',
      Handler: 'lambda_function.lambda_handler',
      Layers: [published.LayerVersionArn],
      files: { 'lambda_function.py': "from utils import get_secret\n\ndef lambda_handler(event, context):\n    db_creds = get_secret('database-credentials')\n    return {'statusCode': 200, 'user': db_creds['user']}\n" },
    });
    assert.deepEqual(fn.Layers, [{ Arn: published.LayerVersionArn, CodeSize: layerZip.length }]);
    const out = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    assert.deepEqual(decode(out.Payload), { statusCode: 200, user: 'admin' });
  });

  it('Node.js functions load packages from their layers (require and import); later layers overwrite earlier files', async () => {
    const client = lambdaClient(env.endpoint);
    const first = await client.send(
      new PublishLayerVersionCommand({
        LayerName: 'node-lib',
        Content: { ZipFile: zip({ 'nodejs/node_modules/greet/index.js': 'module.exports = (n) => "hello " + n;', 'nodejs/node_modules/which/index.js': 'module.exports = "first";' }) },
        CompatibleRuntimes: ['nodejs20.x'],
      }),
    );
    const second = await client.send(new PublishLayerVersionCommand({ LayerName: 'node-override', Content: { ZipFile: zip({ 'nodejs/node_modules/which/index.js': 'module.exports = "second";' }) } }));
    const fn = await createFunction(client, {
      Layers: [first.LayerVersionArn!, second.LayerVersionArn!],
      files: { 'index.js': 'const greet = require("greet"); const which = require("which");\nexports.handler = async (e) => ({ greeting: greet(e.name), which });' },
    });
    const out = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Payload: Buffer.from('{"name":"layers"}') }));
    assert.deepEqual(decode(out.Payload), { greeting: 'hello layers', which: 'second' });
    // ES modules import layer packages too.
    const esm = await createFunction(client, {
      Layers: [first.LayerVersionArn!],
      files: { 'index.mjs': 'import greet from "greet";\nexport const handler = async (e) => greet(e.name);' },
    });
    assert.equal(decode((await client.send(new InvokeCommand({ FunctionName: esm.FunctionName, Payload: Buffer.from('{"name":"esm"}') }))).Payload), 'hello esm');
  });

  it("module paths follow AWS's order: layers' nodejs/node<major> and nodejs folders, the runtime's modules, the task root; python's likewise", async () => {
    const client = lambdaClient(env.endpoint);
    const layer = await client.send(new PublishLayerVersionCommand({ LayerName: 'paths', Content: { ZipFile: zip({ 'nodejs/node_modules/x/index.js': 'module.exports = 1;', 'python/x.py': 'X = 1' }) } }));
    const node = await createFunction(client, {
      Layers: [layer.LayerVersionArn!],
      files: { 'index.js': 'const helper = require("lib/helper");\nexports.handler = async () => ({ paths: process.env.NODE_PATH.split(":"), root: process.env.LAMBDA_TASK_ROOT, helper });', 'lib/helper.js': 'module.exports = "found by bare name";' },
    });
    const n = decode((await client.send(new InvokeCommand({ FunctionName: node.FunctionName }))).Payload) as { paths: string[]; root: string; helper: string };
    assert.equal(n.helper, 'found by bare name');
    assert.equal(n.paths.length, 4);
    const opt = n.paths[0]!.replace(/\/nodejs\/node20\/node_modules$/, '');
    assert.notEqual(opt, n.paths[0]);
    assert.equal(n.paths[1], `${opt}/nodejs/node_modules`);
    assert.match(n.paths[2]!, /node_modules$/);
    assert.equal(n.paths[3], n.root);
    const python = await createFunction(client, {
      Runtime: 'python3.12',
      Handler: 'app.handler',
      Layers: [layer.LayerVersionArn!],
      files: { 'app.py': 'import os, sys\ndef handler(event, context):\n    return {"path": sys.path[:3], "root": os.environ["LAMBDA_TASK_ROOT"]}\n' },
    });
    const p = decode((await client.send(new InvokeCommand({ FunctionName: python.FunctionName }))).Payload) as { path: string[]; root: string };
    assert.deepEqual(p.path, [p.root, `${opt}/python/lib/python3.12/site-packages`, `${opt}/python`]);
  });

  it('reads, lists, deletes and shares layer versions as AWS does', async () => {
    const client = lambdaClient(env.endpoint);
    const v1 = await client.send(new PublishLayerVersionCommand({ LayerName: 'shared', Description: 'one', Content: { ZipFile: zip({ 'a.txt': '1' }) }, CompatibleRuntimes: ['python3.12'] }));
    const v2 = await client.send(new PublishLayerVersionCommand({ LayerName: 'shared', Description: 'two', Content: { ZipFile: zip({ 'a.txt': '2' }) }, CompatibleRuntimes: ['nodejs20.x'] }));
    assert.equal(v2.Version, 2);
    assert.match(v1.CreatedDate!, /^\d{4}-\d\d-\d\dT[\d:.]+\+0000$/);
    const got = await client.send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }));
    assert.equal(got.Description, 'one');
    const download = Buffer.from(await (await fetch(got.Content!.Location!)).arrayBuffer());
    assert.equal(createHash('sha256').update(download).digest('base64'), got.Content!.CodeSha256);
    assert.equal((await client.send(new GetLayerVersionByArnCommand({ Arn: v2.LayerVersionArn }))).Description, 'two');
    const versions = await client.send(new ListLayerVersionsCommand({ LayerName: 'shared' }));
    assert.deepEqual(versions.LayerVersions!.map((v) => v.Version), [2, 1]);
    const pythonOnly = await client.send(new ListLayerVersionsCommand({ LayerName: 'shared', CompatibleRuntime: 'python3.12' }));
    assert.deepEqual(pythonOnly.LayerVersions!.map((v) => v.Version), [1]);
    const layers = await client.send(new ListLayersCommand({}));
    assert.equal(layers.Layers!.find((l) => l.LayerName === 'shared')!.LatestMatchingVersion!.Version, 2);

    const shared = await client.send(new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 'everyone', Action: 'lambda:GetLayerVersion', Principal: '*' }));
    assert.deepEqual(JSON.parse(shared.Statement!), { Sid: 'everyone', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: v1.LayerVersionArn });
    assert.equal(JSON.parse((await client.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: 1 }))).Policy!).Statement.length, 1);
    await client.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 'everyone' }));
    await assert.rejects(client.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: 1 })), (e: Error) => e.name === 'ResourceNotFoundException');

    // A function keeps using a deleted layer version; the version is gone for everything else.
    const fn = await createFunction(client, { Layers: [v1.LayerVersionArn!] });
    await client.send(new DeleteLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }));
    await client.send(new DeleteLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }));
    await assert.rejects(client.send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 })), (e: Error) => {
      assert.equal(e.name, 'ResourceNotFoundException');
      assert.equal(e.message, 'The resource you requested does not exist.');
      return true;
    });
    assert.deepEqual((await client.send(new ListLayerVersionsCommand({ LayerName: 'shared' }))).LayerVersions!.map((v) => v.Version), [2]);
    assert.equal((await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }))).FunctionError, undefined);
    assert.equal((await client.send(new GetFunctionCommand({ FunctionName: fn.FunctionName }))).Configuration!.Layers![0]!.CodeSize, v1.Content!.CodeSize);
    await assert.rejects(client.send(new PublishLayerVersionCommand({ LayerName: 'bad', Content: { ZipFile: Buffer.from('nope') } })), (e: Error) => e.name === 'InvalidParameterValueException');
  });
});
