import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { boto3, clientConfig, hasBoto3 } from '../support/fogbank.js';
import { createFunction, decode, lambdaClient, useLambdaFogbank } from './support.js';

const env = useLambdaFogbank();

// The seed's first handler, unchanged.
const SEED_HANDLER = `import json
import boto3
import os
from datetime import datetime

# Initialize clients outside handler for connection reuse
dynamodb = boto3.resource('dynamodb')
table = dynamodb.Table(os.environ['TABLE_NAME'])

def lambda_handler(event, context):
    """
    Lambda handler function

    Args:
        event: Event data (API Gateway, S3, etc.)
        context: Runtime information

    Returns:
        Response with statusCode and body
    """
    try:
        # Parse request body
        body = json.loads(event.get('body', '{}'))

        # Process request
        item_id = body.get('id')
        if not item_id:
            return {
                'statusCode': 400,
                'body': json.dumps({'error': 'Missing id field'})
            }

        # DynamoDB operation
        response = table.put_item(
            Item={
                'id': item_id,
                'data': body.get('data'),
                'timestamp': datetime.utcnow().isoformat()
            }
        )

        return {
            'statusCode': 200,
            'headers': {
                'Content-Type': 'application/json',
                'Access-Control-Allow-Origin': '*'
            },
            'body': json.dumps({
                'message': 'Success',
                'id': item_id
            })
        }

    except Exception as e:
        print(f"Error: {str(e)}")  # CloudWatch Logs
        return {
            'statusCode': 500,
            'body': json.dumps({'error': 'Internal server error'})
        }
`;

const python = (files: Record<string, string>, extra: Record<string, unknown> = {}) => ({ Runtime: 'python3.12' as const, Handler: 'lambda_function.lambda_handler', files, ...extra });

async function invoke(name: string, event: unknown = {}, extra: Record<string, unknown> = {}) {
  const out = await lambdaClient(env.endpoint).send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), ...extra }));
  return { ...out, body: decode(out.Payload) as Record<string, any>, log: Buffer.from(out.LogResult ?? '', 'base64').toString('utf8') };
}

// Every case runs the host's python3; most import boto3 as AWS's Python runtimes allow.
describe('Invoke: Python functions', { skip: !hasBoto3 && 'needs python3 with boto3' }, () => {
  it("runs the seed's boto3 handler: put_item reaches Fogbank's DynamoDB, a missing id is a 400 (invoked with boto3)", async () => {
    const dynamodb = new DynamoDBClient(clientConfig(env.endpoint));
    await dynamodb.send(new CreateTableCommand({ TableName: 'items', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    const fn = await createFunction(lambdaClient(env.endpoint), python({ 'lambda_function.py': SEED_HANDLER }, { Environment: { Variables: { TABLE_NAME: 'items' } } }));
    const result = (await boto3(
      env.endpoint,
      `import boto3, json
client = boto3.client('lambda')
ok = client.invoke(FunctionName='${fn.FunctionName}', Payload=json.dumps({'body': json.dumps({'id': 'item-1', 'data': 'hello'})}))
bad = client.invoke(FunctionName='${fn.FunctionName}', Payload=json.dumps({'body': json.dumps({'data': 'no id'})}))
print(json.dumps({'ok': json.loads(ok['Payload'].read()), 'status': ok['StatusCode'], 'bad': json.loads(bad['Payload'].read())}))`,
    )) as { ok: { statusCode: number; body: string }; status: number; bad: { statusCode: number; body: string } };
    assert.equal(result.status, 200);
    assert.equal(result.ok.statusCode, 200, JSON.stringify(result.ok));
    assert.deepEqual(JSON.parse(result.ok.body), { message: 'Success', id: 'item-1' });
    assert.equal(result.bad.statusCode, 400);
    assert.deepEqual(JSON.parse(result.bad.body), { error: 'Missing id field' });
    const item = await dynamodb.send(new GetItemCommand({ TableName: 'items', Key: { id: { S: 'item-1' } } }));
    assert.equal(item.Item?.data?.S, 'hello');
    assert.match(item.Item?.timestamp?.S ?? '', /^\d{4}-\d\d-\d\dT/);
  });

  it('gives the handler a context like AWS; clients made outside the handler survive warm invocations', async () => {
    const fn = await createFunction(
      lambdaClient(env.endpoint),
      python({
        'lambda_function.py': `import boto3
client = boto3.client('sts')
calls = 0
def lambda_handler(event, context):
    global calls
    calls += 1
    print('call', calls)
    return {'calls': calls, 'client': id(client), 'remaining': context.get_remaining_time_in_millis(),
            'name': context.function_name, 'request': context.aws_request_id, 'memory': context.memory_limit_in_mb,
            'arn': context.invoked_function_arn, 'group': context.log_group_name, 'stream': context.log_stream_name,
            'version': context.function_version, 'account': client.get_caller_identity()['Account']}
`,
      }),
    );
    const first = await invoke(fn.FunctionName!, {}, { LogType: 'Tail' });
    const second = await invoke(fn.FunctionName!);
    assert.equal(first.FunctionError, undefined, JSON.stringify(first.body));
    assert.equal(first.body.calls, 1);
    assert.equal(second.body.calls, 2);
    assert.equal(second.body.client, first.body.client);
    assert.ok(first.body.remaining > 2000 && first.body.remaining <= 3000);
    assert.equal(first.body.name, fn.FunctionName);
    assert.match(first.body.request, /^[0-9a-f-]{36}$/);
    assert.equal(first.body.memory, '128');
    assert.equal(first.body.arn, fn.FunctionArn);
    assert.equal(first.body.group, `/aws/lambda/${fn.FunctionName}`);
    assert.match(first.body.stream, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.equal(first.body.version, '$LATEST');
    assert.equal(first.body.account, '000000000000');
    assert.match(first.log, /\ncall 1\n/);
    assert.match(first.log, /REPORT RequestId: .*Init Duration/);
  });

  it('an uncaught exception is errorMessage, errorType, requestId and stackTrace as AWS formats them', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), python({ 'lambda_function.py': 'def helper():\n    raise ValueError("boom")\n\ndef lambda_handler(event, context):\n    helper()\n' }));
    const out = await invoke(fn.FunctionName!, {}, { LogType: 'Tail' });
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(Object.keys(out.body), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    assert.equal(out.body.errorMessage, 'boom');
    assert.equal(out.body.errorType, 'ValueError');
    assert.match(out.body.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(out.body.stackTrace.length, 2);
    assert.match(out.body.stackTrace[0], /^ {2}File ".*\/lambda_function\.py", line 5, in lambda_handler\n {4}helper\(\)\n$/);
    assert.match(out.body.stackTrace[1], /^ {2}File ".*\/lambda_function\.py", line 2, in helper\n {4}raise ValueError\("boom"\)\n$/);
    assert.match(out.log, /\[ERROR\] ValueError: boom\nTraceback \(most recent call last\):\n {2}File/);
  });

  it('init failures: Runtime.ImportModuleError, Runtime.HandlerNotFound, Runtime.UserCodeSyntaxError', async () => {
    const client = lambdaClient(env.endpoint);
    const importing = await createFunction(client, python({ 'lambda_function.py': 'import not_a_module\ndef lambda_handler(e, c):\n    return 1\n' }));
    const a = await invoke(importing.FunctionName!);
    assert.equal(a.FunctionError, 'Unhandled');
    assert.deepEqual(a.body, { errorMessage: "Unable to import module 'lambda_function': No module named 'not_a_module'", errorType: 'Runtime.ImportModuleError', requestId: '', stackTrace: [] });
    const missing = await createFunction(client, python({ 'lambda_function.py': 'x = 1\n' }));
    const b = await invoke(missing.FunctionName!);
    assert.deepEqual([b.body.errorType, b.body.errorMessage], ['Runtime.HandlerNotFound', "Handler 'lambda_handler' missing on module 'lambda_function'"]);
    const syntax = await createFunction(client, python({ 'lambda_function.py': 'def lambda_handler(e, c)\n    return 1\n' }));
    const c = await invoke(syntax.FunctionName!);
    assert.equal(c.body.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(c.body.errorMessage, /^Syntax error in module 'lambda_function': /);
    // Fixing the code recovers the function.
    const ok = await createFunction(client, python({ 'lambda_function.py': 'def lambda_handler(e, c):\n    return "fine"\n' }));
    assert.equal((await invoke(ok.FunctionName!)).body, 'fine');
  });

  it('times out a sleeping handler and answers an unserialisable result with Runtime.MarshalError', async () => {
    const client = lambdaClient(env.endpoint);
    const slow = await createFunction(client, python({ 'lambda_function.py': 'import time\ndef lambda_handler(e, c):\n    time.sleep(5)\n' }, { Timeout: 1 }));
    const out = await invoke(slow.FunctionName!);
    assert.equal(out.body.errorType, 'Sandbox.Timedout');
    assert.match(out.body.errorMessage, /Task timed out after 1\.00 seconds$/);
    const marshal = await createFunction(client, python({ 'lambda_function.py': 'def lambda_handler(e, c):\n    return {1, 2}\n' }));
    const m = await invoke(marshal.FunctionName!);
    assert.equal(m.FunctionError, 'Unhandled');
    assert.equal(m.body.errorType, 'Runtime.MarshalError');
    assert.equal(m.body.errorMessage, 'Unable to marshal response: Object of type set is not JSON serializable');
  });
});
