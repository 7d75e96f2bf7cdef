// HTTP subscribers: the confirmation flow and notifications, against a real local HTTP server.

import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CreateTopicCommand, GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand, SetSubscriptionAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { ConfirmSubscriptionCommand } from '@aws-sdk/client-sns';
import { useFogbank } from '../support/fogbank.js';
import { clients } from './support.js';

const env = useFogbank();

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local endpoint that hands each POST to whoever waits for the next one. */
let server: Server;
let endpoint: string;
const inbox: Received[] = [];
const waiters: Array<(r: Received) => void> = [];

function next(): Promise<Received> {
  const ready = inbox.shift();
  if (ready) return Promise.resolve(ready);
  return new Promise((resolve) => waiters.push(resolve));
}

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      res.end('ok');
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

describe('SNS HTTP subscribers', () => {
  it('POSTs a SubscriptionConfirmation; visiting SubscribeURL confirms; notifications follow', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'web' }));
    const { SubscriptionArn: pending } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
    assert.equal(pending, 'pending confirmation');
    const confirmation = await next();
    assert.equal(confirmation.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
    assert.equal(confirmation.headers['x-amz-sns-topic-arn'], TopicArn);
    assert.equal(confirmation.headers['content-type'], 'text/plain; charset=UTF-8');
    const body = JSON.parse(confirmation.body);
    assert.deepEqual(Object.keys(body), ['Type', 'MessageId', 'Token', 'TopicArn', 'Message', 'SubscribeURL', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']);
    assert.equal(body.Type, 'SubscriptionConfirmation');
    assert.equal(body.Message, `You have chosen to subscribe to the topic ${TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
    assert.equal(body.MessageId, confirmation.headers['x-amz-sns-message-id']);

    // Publishing before confirmation sends nothing to the endpoint.
    await sns.send(new PublishCommand({ TopicArn, Message: 'too early' }));

    const visit = await fetch(body.SubscribeURL);
    assert.equal(visit.status, 200);
    assert.match(await visit.text(), /<ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:us-east-1:000000000000:web:/);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    const arn = Subscriptions![0]!.SubscriptionArn!;
    assert.match(arn, /^arn:aws:sns:/);
    assert.equal((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes!.PendingConfirmation, 'false');

    await sns.send(new PublishCommand({ TopicArn, Message: 'hello web', Subject: 'Hi' }));
    const notification = await next();
    assert.equal(notification.headers['x-amz-sns-message-type'], 'Notification');
    assert.equal(notification.headers['x-amz-sns-subscription-arn'], arn);
    const envelope = JSON.parse(notification.body);
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.Message, 'hello web');
    assert.equal(envelope.Subject, 'Hi');
    assert.equal(envelope.MessageId, notification.headers['x-amz-sns-message-id']);

    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'raw body' }));
    const raw = await next();
    assert.equal(raw.body, 'raw body');
    assert.equal(raw.headers['x-amz-sns-rawdelivery'], 'true');

    // The UnsubscribeURL in an envelope works as a plain GET.
    const gone = await fetch(envelope.UnsubscribeURL);
    assert.equal(gone.status, 200);
    assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!.length, 0);
  });

  it('ConfirmSubscription with the token from the POST confirms too, and is idempotent', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'web2' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
    const { Token } = JSON.parse((await next()).body) as { Token: string };
    const first = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token }));
    const second = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token }));
    assert.equal(first.SubscriptionArn, second.SubscriptionArn);
    assert.equal((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: first.SubscriptionArn }))).Attributes!.PendingConfirmation, 'false');
  });
});
