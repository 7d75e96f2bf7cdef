// CancelReplay while a replay is under way: the replay is held mid-way by its target (an HTTP
// endpoint that answers only when the test lets it), so the test knows where the replay stands
// without racing it.

import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import {
  CancelReplayCommand,
  CreateApiDestinationCommand,
  CreateArchiveCommand,
  CreateConnectionCommand,
  DescribeReplayCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { expectAwsError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventsClient, eventually, unique } from './helpers.js';

const env = useFogbank();

/** An endpoint that records each request and holds its answer until release(). */
async function heldEndpoint() {
  const bodies: string[] = [];
  const held: ServerResponse[] = [];
  let holding = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      if (holding) held.push(res);
      else res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    bodies,
    hold: () => (holding = true),
    release() {
      holding = false;
      for (const res of held.splice(0)) res.writeHead(200).end('{}');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('CancelReplay mid-replay', () => {
  const endpoint = heldEndpoint();
  after(async () => (await endpoint).close());

  it('a replay held at its first event is CANCELLING after CancelReplay, then CANCELLED before its next event', async () => {
    const server = await endpoint;
    const eb = eventsClient(env.endpoint);
    const source = unique('cancel.src');
    const busArn = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
    const { ArchiveArn } = await eb.send(new CreateArchiveCommand({ ArchiveName: unique('archive'), EventSourceArn: busArn, EventPattern: JSON.stringify({ source: [source] }) }));
    const from = new Date(env.fogbank.clock.now() - 1000);
    for (let n = 0; n < 5; n++) {
      await eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: JSON.stringify({ n }) }] }));
      env.fogbank.advanceClock(1000); // a replay sends events in the order they were received
    }

    // The rule is made after the events, so only the replay reaches the endpoint.
    const { ConnectionArn } = await eb.send(
      new CreateConnectionCommand({ Name: unique('conn'), AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } }),
    );
    const { ApiDestinationArn } = await eb.send(new CreateApiDestinationCommand({ Name: unique('dest'), ConnectionArn, InvocationEndpoint: `${server.url}/replayed`, HttpMethod: 'POST' }));
    const rule = unique('rule');
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }));
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'api', Arn: ApiDestinationArn, RoleArn: `arn:aws:iam::${ACCOUNT}:role/eb` }] }));

    server.hold();
    const name = unique('replay');
    await eb.send(new StartReplayCommand({ ReplayName: name, EventSourceArn: ArchiveArn, EventStartTime: from, EventEndTime: new Date(env.fogbank.clock.now() + 1000), Destination: { Arn: busArn } }));
    await eventually(async () => (server.bodies.length === 1 ? true : undefined), 'the first replayed event');
    assert.equal((await eb.send(new DescribeReplayCommand({ ReplayName: name }))).State, 'RUNNING', 'held at its first event, the replay is running');

    const cancelled = await eb.send(new CancelReplayCommand({ ReplayName: name }));
    assert.equal(cancelled.State, 'CANCELLING');
    assert.equal((await eb.send(new DescribeReplayCommand({ ReplayName: name }))).State, 'CANCELLING');
    await expectAwsError(eb.send(new CancelReplayCommand({ ReplayName: name })), { name: 'IllegalStatusException', message: `Replay ${name} is not in a state that can be cancelled.` });

    server.release();
    const done = await eventually(async () => {
      const r = await eb.send(new DescribeReplayCommand({ ReplayName: name }));
      return r.State === 'CANCELLED' ? r : undefined;
    }, 'the cancelled replay');
    assert.ok(done.ReplayEndTime instanceof Date);
    assert.equal(server.bodies.length, 1, 'no event is replayed after the cancellation');
    assert.equal(JSON.parse(server.bodies[0]!).detail.n, 0, 'the oldest event goes first');
  });
});
