import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { useFogbank } from '../support/fogbank.js';
import { eventsClient, newQueue, receive } from './helpers.js';

const env = useFogbank();

describe('reset', () => {
  it('after a reset, rules that routed events before are gone from routing too', async () => {
    const eb = eventsClient(env.endpoint);
    const queue = await newQueue(env.endpoint, 'reset-target');
    await eb.send(new PutRuleCommand({ Name: 'before-reset', EventPattern: '{"source":["reset.test"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'before-reset', Targets: [{ Id: 'q', Arn: queue.arn }] }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'reset.test', DetailType: 't', Detail: '{}' }] }));
    assert.equal((await receive(queue.sqs, queue.url)).length, 1, 'routed before the reset');
    env.fogbank.reset();
    const again = await newQueue(env.endpoint, 'reset-target');
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'reset.test', DetailType: 't', Detail: '{}' }] }));
    assert.equal((await receive(again.sqs, again.url)).length, 0, 'the rule went with the reset');
  });
});
