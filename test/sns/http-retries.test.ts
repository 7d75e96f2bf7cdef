// HTTP/S delivery retries: AWS's default policy (three retries 20 seconds apart) on Fogbank's
// clock, then the subscription's dead-letter queue; a subscription's own DeliveryPolicy (immediate
// retries, delays, content type); answers from 200 to 499 count as delivered.

import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConfirmSubscriptionCommand, CreateTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, PublishCommand, SetTopicAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { useFogbank } from '../support/fogbank.js';
import { clients, drain, queue } from './support.js';

const env = useFogbank();

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local endpoint answering each POST with the next status in `statuses` (200 once they run out). */
let server: Server;
let endpoint: string;
const statuses: number[] = [];
const inbox: Received[] = [];
const waiters: Array<(r: Received) => void> = [];

function next(): Promise<Received> {
  const ready = inbox.shift();
  if (ready) return Promise.resolve(ready);
  return new Promise((resolve) => waiters.push(resolve));
}

/** Whether a POST arrives within a short real wait (for checking that none does). */
async function arrivesSoon(ms = 150): Promise<boolean> {
  if (inbox.length) return true;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return inbox.length > 0;
}

/** Lets Fogbank read the failed answer and arm its retry timer before the clock moves. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 100));
}

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      res.statusCode = statuses.shift() ?? 200;
      res.end();
      const received = { headers: req.headers, body };
      const waiter = waiters.shift();
      if (waiter) waiter(received);
      else inbox.push(received);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function confirmedSubscription(name: string, attributes: Record<string, string>): Promise<string> {
  const { sns } = clients(env.endpoint);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint, Attributes: attributes }));
  const confirmation = JSON.parse((await next()).body) as { Token: string };
  await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation.Token }));
  return TopicArn!;
}

describe('SNS HTTP delivery retries', () => {
  it('retries a failing endpoint three times 20 seconds apart, then dead-letters the envelope', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const dlq = await queue(sqs, 'http-dlq');
    const TopicArn = await confirmedSubscription('retried', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) });
    statuses.push(500, 502, 503, 500);
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'try hard' }));

    const first = await next();
    assert.equal(first.headers['x-amz-sns-message-id'], MessageId);
    await settle();
    env.fogbank.advanceClock(19_000);
    assert.equal(await arrivesSoon(), false, 'no retry before 20 seconds');
    env.fogbank.advanceClock(1_000);
    const second = await next();
    assert.equal(second.body, first.body, 'a retry resends the same signed envelope');
    for (let i = 0; i < 2; i++) {
      await settle();
      env.fogbank.advanceClock(20_000);
      await next();
    }
    // The fourth failure ends the policy: the envelope goes to the dead-letter queue.
    let dead = await drain(sqs, dlq.url);
    for (let i = 0; dead.length === 0 && i < 50; i++) {
      await settle();
      dead = await drain(sqs, dlq.url);
    }
    assert.equal(dead.length, 1);
    const envelope = JSON.parse(dead[0]!.Body!) as { Type: string; MessageId: string; Message: string };
    assert.deepEqual([envelope.Type, envelope.MessageId, envelope.Message], ['Notification', MessageId, 'try hard']);
    env.fogbank.advanceClock(3_600_000);
    assert.equal(await arrivesSoon(), false, 'no attempt after the policy is spent');
  });

  it("follows the subscription's DeliveryPolicy: immediate retries, then its delay, with its content type", async () => {
    const { sns } = clients(env.endpoint);
    const policy = {
      healthyRetryPolicy: { numRetries: 3, numNoDelayRetries: 1, minDelayTarget: 5, maxDelayTarget: 5, numMinDelayRetries: 2, backoffFunction: 'linear' },
      requestPolicy: { headerContentType: 'application/json' },
    };
    const TopicArn = await confirmedSubscription('custom-policy', { DeliveryPolicy: JSON.stringify(policy) });
    statuses.push(500, 500);
    await sns.send(new PublishCommand({ TopicArn, Message: 'again' }));
    const first = await next();
    assert.equal(first.headers['content-type'], 'application/json');
    await next(); // the retry without delay
    await settle();
    env.fogbank.advanceClock(5_000);
    const third = await next();
    assert.equal((JSON.parse(third.body) as { Message: string }).Message, 'again');
    await settle();
    env.fogbank.advanceClock(60_000);
    assert.equal(await arrivesSoon(), false, 'delivered: no more retries');
  });

  it('an answer from 400 to 499 counts as delivered and is not retried', async () => {
    const { sns } = clients(env.endpoint);
    const TopicArn = await confirmedSubscription('client-error', {});
    statuses.push(404);
    await sns.send(new PublishCommand({ TopicArn, Message: 'gone' }));
    await next();
    await settle();
    env.fogbank.advanceClock(120_000);
    assert.equal(await arrivesSoon(), false);
  });

  it('topics and HTTP subscriptions show their delivery policies filled in, and the effective one deliveries follow', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: 'policies', Attributes: { DeliveryPolicy: JSON.stringify({ http: { defaultRequestPolicy: { headerContentType: 'application/json' } } }) } }),
    );
    const topicAttributes = async () => (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    const defaults = { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' };
    let attributes = await topicAttributes();
    assert.deepEqual(JSON.parse(attributes.DeliveryPolicy!), { http: { disableSubscriptionOverrides: false, defaultRequestPolicy: { headerContentType: 'application/json' } } });
    assert.equal(
      attributes.EffectiveDeliveryPolicy,
      JSON.stringify({ http: { defaultHealthyRetryPolicy: defaults, disableSubscriptionOverrides: false, defaultRequestPolicy: { headerContentType: 'application/json' } } }),
    );

    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint, Attributes: { DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 1 } }) } }));
    const confirmation = JSON.parse((await next()).body) as { Token: string };
    const { SubscriptionArn } = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation.Token }));
    const sub = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    assert.deepEqual(JSON.parse(sub.DeliveryPolicy!), { healthyRetryPolicy: { numRetries: 1 }, sicklyRetryPolicy: null, throttlePolicy: null, requestPolicy: null, guaranteed: false });
    assert.deepEqual(JSON.parse(sub.EffectiveDeliveryPolicy!), {
      healthyRetryPolicy: { ...defaults, numRetries: 1 },
      sicklyRetryPolicy: null,
      throttlePolicy: null,
      requestPolicy: { headerContentType: 'application/json' },
      guaranteed: false,
    });
    // Deliveries follow it: the topic's content type, one retry.
    statuses.push(500, 500);
    await sns.send(new PublishCommand({ TopicArn, Message: 'json please' }));
    assert.equal((await next()).headers['content-type'], 'application/json');
    await settle();
    env.fogbank.advanceClock(20_000);
    await next();
    await settle();
    env.fogbank.advanceClock(60_000);
    assert.equal(await arrivesSoon(), false, 'only one retry');

    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1 } } }) }));
    attributes = await topicAttributes();
    assert.deepEqual(JSON.parse(attributes.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy, { ...defaults, minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1 });
    assert.deepEqual(JSON.parse(attributes.EffectiveDeliveryPolicy!).http.defaultRequestPolicy, { headerContentType: 'text/plain; charset=UTF-8' });
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DeliveryPolicy', AttributeValue: '' }));
    attributes = await topicAttributes();
    assert.equal(attributes.DeliveryPolicy, undefined);
    assert.deepEqual(JSON.parse(attributes.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy, defaults);
  });
});

