import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { awsCli, clientConfig } from '../support/fogbank.js';
import { awsCliV2Dir, cliV2Env } from '../logs/helpers.js';
import { createFunction, decode, lambdaClient, uniqueName, useLambdaFogbank } from './support.js';

const env = useLambdaFogbank();

describe('Lambda functions calling Fogbank, and their logs from the AWS CLI', () => {
  it("a Node.js ES module handler importing @aws-sdk/client-dynamodb writes to Fogbank's DynamoDB", async () => {
    const ddb = new DynamoDBClient(clientConfig(env.endpoint));
    const table = uniqueName('orders');
    await ddb.send(
      new CreateTableCommand({ TableName: table, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      Environment: { Variables: { TABLE: table } },
      files: {
        // As deployed to AWS: no endpoint, no credentials in the code.
        'index.mjs': `import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const ddb = new DynamoDBClient({});
export const handler = async (event) => {
  await ddb.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: event.id }, total: { N: String(event.total) } } }));
  return { statusCode: 201, body: JSON.stringify({ id: event.id }) };
};`,
      },
    });
    const out = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Payload: Buffer.from('{"id":"o-1","total":42}') }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    assert.deepEqual(decode(out.Payload), { statusCode: 201, body: '{"id":"o-1"}' });
    const item = await ddb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'o-1' } } }));
    assert.deepEqual(item.Item, { id: { S: 'o-1' }, total: { N: '42' } });
  });

  it('`aws logs tail /aws/lambda/<name>` shows the function output with START, END and REPORT', { skip: !awsCliV2Dir && 'needs the AWS CLI v2 (the v1 CLI has no `logs tail`)' }, async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async (e) => { console.log("processing", e.n); return e.n; };' } });
    await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Payload: Buffer.from('{"n":5}') }));
    const { stdout } = await awsCli(env.endpoint, ['logs', 'tail', `/aws/lambda/${fn.FunctionName}`, '--since', '1h'], cliV2Env());
    assert.match(stdout, /START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    assert.match(stdout, /\tINFO\tprocessing 5/);
    assert.match(stdout, /END RequestId: /);
    assert.match(stdout, /REPORT RequestId: [0-9a-f-]{36}\tDuration: /);
  });
});
