import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateEventBusCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { apigwClient, proxyApi } from '../apigateway/support.js';
import { createFunction, lambdaClient } from '../lambda/support.js';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventsClient, newQueue, receive, unique } from './helpers.js';

const env = useFogbank();

async function rule(source: string, targets: Target[], bus?: string) {
  const eb = eventsClient(env.endpoint);
  const name = unique('rule');
  await eb.send(new PutRuleCommand({ Name: name, EventBusName: bus, EventPattern: JSON.stringify({ source: [source] }) }));
  const put = await eb.send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: targets }));
  assert.equal(put.FailedEntryCount, 0);
  return eb;
}

async function poll<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what} never arrived`);
}

describe('EventBridge targets', () => {
  it('a FIFO queue receives the event in the target message group', async () => {
    const queue = await newQueue(env.endpoint, `${unique('fifo')}.fifo`, { FifoQueue: 'true' });
    const eb = await rule('fifo.test', [{ Id: 'f', Arn: queue.arn, SqsParameters: { MessageGroupId: 'group-7' } }]);
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'fifo.test', DetailType: 't', Detail: '{"n":1}' }] }));
    const [message] = await receive(queue.sqs, queue.url);
    assert.equal(message!.Attributes!.MessageGroupId, 'group-7');
    assert.equal(JSON.parse(message!.Body!).id, put.Entries![0]!.EventId);
  });

  it('an SNS topic publishes the event to its subscribers', async () => {
    const sns = new SNSClient(clientConfig(env.endpoint));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: unique('topic') }));
    const queue = await newQueue(env.endpoint);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn }));
    const eb = await rule('sns.test', [{ Id: 't', Arn: TopicArn! }]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'sns.test', DetailType: 'Ping', Detail: '{"x":1}' }] }));
    const [message] = await receive(queue.sqs, queue.url, 2);
    const notification = JSON.parse(message!.Body!);
    assert.equal(notification.TopicArn, TopicArn);
    const event = JSON.parse(notification.Message);
    assert.equal(event['detail-type'], 'Ping');
    assert.deepEqual(event.detail, { x: 1 });
  });

  it('another event bus receives the event and routes it by its own rules', async () => {
    const eb = eventsClient(env.endpoint);
    const bus = unique('downstream');
    const { EventBusArn } = await eb.send(new CreateEventBusCommand({ Name: bus }));
    const queue = await newQueue(env.endpoint);
    await rule('bus.test', [{ Id: 'q', Arn: queue.arn }], bus);
    await rule('bus.test', [{ Id: 'b', Arn: EventBusArn! }]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'bus.test', DetailType: 'Forwarded', Detail: '{"hop":1}', Resources: ['r1'] }] }));
    const [message] = await receive(queue.sqs, queue.url);
    const event = JSON.parse(message!.Body!);
    assert.deepEqual([event.source, event['detail-type'], event.detail, event.resources, event.account], ['bus.test', 'Forwarded', { hop: 1 }, ['r1'], ACCOUNT]);
  });

  it('a CloudWatch Logs group receives the event in a stream named by the event id', async () => {
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    const group = `/aws/events/${unique('g')}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    const eb = await rule('logs.test', [{ Id: 'l', Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}` }]);
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'logs.test', DetailType: 't', Detail: '{"logged":true}' }] }));
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    assert.equal(events!.length, 1);
    assert.equal(events![0]!.logStreamName, put.Entries![0]!.EventId);
    assert.deepEqual(JSON.parse(events![0]!.message!).detail, { logged: true });
  });

  it('a Lambda function is invoked asynchronously with the event', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': 'export const handler = async (e) => { console.log("got", e["detail-type"], e.detail.userId); };' } });
    const eb = await rule('lambda.test', [{ Id: 'fn', Arn: fn.FunctionArn! }]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'lambda.test', DetailType: 'UserCreated', Detail: '{"userId":"u-9"}' }] }));
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    await poll(async () => {
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn.FunctionName}` })).catch(() => ({ events: [] }));
      return (found.events ?? []).some((e) => e.message!.includes('got UserCreated u-9')) ? true : undefined;
    }, 'the function run');
  });
});

describe('API Gateway targets', () => {
  it('a REST API stage route receives the event as the body, with path, header and query parameters', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), {
      files: { 'index.mjs': 'export const handler = async (e) => { console.log("REQ " + JSON.stringify({ path: e.path, method: e.httpMethod, q: e.queryStringParameters, h: e.headers["x-order"], body: JSON.parse(e.body) })); return { statusCode: 200, body: "{}" }; };' },
    });
    const { apiId } = await proxyApi(apigwClient(env.endpoint), fn.FunctionArn!);
    const eb = await rule('apigw.test', [
      {
        Id: 'api',
        Arn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/dev/POST/orders/*`,
        HttpParameters: { PathParameterValues: ['$.detail.orderId'], HeaderParameters: { 'x-order': '$.detail.orderId' }, QueryStringParameters: { src: 'eb' } },
        InputPath: '$.detail',
      },
    ]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'apigw.test', DetailType: 'Order', Detail: '{"orderId":"o-5"}' }] }));
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    const line = await poll(async () => {
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn.FunctionName}` })).catch(() => ({ events: [] }));
      return (found.events ?? []).map((e) => e.message!).find((m) => m.includes('REQ '));
    }, 'the API call');
    const seen = JSON.parse(line.slice(line.indexOf('REQ ') + 4));
    assert.deepEqual(seen, { path: '/orders/o-5', method: 'POST', q: { src: 'eb' }, h: 'o-5', body: { orderId: 'o-5' } });
  });
});
