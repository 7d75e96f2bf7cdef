import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { GetParameterCommand, GetParametersCommand, LabelParameterVersionCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { useFogbank } from '../support/fogbank.js';
import { INVALID_NAME, rejectsWith, ssmClient, stillServes } from './helpers.js';

const env = useFogbank();

describe('SSM GetParameter and GetParameters', () => {
  before(async () => {
    const ssm = ssmClient(env.endpoint);
    await ssm.send(new PutParameterCommand({ Name: '/get/plain', Value: 'hello', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/get/list', Value: 'a,b,c', Type: 'StringList' }));
    await ssm.send(new PutParameterCommand({ Name: '/get/secret', Value: 'p4ssw0rd', Type: 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: '/get/versioned', Value: 'one', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/get/versioned', Value: 'two', Type: 'String', Overwrite: true }));
    await ssm.send(new PutParameterCommand({ Name: '/get/versioned', Value: 'three', Type: 'String', Overwrite: true }));
    await ssm.send(new LabelParameterVersionCommand({ Name: '/get/versioned', ParameterVersion: 2, Labels: ['stable'] }));
  });

  it('returns the latest version with its ARN, type, data type and date', async () => {
    const ssm = ssmClient(env.endpoint);
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/get/plain' }));
    assert.equal(Parameter!.Name, '/get/plain');
    assert.equal(Parameter!.Type, 'String');
    assert.equal(Parameter!.Value, 'hello');
    assert.equal(Parameter!.Version, 1);
    assert.equal(Parameter!.DataType, 'text');
    assert.equal(Parameter!.ARN, 'arn:aws:ssm:us-east-1:000000000000:parameter/get/plain');
    assert.ok(Parameter!.LastModifiedDate instanceof Date);
    assert.equal(Parameter!.Selector, undefined);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/get/list' }))).Parameter!.Value, 'a,b,c');
  });

  it('shows a SecureString decrypted only WithDecryption, else an opaque ciphertext', async () => {
    const ssm = ssmClient(env.endpoint);
    const hidden = (await ssm.send(new GetParameterCommand({ Name: '/get/secret' }))).Parameter!.Value!;
    assert.notEqual(hidden, 'p4ssw0rd');
    assert.ok(!hidden.includes('p4ssw0rd'));
    assert.match(hidden, /^AQICAH[A-Za-z0-9+/]+=*$/);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/get/secret', WithDecryption: false }))).Parameter!.Value, hidden);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/get/secret', WithDecryption: true }))).Parameter!.Value, 'p4ssw0rd');
    // WithDecryption is ignored for String.
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/get/plain', WithDecryption: true }))).Parameter!.Value, 'hello');
  });

  it('reads a version or a label through a selector, and reports the Selector', async () => {
    const ssm = ssmClient(env.endpoint);
    const byVersion = (await ssm.send(new GetParameterCommand({ Name: '/get/versioned:1' }))).Parameter!;
    assert.equal(byVersion.Value, 'one');
    assert.equal(byVersion.Version, 1);
    assert.equal(byVersion.Selector, ':1');
    assert.equal(byVersion.Name, '/get/versioned');
    const byLabel = (await ssm.send(new GetParameterCommand({ Name: '/get/versioned:stable' }))).Parameter!;
    assert.equal(byLabel.Value, 'two');
    assert.equal(byLabel.Selector, ':stable');
    await rejectsWith(
      ssm.send(new GetParameterCommand({ Name: '/get/versioned:9' })),
      'ParameterVersionNotFound',
      'Systems Manager could not find version 9 of /get/versioned. Verify the version and try again.',
    );
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: '/get/versioned:nolabel' })), 'ParameterNotFound', 'Parameter /get/versioned:nolabel not found.');
  });

  it('reads by ARN, with a selector too; an ARN of another account finds nothing', async () => {
    const ssm = ssmClient(env.endpoint);
    const arn = 'arn:aws:ssm:us-east-1:000000000000:parameter/get/versioned';
    assert.equal((await ssm.send(new GetParameterCommand({ Name: arn }))).Parameter!.Value, 'three');
    assert.equal((await ssm.send(new GetParameterCommand({ Name: `${arn}:1` }))).Parameter!.Value, 'one');
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: 'arn:aws:ssm:us-east-1:111122223333:parameter/get/plain' })), 'ParameterNotFound');
  });

  it('answers ParameterNotFound for missing and public parameters, ValidationException for bad names', async () => {
    const ssm = ssmClient(env.endpoint);
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: '/get/missing' })), 'ParameterNotFound', 'Parameter /get/missing not found.');
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: '/aws/service/global-infrastructure/regions' })), 'ParameterNotFound');
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: 'get/plain' })), 'ValidationException', INVALID_NAME);
    await stillServes(ssm);
  });

  it('keeps parameters per region', async () => {
    const elsewhere = ssmClient(env.endpoint, 'eu-west-1');
    await rejectsWith(elsewhere.send(new GetParameterCommand({ Name: '/get/plain' })), 'ParameterNotFound');
    await elsewhere.send(new PutParameterCommand({ Name: '/get/plain', Value: 'bonjour', Type: 'String' }));
    const { Parameter } = await elsewhere.send(new GetParameterCommand({ Name: '/get/plain' }));
    assert.equal(Parameter!.Value, 'bonjour');
    assert.equal(Parameter!.ARN, 'arn:aws:ssm:eu-west-1:000000000000:parameter/get/plain');
    assert.equal((await ssmClient(env.endpoint).send(new GetParameterCommand({ Name: '/get/plain' }))).Parameter!.Value, 'hello');
  });

  it('GetParameters returns what it finds, lists the rest as InvalidParameters, once each', async () => {
    const ssm = ssmClient(env.endpoint);
    const result = await ssm.send(
      new GetParametersCommand({ Names: ['/get/plain', '/get/missing', '/get/secret', '/get/versioned:1', '/get/versioned:7', '/get/plain'], WithDecryption: true }),
    );
    assert.deepEqual(
      result.Parameters!.map((p) => [p.Name, p.Value, p.Selector]),
      [
        ['/get/plain', 'hello', undefined],
        ['/get/secret', 'p4ssw0rd', undefined],
        ['/get/versioned', 'one', ':1'],
      ],
    );
    assert.deepEqual(result.InvalidParameters, ['/get/missing', '/get/versioned:7']);
    const hidden = await ssm.send(new GetParametersCommand({ Names: ['/get/secret'] }));
    assert.notEqual(hidden.Parameters![0]!.Value, 'p4ssw0rd');
  });

  it('GetParameters takes at most 10 names', async () => {
    const ssm = ssmClient(env.endpoint);
    const names = Array.from({ length: 11 }, (_, i) => `/get/n${i}`);
    await rejectsWith(ssm.send(new GetParametersCommand({ Names: names })), 'ValidationException', /Member must have length less than or equal to 10/);
  });
});
