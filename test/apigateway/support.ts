// API Gateway test helpers: a client, a REST API with one Lambda proxy route deployed, and HTTP
// requests on both invoke URL forms.

import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientConfig } from '../support/fogbank.js';
import { rawRequest, type RawResponse } from '../support/http.js';

export function apigwClient(endpoint: string): APIGatewayClient {
  return new APIGatewayClient(clientConfig(endpoint));
}

export const lambdaUri = (functionArn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

/** A REST API whose /{proxy+} ANY method proxies to the function, deployed to `stage`. */
export async function proxyApi(client: APIGatewayClient, functionArn: string, stage = 'dev', variables?: Record<string, string>) {
  const api = await client.send(new CreateRestApiCommand({ name: 'items-api' }));
  const proxy = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
  await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: proxy.id, httpMethod: 'ANY', authorizationType: 'NONE' }));
  await client.send(
    new PutIntegrationCommand({ restApiId: api.id, resourceId: proxy.id, httpMethod: 'ANY', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(functionArn) }),
  );
  await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: stage, variables }));
  return { apiId: api.id!, rootId: api.rootResourceId!, proxyId: proxy.id! };
}

export type UrlForm = 'host' | 'path';

/** An HTTP request to <stage>/<path> of the API, by Host header or by the _user_request_ path. */
export function invoke(endpoint: string, form: UrlForm, apiId: string, stage: string, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const port = new URL(endpoint).port;
  if (form === 'host') {
    return rawRequest(endpoint, { ...init, path: `/${stage}${path}`, headers: { host: `${apiId}.execute-api.localhost.localstack.cloud:${port}`, ...init.headers } });
  }
  return rawRequest(endpoint, { ...init, path: `/restapis/${apiId}/${stage}/_user_request_${path}` });
}

// The seed's section 2 router, unchanged, with the table set up as in its section 1 and the item
// helpers it calls (the seed leaves them out) written against the same table.
export const SEED_ROUTER = `import json
import boto3
import os

dynamodb = boto3.resource('dynamodb')
table = dynamodb.Table(os.environ['TABLE_NAME'])

# API Gateway REST API with Lambda proxy integration
def handler(event, context):
    """Handle different HTTP methods"""

    http_method = event['httpMethod']
    path = event['path']

    # Route handling
    if http_method == 'GET' and path == '/items':
        return list_items(event)
    elif http_method == 'GET' and path.startswith('/items/'):
        item_id = path.split('/')[-1]
        return get_item(item_id)
    elif http_method == 'POST' and path == '/items':
        return create_item(event)
    elif http_method == 'PUT' and path.startswith('/items/'):
        item_id = path.split('/')[-1]
        return update_item(item_id, event)
    elif http_method == 'DELETE' and path.startswith('/items/'):
        item_id = path.split('/')[-1]
        return delete_item(item_id)
    else:
        return {
            'statusCode': 404,
            'body': json.dumps({'error': 'Not found'})
        }

def list_items(event):
    """List all items with pagination"""
    query_params = event.get('queryStringParameters', {}) or {}
    limit = int(query_params.get('limit', 20))

    response = table.scan(Limit=limit)

    return {
        'statusCode': 200,
        'body': json.dumps({
            'items': response['Items'],
            'count': len(response['Items'])
        })
    }

def get_item(item_id):
    item = table.get_item(Key={'id': item_id}).get('Item')
    if not item:
        return {'statusCode': 404, 'body': json.dumps({'error': 'Not found'})}
    return {'statusCode': 200, 'body': json.dumps(item)}

def create_item(event):
    body = json.loads(event.get('body') or '{}')
    table.put_item(Item={'id': body['id'], 'data': body.get('data', '')})
    return {'statusCode': 201, 'headers': {'Location': '/items/' + body['id']}, 'body': json.dumps({'id': body['id']})}

def update_item(item_id, event):
    body = json.loads(event.get('body') or '{}')
    table.put_item(Item={'id': item_id, 'data': body.get('data', '')})
    return {'statusCode': 200, 'body': json.dumps({'id': item_id, 'data': body.get('data', '')})}

def delete_item(item_id):
    table.delete_item(Key={'id': item_id})
    return {'statusCode': 204, 'body': ''}
`;


export async function createItemsTable(endpoint: string, table: string) {
  await new DynamoDBClient(clientConfig(endpoint)).send(
    new CreateTableCommand({ TableName: table, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
}

/**
 * A REST API whose paths each answer GET with a MOCK integration returning `{"path": "<path>"}`,
 * deployed to `stage`; `keyRequired` lists the paths whose GET needs an API key.
 */
export async function mockApi(client: APIGatewayClient, paths: string[], options: { stage?: string; keyRequired?: string[]; authorizationType?: string; authorizerId?: string } = {}) {
  const api = await client.send(new CreateRestApiCommand({ name: 'mock-api' }));
  const ids: Record<string, string> = {};
  for (const path of paths) {
    const resource = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: path.slice(1) }));
    ids[path] = resource.id!;
    const apiKeyRequired = options.keyRequired?.includes(path) ?? false;
    await client.send(
      new PutMethodCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', authorizationType: options.authorizationType ?? 'NONE', authorizerId: options.authorizerId, apiKeyRequired }),
    );
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', statusCode: '200' }));
    await client.send(
      new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': `{"path": "${path}"}` } }),
    );
  }
  await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: options.stage ?? 'dev' }));
  return { apiId: api.id!, rootId: api.rootResourceId!, ids };
}
