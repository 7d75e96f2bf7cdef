// GetRandomPassword, tags and resource policies.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ValidateResourcePolicyCommand,
} from '@aws-sdk/client-secrets-manager';
import { useFogbank } from '../support/fogbank.js';
import { NOT_FOUND, rejectsWith, secretsClient, uniqueName } from './helpers.js';

const env = useFogbank();

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const has = (password: string, chars: string) => [...password].some((c) => chars.includes(c));

describe('Secrets Manager: GetRandomPassword', () => {
  it('defaults to 32 characters with a lowercase, uppercase, digit and punctuation character', async () => {
    const sm = secretsClient(env.endpoint);
    for (let i = 0; i < 20; i++) {
      const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({}));
      assert.equal(RandomPassword!.length, 32);
      assert.ok(/[a-z]/.test(RandomPassword!) && /[A-Z]/.test(RandomPassword!) && /[0-9]/.test(RandomPassword!) && has(RandomPassword!, PUNCTUATION), RandomPassword);
      assert.ok(!RandomPassword!.includes(' '));
      assert.ok([...RandomPassword!].every((c) => /[A-Za-z0-9]/.test(c) || PUNCTUATION.includes(c)));
    }
  });

  it('honours the Exclude options, ExcludeCharacters and IncludeSpace', async () => {
    const sm = secretsClient(env.endpoint);
    const noLetters = (await sm.send(new GetRandomPasswordCommand({ PasswordLength: 200, ExcludeLowercase: true, ExcludeUppercase: true }))).RandomPassword!;
    assert.equal(noLetters.length, 200);
    assert.ok(!/[A-Za-z]/.test(noLetters) && /[0-9]/.test(noLetters));
    const alnum = (await sm.send(new GetRandomPasswordCommand({ PasswordLength: 200, ExcludePunctuation: true, ExcludeNumbers: true }))).RandomPassword!;
    assert.match(alnum, /^[A-Za-z]{200}$/);
    const excluded = (await sm.send(new GetRandomPasswordCommand({ PasswordLength: 300, ExcludeCharacters: 'xyzDje@?!.' }))).RandomPassword!;
    assert.ok(!has(excluded, 'xyzDje@?!.'));
    const spaced = (await sm.send(new GetRandomPasswordCommand({ PasswordLength: 4096, IncludeSpace: true }))).RandomPassword!;
    assert.equal(spaced.length, 4096);
    assert.ok(spaced.includes(' '));
    const tiny = (await sm.send(new GetRandomPasswordCommand({ PasswordLength: 4, RequireEachIncludedType: true }))).RandomPassword!;
    assert.ok(/[a-z]/.test(tiny) && /[A-Z]/.test(tiny) && /[0-9]/.test(tiny) && has(tiny, PUNCTUATION), tiny);
    const one = (await sm.send(new GetRandomPasswordCommand({ PasswordLength: 1, RequireEachIncludedType: false }))).RandomPassword!;
    assert.equal(one.length, 1);
  });

  it('refuses a length shorter than the required types, and a password with nothing to draw from', async () => {
    const sm = secretsClient(env.endpoint);
    await rejectsWith(sm.send(new GetRandomPasswordCommand({ PasswordLength: 3 })), 'InvalidParameterException', 'Password length is too short based on the required types.');
    await rejectsWith(
      sm.send(new GetRandomPasswordCommand({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true })),
      'InvalidParameterException',
    );
    // A type fully removed by ExcludeCharacters is no longer required.
    const digitsOnly = (await sm.send(new GetRandomPasswordCommand({ PasswordLength: 2, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: '0' }))).RandomPassword!;
    assert.match(digitsOnly, /^[1-9]{2}$/);
  });
});

describe('Secrets Manager: tags', () => {
  it('TagResource adds and replaces tags; UntagResource removes them, leaving []', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('tagged');
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: name }));
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags, undefined);
    await sm.send(new TagResourceCommand({ SecretId: ARN, Tags: [{ Key: 'tag1', Value: 'value1' }] }));
    await sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'tag2', Value: 'value2' }, { Key: 'tag1', Value: 'changed' }] }));
    assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags, [
      { Key: 'tag1', Value: 'changed' },
      { Key: 'tag2', Value: 'value2' },
    ]);
    await sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['tag1', 'not-there'] }));
    assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags, [{ Key: 'tag2', Value: 'value2' }]);
    await sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['tag2'] }));
    assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags, []);
  });

  it('refuses more than 50 tags and tags on a missing secret', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('many-tags');
    await sm.send(new CreateSecretCommand({ Name: name }));
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejectsWith(sm.send(new TagResourceCommand({ SecretId: name, Tags: tags })), 'InvalidParameterException');
    await rejectsWith(sm.send(new CreateSecretCommand({ Name: uniqueName('born-with-many'), Tags: tags })), 'InvalidParameterException');
    await rejectsWith(sm.send(new TagResourceCommand({ SecretId: uniqueName('nope'), Tags: [{ Key: 'k', Value: 'v' }] })), 'ResourceNotFoundException', NOT_FOUND);
    await rejectsWith(sm.send(new UntagResourceCommand({ SecretId: uniqueName('nope'), TagKeys: ['k'] })), 'ResourceNotFoundException', NOT_FOUND);
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags, undefined);
  });
});

describe('Secrets Manager: resource policies', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
  });
  const publicPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
  });

  it('stores, returns and deletes a policy', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('policied');
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    const none = await sm.send(new GetResourcePolicyCommand({ SecretId: name }));
    assert.deepEqual([none.ARN, none.Name, none.ResourcePolicy], [ARN, name, undefined]);
    const put = await sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: policy }));
    assert.deepEqual([put.ARN, put.Name], [ARN, name]);
    assert.equal((await sm.send(new GetResourcePolicyCommand({ SecretId: ARN }))).ResourcePolicy, policy);
    const deleted = await sm.send(new DeleteResourcePolicyCommand({ SecretId: name }));
    assert.equal(deleted.Name, name);
    assert.equal((await sm.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy, undefined);
  });

  it('refuses malformed policies, and public ones when BlockPublicPolicy is set', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('strict');
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    await rejectsWith(sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: '{not json' })), 'MalformedPolicyDocumentException', 'This policy has invalid syntax.');
    await rejectsWith(
      sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: JSON.stringify({ Version: '2019-10-19', Statement: [] }) })),
      'MalformedPolicyDocumentException',
      'This policy has invalid syntax.',
    );
    await rejectsWith(sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: publicPolicy, BlockPublicPolicy: true })), 'PublicPolicyException');
    await rejectsWith(sm.send(new PutResourcePolicyCommand({ SecretId: uniqueName('nope'), ResourcePolicy: policy })), 'ResourceNotFoundException', NOT_FOUND);
    assert.equal((await sm.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy, undefined);
    await sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: publicPolicy }));
    assert.equal((await sm.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy, publicPolicy);
  });

  it('ValidateResourcePolicy passes a well-formed policy and refuses a malformed one', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('validated');
    await sm.send(new CreateSecretCommand({ Name: name }));
    const result = await sm.send(new ValidateResourcePolicyCommand({ SecretId: name, ResourcePolicy: policy }));
    assert.equal(result.PolicyValidationPassed, true);
    assert.deepEqual(result.ValidationErrors, []);
    assert.equal((await sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: policy }))).PolicyValidationPassed, true);
    await rejectsWith(sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: '[]' })), 'MalformedPolicyDocumentException');
    await rejectsWith(sm.send(new ValidateResourcePolicyCommand({ SecretId: uniqueName('nope'), ResourcePolicy: policy })), 'ResourceNotFoundException', NOT_FOUND);
  });
});
