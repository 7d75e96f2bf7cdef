import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GetParameterCommand,
  GetParameterHistoryCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  UnlabelParameterVersionCommand,
} from '@aws-sdk/client-ssm';
import { useFogbank } from '../support/fogbank.js';
import { rejectsWith, ssmClient, stillServes } from './helpers.js';

const env = useFogbank();

async function putVersions(name: string, count: number, type: 'String' | 'SecureString' = 'String'): Promise<void> {
  const ssm = ssmClient(env.endpoint);
  for (let i = 1; i <= count; i++) await ssm.send(new PutParameterCommand({ Name: name, Value: `v${i}`, Type: type, Overwrite: i > 1 }));
}

describe('SSM versions, history and labels', () => {
  it('GetParameterHistory lists every version oldest first, with labels, and pages', async () => {
    const ssm = ssmClient(env.endpoint);
    await putVersions('/hist/p', 3, 'SecureString');
    await ssm.send(new LabelParameterVersionCommand({ Name: '/hist/p', ParameterVersion: 2, Labels: ['beta'] }));
    const { Parameters, NextToken } = await ssm.send(new GetParameterHistoryCommand({ Name: '/hist/p', WithDecryption: true }));
    assert.equal(NextToken, undefined);
    assert.deepEqual(
      Parameters!.map((p) => [p.Version, p.Value, p.Labels]),
      [
        [1, 'v1', []],
        [2, 'v2', ['beta']],
        [3, 'v3', []],
      ],
    );
    assert.equal(Parameters![0]!.KeyId, 'alias/aws/ssm');
    assert.equal(Parameters![0]!.LastModifiedUser, 'arn:aws:iam::000000000000:root');
    const hidden = await ssm.send(new GetParameterHistoryCommand({ Name: '/hist/p' }));
    assert.ok(hidden.Parameters!.every((p) => !p.Value!.startsWith('v')));
    const first = await ssm.send(new GetParameterHistoryCommand({ Name: '/hist/p', MaxResults: 2 }));
    assert.deepEqual(first.Parameters!.map((p) => p.Version), [1, 2]);
    const second = await ssm.send(new GetParameterHistoryCommand({ Name: '/hist/p', MaxResults: 2, NextToken: first.NextToken }));
    assert.deepEqual(second.Parameters!.map((p) => p.Version), [3]);
    assert.equal(second.NextToken, undefined);
    await rejectsWith(ssm.send(new GetParameterHistoryCommand({ Name: '/hist/none' })), 'ParameterNotFound', 'Parameter /hist/none not found.');
  });

  it('labels the latest version by default, moves a label between versions, and reports invalid labels', async () => {
    const ssm = ssmClient(env.endpoint);
    await putVersions('/labels/p', 3);
    const latest = await ssm.send(new LabelParameterVersionCommand({ Name: '/labels/p', Labels: ['prod'] }));
    assert.equal(latest.ParameterVersion, 3);
    assert.deepEqual(latest.InvalidLabels, []);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/labels/p:prod' }))).Parameter!.Version, 3);
    await ssm.send(new LabelParameterVersionCommand({ Name: '/labels/p', ParameterVersion: 1, Labels: ['prod'] }));
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/labels/p:prod' }))).Parameter!.Value, 'v1');
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/labels/p' }));
    assert.deepEqual(history.Parameters!.map((p) => p.Labels), [['prod'], [], []]);

    const mixed = await ssm.send(
      new LabelParameterVersionCommand({ Name: '/labels/p', ParameterVersion: 2, Labels: ['good-1', 'awsLabel', 'SSMx', '9lives', 'has/slash', 'ok.too_'] }),
    );
    assert.deepEqual(mixed.InvalidLabels, ['awsLabel', 'SSMx', '9lives', 'has/slash']);
    const after = await ssm.send(new GetParameterHistoryCommand({ Name: '/labels/p' }));
    assert.deepEqual(after.Parameters![1]!.Labels, ['good-1', 'ok.too_']);
  });

  it('allows ten labels on a version, not eleven', async () => {
    const ssm = ssmClient(env.endpoint);
    await putVersions('/labels/many', 1);
    const ten = Array.from({ length: 10 }, (_, i) => `l${i}`);
    await ssm.send(new LabelParameterVersionCommand({ Name: '/labels/many', Labels: ten }));
    await rejectsWith(
      ssm.send(new LabelParameterVersionCommand({ Name: '/labels/many', Labels: ['eleventh'] })),
      'ParameterVersionLabelLimitExceeded',
      /maximum 10 labels/,
    );
    const { Parameters } = await ssm.send(new GetParameterHistoryCommand({ Name: '/labels/many' }));
    assert.deepEqual(Parameters![0]!.Labels, ten);
  });

  it('refuses to label a missing parameter or version', async () => {
    const ssm = ssmClient(env.endpoint);
    await putVersions('/labels/missing', 1);
    await rejectsWith(ssm.send(new LabelParameterVersionCommand({ Name: '/labels/nope', Labels: ['x'] })), 'ParameterNotFound', 'Parameter /labels/nope not found.');
    await rejectsWith(
      ssm.send(new LabelParameterVersionCommand({ Name: '/labels/missing', ParameterVersion: 5, Labels: ['x'] })),
      'ParameterVersionNotFound',
      'Systems Manager could not find version 5 of /labels/missing. Verify the version and try again.',
    );
    await stillServes(ssm);
  });

  it('UnlabelParameterVersion removes the labels it finds and lists the others as invalid', async () => {
    const ssm = ssmClient(env.endpoint);
    await putVersions('/labels/un', 2);
    await ssm.send(new LabelParameterVersionCommand({ Name: '/labels/un', ParameterVersion: 1, Labels: ['a', 'b'] }));
    const result = await ssm.send(new UnlabelParameterVersionCommand({ Name: '/labels/un', ParameterVersion: 1, Labels: ['a', 'zzz'] }));
    assert.deepEqual(result.RemovedLabels, ['a']);
    assert.deepEqual(result.InvalidLabels, ['zzz']);
    const { Parameters } = await ssm.send(new GetParameterHistoryCommand({ Name: '/labels/un' }));
    assert.deepEqual(Parameters![0]!.Labels, ['b']);
    await rejectsWith(ssm.send(new UnlabelParameterVersionCommand({ Name: '/labels/un', ParameterVersion: 7, Labels: ['b'] })), 'ParameterVersionNotFound');
    await rejectsWith(ssm.send(new UnlabelParameterVersionCommand({ Name: '/labels/gone', ParameterVersion: 1, Labels: ['b'] })), 'ParameterNotFound');
  });

  it('keeps the last 100 versions, and will not drop a labeled oldest version', async () => {
    const ssm = ssmClient(env.endpoint);
    await putVersions('/cap/p', 100);
    await ssm.send(new PutParameterCommand({ Name: '/cap/p', Value: 'v101', Overwrite: true }));
    const all = await ssm.send(new GetParameterHistoryCommand({ Name: '/cap/p', MaxResults: 50 }));
    assert.equal(all.Parameters![0]!.Version, 2);
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: '/cap/p:1' })), 'ParameterVersionNotFound');
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/cap/p' }))).Parameter!.Version, 101);

    await ssm.send(new LabelParameterVersionCommand({ Name: '/cap/p', ParameterVersion: 2, Labels: ['pinned'] }));
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/cap/p', Value: 'v102', Overwrite: true })),
      'ParameterMaxVersionLimitExceeded',
      "You attempted to create a new version of /cap/p by calling the PutParameter API with the overwrite flag. Version 2, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.",
    );
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/cap/p' }))).Parameter!.Version, 101);
  });
});
