// The programmatic API a test suite uses: start in-process, endpoint, clock, reset, stop.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startFogbank } from '../src/index.js';
import { clientConfig } from './support/fogbank.js';

it('starts on a free port in memory, moves its clock, resets its state and stops', async () => {
  const a = await startFogbank();
  const b = await startFogbank();
  try {
    assert.notEqual(a.endpoint, b.endpoint);
    assert.equal(a.store.location, ':memory:');
    assert.match(a.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);

    const sts = new STSClient(clientConfig(a.endpoint));
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'api' }));
    const asRole = new STSClient(clientConfig(a.endpoint, 'us-east-1', { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken }));
    assert.equal((await asRole.send(new GetCallerIdentityCommand({}))).Account, '123456789012');

    const before = a.clock.now();
    a.advanceClock(90 * 60_000);
    assert.ok(a.clock.now() >= before + 90 * 60_000);

    a.reset();
    // The issued credential is forgotten: the key now acts in the default account.
    assert.equal((await asRole.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
  } finally {
    await a.stop();
    await b.stop();
  }
});
