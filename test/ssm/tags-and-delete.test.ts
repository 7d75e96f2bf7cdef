import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
} from '@aws-sdk/client-ssm';
import { useFogbank } from '../support/fogbank.js';
import { rejectsWith, ssmClient, stillServes } from './helpers.js';

const env = useFogbank();

describe('SSM tags and deletion', () => {
  it('tags a parameter at creation and afterwards; a root-level id works with or without its slash', async () => {
    const ssm = ssmClient(env.endpoint);
    await ssm.send(new PutParameterCommand({ Name: '/tags/p', Value: 'x', Type: 'String', Tags: [{ Key: 'env', Value: 'dev' }] }));
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'core' }] }));
    const listed = await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p' }));
    assert.deepEqual(listed.TagList, [
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'core' },
    ]);
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p', TagKeys: ['env', 'absent'] }));
    assert.deepEqual((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p' }))).TagList, [{ Key: 'team', Value: 'core' }]);

    await ssm.send(new PutParameterCommand({ Name: 'roottagged', Value: 'x', Type: 'String' }));
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/roottagged', Tags: [{ Key: 'a', Value: '1' }] }));
    assert.deepEqual((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: 'roottagged' }))).TagList, [{ Key: 'a', Value: '1' }]);
    // Overwriting keeps the tags.
    await ssm.send(new PutParameterCommand({ Name: 'roottagged', Value: 'y', Overwrite: true }));
    assert.equal((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: 'roottagged' }))).TagList!.length, 1);
  });

  it('answers InvalidResourceId for missing parameters and other resource types, and caps tags at 50', async () => {
    const ssm = ssmClient(env.endpoint);
    await rejectsWith(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/none' })), 'InvalidResourceId');
    await rejectsWith(ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: 'bad name', Tags: [{ Key: 'a', Value: 'b' }] })), 'InvalidResourceId');
    await rejectsWith(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: 'AWS-RunShellScript' })), 'InvalidResourceId');
    await ssm.send(new PutParameterCommand({ Name: '/tags/full', Value: 'x', Type: 'String' }));
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/full', Tags: fifty }));
    await rejectsWith(ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/full', Tags: [{ Key: 'k50', Value: 'v' }] })), 'TooManyTagsError');
    assert.equal((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/full' }))).TagList!.length, 50);
    await stillServes(ssm);
  });

  it('DeleteParameter removes every version, labels and tags; a re-created parameter starts again at 1', async () => {
    const ssm = ssmClient(env.endpoint);
    await ssm.send(new PutParameterCommand({ Name: '/del/p', Value: 'a', Type: 'String', Tags: [{ Key: 't', Value: '1' }] }));
    await ssm.send(new PutParameterCommand({ Name: '/del/p', Value: 'b', Overwrite: true }));
    await ssm.send(new DeleteParameterCommand({ Name: '/del/p' }));
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: '/del/p' })), 'ParameterNotFound');
    await rejectsWith(ssm.send(new GetParameterHistoryCommand({ Name: '/del/p' })), 'ParameterNotFound');
    await rejectsWith(ssm.send(new DeleteParameterCommand({ Name: '/del/p' })), 'ParameterNotFound', 'Parameter /del/p not found.');
    const again = await ssm.send(new PutParameterCommand({ Name: '/del/p', Value: 'c', Type: 'String' }));
    assert.equal(again.Version, 1);
    assert.deepEqual((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/del/p' }))).TagList, []);
  });

  it('DeleteParameters reports what it deleted and what it could not', async () => {
    const ssm = ssmClient(env.endpoint);
    await ssm.send(new PutParameterCommand({ Name: '/del/one', Value: 'a', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: 'delroot', Value: 'a', Type: 'String' }));
    const result = await ssm.send(new DeleteParametersCommand({ Names: ['/del/one', '/delroot', '/del/missing', 'not/valid'] }));
    assert.deepEqual(result.DeletedParameters, ['/del/one', '/delroot']);
    assert.deepEqual(result.InvalidParameters, ['/del/missing', 'not/valid']);
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: 'delroot' })), 'ParameterNotFound');
  });
});
