// The seed's API Gateway router (section 2, written for REST APIs: it reads event['httpMethod'])
// behind an HTTP API with payload format 2.0, as on AWS: it raises KeyError and the API answers
// 500. Then the same routes with a router written for payload 2.0. The control plane is boto3, as
// the seed's users drive it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { boto3, clientConfig, hasBoto3 } from '../support/fogbank.js';
import { rawRequest } from '../support/http.js';
import { ROLE, useLambdaFogbank } from '../lambda/support.js';
import { until } from '../lambda/async-helpers.js';
import { SEED_ROUTER } from './support.js';

const env = useLambdaFogbank();

/** The seed's routes, reading the payload 2.0 event: requestContext.http.method, rawPath, pathParameters. */
const ROUTER_V2 = `import json
import os
import boto3

table = boto3.resource('dynamodb').Table(os.environ['TABLE_NAME'])

def handler(event, context):
    method = event['requestContext']['http']['method']
    path = event['rawPath']
    item_id = (event.get('pathParameters') or {}).get('id')

    if method == 'GET' and path == '/items':
        query = event.get('queryStringParameters') or {}
        items = table.scan(Limit=int(query.get('limit', 20)))['Items']
        return {'statusCode': 200, 'body': json.dumps({'items': items, 'count': len(items)})}
    if method == 'POST' and path == '/items':
        body = json.loads(event.get('body') or '{}')
        table.put_item(Item={'id': body['id'], 'data': body.get('data', '')})
        return {'statusCode': 201, 'headers': {'Location': '/items/' + body['id']}, 'body': json.dumps({'id': body['id']})}
    if method == 'GET' and item_id:
        item = table.get_item(Key={'id': item_id}).get('Item')
        if not item:
            return {'statusCode': 404, 'body': json.dumps({'error': 'Not found'})}
        return {'statusCode': 200, 'body': json.dumps(item)}
    if method == 'DELETE' and item_id:
        table.delete_item(Key={'id': item_id})
        return {'statusCode': 204, 'body': ''}
    return {'statusCode': 404, 'body': json.dumps({'error': 'Not found'})}
`;

/** With boto3: the items table, the function, and an HTTP API (payload 2.0) with the seed's routes on an auto-deployed $default stage. */
async function deployRouter(name: string, code: string): Promise<{ apiId: string; functionName: string }> {
  return (await boto3(
    env.endpoint,
    `
import boto3, io, json, zipfile
code = json.loads(${JSON.stringify(JSON.stringify(code))})
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w') as z:
    z.writestr('lambda_function.py', code)
boto3.client('dynamodb').create_table(TableName='${name}', AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}],
    KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}], BillingMode='PAY_PER_REQUEST')
fn = boto3.client('lambda').create_function(FunctionName='${name}', Runtime='python3.12', Role='${ROLE}', Handler='lambda_function.handler',
    Code={'ZipFile': buf.getvalue()}, Environment={'Variables': {'TABLE_NAME': '${name}'}})
api = boto3.client('apigatewayv2')
api_id = api.create_api(Name='${name}', ProtocolType='HTTP')['ApiId']
integration = api.create_integration(ApiId=api_id, IntegrationType='AWS_PROXY', IntegrationUri=fn['FunctionArn'], PayloadFormatVersion='2.0')
for key in ['GET /items', 'POST /items', 'GET /items/{id}', 'DELETE /items/{id}']:
    api.create_route(ApiId=api_id, RouteKey=key, Target='integrations/' + integration['IntegrationId'])
api.create_stage(ApiId=api_id, StageName='$default', AutoDeploy=True)
stage = api.get_stage(ApiId=api_id, StageName='$default')
assert stage['LastDeploymentStatusMessage'].startswith('Successfully deployed stage with deployment ID')
print(json.dumps({'apiId': api_id, 'functionName': fn['FunctionName']}))
`,
  )) as { apiId: string; functionName: string };
}

function call(apiId: string, path: string, init: { method?: string; body?: string } = {}) {
  const port = new URL(env.endpoint).port;
  const headers: Record<string, string> = { host: `${apiId}.execute-api.localhost.localstack.cloud:${port}` };
  if (init.body) headers['content-type'] = 'application/json';
  return rawRequest(env.endpoint, { ...init, path, headers });
}

describe("The seed's router behind an HTTP API (payload 2.0)", { skip: !hasBoto3 && 'needs python3 with boto3' }, () => {
  it("answers 500 Internal Server Error for the seed's REST-style router, with the KeyError in its log", async () => {
    const { apiId, functionName } = await deployRouter('seed-rest-router', SEED_ROUTER);
    const res = await call(apiId, '/items');
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(res.body), { message: 'Internal Server Error' });
    assert.equal(res.headers['content-type'], 'application/json');
    assert.ok(res.headers['apigw-requestid']);

    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    const messages = await until('the KeyError in the function log', async () => {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}` })).catch(() => ({ events: [] }));
      const text = (out.events ?? []).map((e) => e.message ?? '').join('\n');
      return text.includes('KeyError') ? text : undefined;
    });
    assert.match(messages, /KeyError: 'httpMethod'/);
  });

  it('serves the same routes with a payload 2.0 router: items, query parameters and 404s', async () => {
    const { apiId } = await deployRouter('seed-v2-router', ROUTER_V2);
    const created = await call(apiId, '/items', { method: 'POST', body: JSON.stringify({ id: 'a1', data: 'first' }) });
    assert.equal(created.status, 201, created.body);
    assert.equal(created.headers.location, '/items/a1');
    assert.deepEqual(JSON.parse(created.body), { id: 'a1' });
    assert.equal((await call(apiId, '/items', { method: 'POST', body: JSON.stringify({ id: 'a2', data: 'second' }) })).status, 201);

    const listed = await call(apiId, '/items');
    assert.equal(listed.status, 200);
    assert.equal(JSON.parse(listed.body).count, 2);
    assert.equal(JSON.parse((await call(apiId, '/items?limit=1')).body).count, 1);

    const item = await call(apiId, '/items/a1');
    assert.equal(item.status, 200);
    assert.deepEqual(JSON.parse(item.body), { id: 'a1', data: 'first' });
    assert.equal((await call(apiId, '/items/a1', { method: 'DELETE' })).status, 204);
    const gone = await call(apiId, '/items/a1');
    assert.equal(gone.status, 404);
    assert.deepEqual(JSON.parse(gone.body), { error: 'Not found' });

    // No route: API Gateway's own 404, the function is not called.
    for (const [method, path] of [['PUT', '/items/a2'], ['GET', '/nowhere'], ['PATCH', '/items']]) {
      const none = await call(apiId, path!, { method });
      assert.equal(none.status, 404, `${method} ${path}`);
      assert.deepEqual(JSON.parse(none.body), { message: 'Not Found' });
    }
  });
});
