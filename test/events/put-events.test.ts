import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateEventBusCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, DisableRuleCommand, type Target } from '@aws-sdk/client-eventbridge';
import { expectAwsError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventsClient, newQueue, receive, unique } from './helpers.js';

const env = useFogbank();

/** A rule on the bus matching source `source`, whose one target is a new queue. */
async function ruleToQueue(source: string, target: Partial<Target> = {}, bus?: string) {
  const eb = eventsClient(env.endpoint);
  const queue = await newQueue(env.endpoint);
  const name = unique('to-queue');
  const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, EventBusName: bus, EventPattern: JSON.stringify({ source: [source] }) }));
  await eb.send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: [{ Id: 'q', Arn: queue.arn, ...target }] }));
  return { eb, queue, name, ruleArn: RuleArn! };
}

describe('PutEvents', () => {
  it('delivers the event envelope exactly as AWS does to every matching rule', async () => {
    const { eb, queue } = await ruleToQueue('my.application');
    const second = await ruleToQueue('my.application');
    const time = new Date('2026-03-04T05:06:07Z');
    const put = await eb.send(
      new PutEventsCommand({
        Entries: [{ Source: 'my.application', DetailType: 'UserCreated', Detail: '{"userId":"u1","n":[1,2]}', Resources: ['arn:aws:s3:::b'], Time: time, EventBusName: 'default' }],
      }),
    );
    assert.equal(put.FailedEntryCount, 0);
    const id = put.Entries![0]!.EventId!;
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    for (const q of [queue, second.queue]) {
      const [message, ...rest] = await receive(q.sqs, q.url);
      assert.equal(rest.length, 0);
      const event = JSON.parse(message!.Body!);
      assert.deepEqual(Object.keys(event), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
      assert.deepEqual(event, {
        version: '0',
        id,
        'detail-type': 'UserCreated',
        source: 'my.application',
        account: ACCOUNT,
        time: '2026-03-04T05:06:07Z',
        region: 'us-east-1',
        resources: ['arn:aws:s3:::b'],
        detail: { userId: 'u1', n: [1, 2] },
      });
    }
  });

  it('skips rules that do not match, rules that are disabled, and other buses', async () => {
    const { eb, queue, name } = await ruleToQueue('only.this');
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'something.else', DetailType: 't', Detail: '{}' }] }));
    assert.equal((await receive(queue.sqs, queue.url)).length, 0);
    await eb.send(new DisableRuleCommand({ Name: name }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'only.this', DetailType: 't', Detail: '{}' }] }));
    assert.equal((await receive(queue.sqs, queue.url)).length, 0);
    const bus = unique('other');
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    const onBus = await ruleToQueue('bus.only', {}, bus);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'bus.only', DetailType: 't', Detail: '{}' }] }));
    assert.equal((await receive(onBus.queue.sqs, onBus.queue.url)).length, 0);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'bus.only', DetailType: 't', Detail: '{}', EventBusName: bus }] }));
    assert.equal((await receive(onBus.queue.sqs, onBus.queue.url)).length, 1);
  });

  it('fails bad entries one by one with AWS codes and messages, delivering the good ones', async () => {
    const { eb, queue } = await ruleToQueue('mixed');
    const result = await eb.send(
      new PutEventsCommand({
        Entries: [
          { DetailType: 't', Detail: '{}' },
          { Source: 'mixed', Detail: '{}' },
          { Source: 'mixed', DetailType: 't' },
          { Source: 'mixed', DetailType: 't', Detail: '{not json' },
          { Source: 'mixed', DetailType: 't', Detail: '[1,2]' },
          { Source: 'mixed', DetailType: 't', Detail: '{}', EventBusName: 'no-such-bus' },
          { Source: 'mixed', DetailType: 'good', Detail: '{"ok":true}' },
        ],
      }),
    );
    assert.equal(result.FailedEntryCount, 5);
    assert.deepEqual(result.Entries!.slice(0, 5), [
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    ]);
    // AWS accepts an event for a bus that does not exist, and it goes nowhere.
    assert.ok(result.Entries![5]!.EventId);
    assert.ok(result.Entries![6]!.EventId);
    const messages = await receive(queue.sqs, queue.url);
    assert.equal(messages.length, 1);
    assert.equal(JSON.parse(messages[0]!.Body!)['detail-type'], 'good');
  });

  it('enforces AWS limits: at most 10 entries and 256 KB per request', async () => {
    const eb = eventsClient(env.endpoint);
    const entry = { Source: 's', DetailType: 't', Detail: '{}' };
    await expectAwsError(eb.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) })), {
      name: 'ValidationException',
      message: /at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10/,
    });
    const big = JSON.stringify({ x: 'a'.repeat(130 * 1024) });
    await expectAwsError(eb.send(new PutEventsCommand({ Entries: [{ ...entry, Detail: big }, { ...entry, Detail: big }] })), {
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    const ok = await eb.send(new PutEventsCommand({ Entries: [{ ...entry, Detail: big }] }));
    assert.equal(ok.FailedEntryCount, 0);
  });
});

describe('target input', () => {
  const entry = { Source: 'input.test', DetailType: 'Order Placed', Detail: JSON.stringify({ order: { id: 'o-1', total: 42, note: 'say "hi"' }, items: ['a', 'b'] }) };

  it('Input sends constant JSON; InputPath sends the part of the event it names', async () => {
    const constant = await ruleToQueue('input.test', { Input: '{"fixed":true}' });
    const path = await ruleToQueue('input.test', { InputPath: '$.detail.order' });
    const item = await ruleToQueue('input.test', { InputPath: '$.detail.items[1]' });
    await constant.eb.send(new PutEventsCommand({ Entries: [entry] }));
    assert.equal((await receive(constant.queue.sqs, constant.queue.url))[0]!.Body, '{"fixed":true}');
    assert.deepEqual(JSON.parse((await receive(path.queue.sqs, path.queue.url))[0]!.Body!), { id: 'o-1', total: 42, note: 'say "hi"' });
    assert.equal((await receive(item.queue.sqs, item.queue.url))[0]!.Body, '"b"');
  });

  it('InputTransformer fills JSON templates with AWS quoting, and string templates as text', async () => {
    const json = await ruleToQueue('input.test', {
      InputTransformer: {
        InputPathsMap: { id: '$.detail.order.id', total: '$.detail.order.total', note: '$.detail.order.note', order: '$.detail.order', items: '$.detail.items', missing: '$.detail.nope' },
        InputTemplate:
          '{"orderId": <id>, "label": "order <id> of <total>", "total": <total>, "note": "<note>", "order": <order>, "items": [<id>, "x"], "missing": "<missing>", "rule": "<aws.events.rule-name>", "arn": <aws.events.rule-arn>}',
      },
    });
    const text = await ruleToQueue('input.test', {
      InputTransformer: { InputPathsMap: { id: '$.detail.order.id', order: '$.detail.order', items: '$.detail.items', missing: '$.detail.nope' }, InputTemplate: '"Order <id>: <order> <items> [<missing>]"' },
    });
    // An object inside a string literal of a JSON template makes AWS deliver nothing.
    const invalid = await ruleToQueue('input.test', { InputTransformer: { InputPathsMap: { order: '$.detail.order' }, InputTemplate: '{"order": "<order>"}' } });
    const whole = await ruleToQueue('input.test', { InputTransformer: { InputTemplate: '{"event": <aws.events.event>, "full": <aws.events.event.json>}' } });
    const put = await json.eb.send(new PutEventsCommand({ Entries: [entry] }));
    const body = JSON.parse((await receive(json.queue.sqs, json.queue.url))[0]!.Body!);
    assert.deepEqual(body, {
      orderId: 'o-1',
      label: 'order o-1 of 42',
      total: 42,
      note: 'say "hi"',
      order: { id: 'o-1', total: 42, note: 'say "hi"' },
      items: ['o-1', 'x'],
      missing: '',
      rule: json.name,
      arn: json.ruleArn,
    });
    assert.equal((await receive(text.queue.sqs, text.queue.url))[0]!.Body, '"Order o-1: {id:o-1,total:42,note:say \\"hi\\"} [a,b] []"');
    assert.equal((await receive(invalid.queue.sqs, invalid.queue.url)).length, 0);
    const wholeBody = JSON.parse((await receive(whole.queue.sqs, whole.queue.url))[0]!.Body!);
    assert.deepEqual(Object.keys(wholeBody.event), ['id', 'account', 'detailType', 'time', 'source', 'region', 'resources', 'version']);
    assert.equal(wholeBody.event.id, put.Entries![0]!.EventId);
    assert.equal(wholeBody.event.detailType, 'Order Placed');
    assert.deepEqual(wholeBody.full.detail, JSON.parse(entry.Detail));
  });

  it('PutTargets refuses a template placeholder that is neither mapped nor predefined', async () => {
    const { eb, name, queue } = await ruleToQueue('input.test');
    await expectAwsError(
      eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'bad-t', Arn: queue.arn, InputTransformer: { InputPathsMap: { a: '$.detail' }, InputTemplate: '{"a": <a>, "b": <notdefinedkey>}' } }] })),
      { name: 'ValidationException', message: 'InputTemplate for target bad-t contains invalid placeholder notdefinedkey.' },
    );
    await expectAwsError(
      eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'two', Arn: queue.arn, Input: '{}', InputPath: '$.detail' }] })),
      { name: 'ValidationException', message: 'Only one of Input, InputPath, or InputTransformer must be provided for target two.' },
    );
  });
});
