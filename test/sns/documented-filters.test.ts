// Every example on AWS's "Amazon SNS subscription filter policies" page, end to end: a policy on a
// queue's subscription, messages published with the page's attributes, and what the queue gets.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import { useFogbank } from '../support/fogbank.js';
import { clients, drain, subscribeQueue } from './support.js';

const env = useFogbank();
let counter = 0;

type Attr = [type: string, value: string];

/** Publishes one message per attribute set and returns the labels the policy let through. */
async function delivered(policy: Record<string, unknown>, cases: Record<string, Record<string, Attr>>): Promise<string[]> {
  const { sns, sqs } = clients(env.endpoint);
  const n = ++counter;
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `doc-${n}` }));
  const q = await subscribeQueue(sns, sqs, TopicArn!, `doc-q-${n}`, { FilterPolicy: JSON.stringify(policy) });
  for (const [label, attrs] of Object.entries(cases)) {
    const MessageAttributes = Object.fromEntries(Object.entries(attrs).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }]));
    await sns.send(new PublishCommand({ TopicArn, Message: label, MessageAttributes }));
  }
  return (await drain(sqs, q.url)).map((m) => JSON.parse(m.Body!).Message as string).sort();
}

const EXAMPLE: Record<string, Attr> = {
  customer_interests: ['String.Array', '["soccer", "rugby", "hockey"]'],
  store: ['String', 'example_corp'],
  event: ['String', 'order_placed'],
  price_usd: ['Number', '210.75'],
};

describe('SNS filter policies: the documented examples', () => {
  it('the policy that accepts the example message, and the one that rejects it', async () => {
    const accepts = { store: ['example_corp'], event: [{ 'anything-but': 'order_cancelled' }], customer_interests: ['rugby', 'football', 'baseball'], price_usd: [{ numeric: ['>=', 100] }] };
    assert.deepEqual(await delivered(accepts, { example: EXAMPLE }), ['example']);
    const rejects = { store: ['example_corp'], event: ['order_cancelled'], encrypted: [false], customer_interests: ['basketball', 'baseball'] };
    assert.deepEqual(await delivered(rejects, { example: EXAMPLE }), []);
  });

  it('exact string matching', async () => {
    assert.deepEqual(await delivered({ customer_interests: ['rugby', 'tennis'] }, {
      rugby: { customer_interests: ['String', 'rugby'] },
      tennis: { customer_interests: ['String', 'tennis'] },
      baseball: { customer_interests: ['String', 'baseball'] },
    }), ['rugby', 'tennis']);
  });

  it('anything-but on strings, including a String.Array with one other value', async () => {
    assert.deepEqual(await delivered({ customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] }, {
      baseball: { customer_interests: ['String', 'baseball'] },
      football: { customer_interests: ['String', 'football'] },
      array: { customer_interests: ['String.Array', '["rugby", "baseball"]'] },
      rugby: { customer_interests: ['String', 'rugby'] },
    }), ['array', 'baseball', 'football']);
  });

  it('prefix matching', async () => {
    assert.deepEqual(await delivered({ customer_interests: [{ prefix: 'bas' }] }, {
      baseball: { customer_interests: ['String', 'baseball'] },
      basketball: { customer_interests: ['String', 'basketball'] },
      rugby: { customer_interests: ['String', 'rugby'] },
    }), ['baseball', 'basketball']);
  });

  it('numeric exact matching compares numbers, not text', async () => {
    assert.deepEqual(await delivered({ price_usd: [{ numeric: ['=', 301.5] }] }, {
      plain: { price_usd: ['Number', '301.5'] },
      exponent: { price_usd: ['Number', '3.015e2'] },
      other: { price_usd: ['Number', '301.6'] },
    }), ['exponent', 'plain']);
  });

  it('anything-but on numbers, including a Number.Array with one other value', async () => {
    assert.deepEqual(await delivered({ price: [{ 'anything-but': [100, 500] }] }, {
      p101: { price: ['Number', '101'] },
      p100_1: { price: ['Number', '100.1'] },
      array: { price: ['Number.Array', '[100, 50]'] },
      p100: { price: ['Number', '100'] },
    }), ['array', 'p100_1', 'p101']);
  });

  it('value ranges', async () => {
    const cases = { negative: { price_usd: ['Number', '-3'] as Attr }, zero: { price_usd: ['Number', '0'] as Attr }, p150: { price_usd: ['Number', '150'] as Attr }, p151: { price_usd: ['Number', '151'] as Attr } };
    assert.deepEqual(await delivered({ price_usd: [{ numeric: ['<', 0] }] }, cases), ['negative']);
    assert.deepEqual(await delivered({ price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, cases), ['p150']);
  });

  it('key matching with exists', async () => {
    assert.deepEqual(await delivered({ store: [{ exists: true }] }, {
      with: { store: ['String', 'fans'], customer_interests: ['String.Array', '["baseball", "basketball"]'] },
      without: { customer_interests: ['String.Array', '["baseball", "basketball"]'] },
    }), ['with']);
    assert.deepEqual(await delivered({ store: [{ exists: false }] }, {
      with: { store: ['String', 'fans'] },
      without: { customer_interests: ['String', 'x'] },
      none: {},
    }), ['without'], 'exists false needs at least one attribute on the message');
  });

  it('AND across attributes, OR within one, and $or across attributes', async () => {
    const cases = {
      both: { customer_interests: ['String', 'rugby'] as Attr, price_usd: ['Number', '101'] as Attr },
      cheap: { customer_interests: ['String', 'rugby'] as Attr, price_usd: ['Number', '99'] as Attr },
      football: { customer_interests: ['String', 'football'] as Attr },
    };
    assert.deepEqual(await delivered({ customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] }, cases), ['both']);
    assert.deepEqual(await delivered({ customer_interests: ['rugby', 'football', 'baseball'] }, cases), ['both', 'cheap', 'football']);
    assert.deepEqual(await delivered({ $or: [{ customer_interests: ['football'] }, { price_usd: [{ numeric: ['<', 100] }] }] }, cases), ['cheap', 'football']);
  });

  it('Binary attributes are ignored by policies', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'binary-ignored' }));
    const q = await subscribeQueue(sns, sqs, TopicArn!, 'binary-q', { FilterPolicy: JSON.stringify({ b: [{ exists: true }] }), RawMessageDelivery: 'true' });
    await sns.send(new PublishCommand({ TopicArn, Message: 'binary', MessageAttributes: { b: { DataType: 'Binary', BinaryValue: Buffer.from('x') } } }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'string', MessageAttributes: { b: { DataType: 'String', StringValue: 'x' } } }));
    assert.deepEqual((await drain(sqs, q.url)).map((m) => m.Body), ['string']);
  });
});
