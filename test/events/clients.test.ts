import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createFunction, lambdaClient } from '../lambda/support.js';
import { awsCli, awsCliFails, boto3, clientConfig, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventually } from './helpers.js';

const env = useFogbank();

describe('EventBridge from boto3 and the AWS CLI', () => {
  it('the seed publish_event code runs unchanged and a rule routes UserCreated to SQS', { skip: !hasBoto3 }, async () => {
    const result = (await boto3(
      env.endpoint,
      `
import boto3, json
from datetime import datetime

events = boto3.client('events')
sqs = boto3.client('sqs')
queue_url = sqs.create_queue(QueueName='user-events')['QueueUrl']
queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
events.put_rule(Name='user-created', EventPattern=json.dumps({'source': ['my.application'], 'detail-type': ['UserCreated']}))
events.put_targets(Rule='user-created', Targets=[{'Id': 'queue', 'Arn': queue_arn}])

def publish_event(event_type, detail):
    """Publish custom event to EventBridge"""
    response = events.put_events(
        Entries=[
            {
                'Source': 'my.application',
                'DetailType': event_type,
                'Detail': json.dumps(detail),
                'EventBusName': 'default'
            }
        ]
    )
    return response

response = publish_event('UserCreated', {'userId': 'u-1', 'email': 'a@example.com', 'timestamp': datetime.utcnow().isoformat()})
publish_event('UserDeleted', {'userId': 'u-2'})
messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)['Messages']
print(json.dumps({'response': {k: v for k, v in response.items() if k != 'ResponseMetadata'}, 'bodies': [m['Body'] for m in messages]}))
`,
    )) as { response: { FailedEntryCount: number; Entries: Array<{ EventId: string }> }; bodies: string[] };
    assert.equal(result.response.FailedEntryCount, 0);
    assert.equal(result.bodies.length, 1, 'only UserCreated is routed');
    const event = JSON.parse(result.bodies[0]!);
    assert.equal(event.version, '0');
    assert.equal(event.id, result.response.Entries[0]!.EventId);
    assert.equal(event['detail-type'], 'UserCreated');
    assert.equal(event.source, 'my.application');
    assert.equal(event.account, ACCOUNT);
    assert.match(event.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(event.region, 'us-east-1');
    assert.deepEqual(event.resources, []);
    assert.equal(event.detail.userId, 'u-1');
    assert.equal(event.detail.email, 'a@example.com');
  });

  it('the seed publish_event code, run by boto3, invokes a Lambda target of a rule', { skip: !hasBoto3 }, async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), {
      files: { 'index.mjs': 'export const handler = async (e) => { console.log("consumed", e["detail-type"], e.detail.userId, e.detail.email); };' },
    });
    await boto3(
      env.endpoint,
      `
import boto3, json
from datetime import datetime

events = boto3.client('events')
awslambda = boto3.client('lambda')
rule_arn = events.put_rule(Name='user-created-to-lambda', EventPattern=json.dumps({'source': ['my.application'], 'detail-type': ['UserCreated']}))['RuleArn']
awslambda.add_permission(FunctionName='${fn.FunctionName}', StatementId='events', Action='lambda:InvokeFunction', Principal='events.amazonaws.com', SourceArn=rule_arn)
events.put_targets(Rule='user-created-to-lambda', Targets=[{'Id': 'consumer', 'Arn': '${fn.FunctionArn}'}])

def publish_event(event_type, detail):
    """Publish custom event to EventBridge"""
    response = events.put_events(
        Entries=[
            {
                'Source': 'my.application',
                'DetailType': event_type,
                'Detail': json.dumps(detail),
                'EventBusName': 'default'
            }
        ]
    )
    return response

publish_event('UserCreated', {'userId': 'u-77', 'email': 'b@example.com', 'timestamp': datetime.utcnow().isoformat()})
print(json.dumps({}))
`,
    );
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    const line = await eventually(async () => {
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn.FunctionName}` })).catch(() => ({ events: [] }));
      return (found.events ?? []).map((e) => e.message!).find((m) => m.includes('consumed'));
    }, 'the function run');
    assert.match(line, /consumed\s+UserCreated\s+u-77\s+b@example\.com/);
  });

  it('the AWS CLI creates a scheduled rule, describes it, and sees AWS errors', { skip: !hasAwsCli }, async () => {
    const put = await awsCli(env.endpoint, ['events', 'put-rule', '--name', 'nightly', '--schedule-expression', 'cron(0 2 * * ? *)']);
    assert.deepEqual(put.json, { RuleArn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/nightly` });
    const described = (await awsCli(env.endpoint, ['events', 'describe-rule', '--name', 'nightly'])).json as Record<string, string>;
    assert.equal(described.ScheduleExpression, 'cron(0 2 * * ? *)');
    assert.equal(described.State, 'ENABLED');
    const listed = (await awsCli(env.endpoint, ['events', 'list-event-buses'])).json as { EventBuses: Array<{ Name: string }> };
    assert.deepEqual(listed.EventBuses.map((b) => b.Name), ['default']);
    const bad = await awsCliFails(env.endpoint, ['events', 'put-rule', '--name', 'bad', '--schedule-expression', 'cron(0 2 * * *)']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /ValidationException.*Parameter ScheduleExpression is not valid\./);
    const missing = await awsCliFails(env.endpoint, ['events', 'describe-rule', '--name', 'ghost']);
    assert.match(missing.stderr, /ResourceNotFoundException.*Rule ghost does not exist on EventBus default\./);
  });
});
