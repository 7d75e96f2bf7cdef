// ListSecrets filters, order and paging, and BatchGetSecretValue. The filter cases follow
// results AWS gave for the same secrets.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  ListSecretsCommand,
  type Filter,
  type FilterNameStringType,
} from '@aws-sdk/client-secrets-manager';
import { useFogbank } from '../support/fogbank.js';
import { MARKED_FOR_DELETION, NOT_FOUND, rejectsWith, secretsClient } from './helpers.js';

const env = useFogbank();

const SECRETS = [
  { Name: 'testing1/one', Description: 'a secret', Tags: [{ Key: 'Env', Value: 'prod' }] },
  { Name: '/testing2/two', Description: 'an secret', Tags: [{ Key: 'Env', Value: 'dev' }, { Key: 'team', Value: 'core' }] },
  { Name: 'testing3/three', Description: 'asecret' },
  { Name: '/testing4/four', Description: 'thesecret', Tags: [{ Key: 'owner', Value: 'Alice Smith' }] },
];

async function names(filters: Filter[]): Promise<string[]> {
  const sm = secretsClient(env.endpoint);
  const { SecretList } = await sm.send(new ListSecretsCommand({ Filters: filters }));
  return SecretList!.map((s) => s.Name!).sort();
}

function filter(key: FilterNameStringType, ...values: string[]): Filter {
  return { Key: key, Values: values };
}

describe('Secrets Manager: listing', () => {
  before(async () => {
    const sm = secretsClient(env.endpoint);
    for (const [i, secret] of SECRETS.entries()) {
      await sm.send(new CreateSecretCommand({ ...secret, SecretString: `value-${i}` }));
      // Secrets created in the same millisecond would list by name; keep CreatedDate apart.
      env.fogbank.advanceClock(1000);
    }
  });

  it('name, tag-key and tag-value filters are case-sensitive prefixes; "!" negates', async () => {
    assert.deepEqual(await names([filter('name', '/')]), ['/testing2/two', '/testing4/four']);
    assert.deepEqual(await names([filter('name', '!/')]), ['testing1/one', 'testing3/three']);
    assert.deepEqual(await names([filter('name', 'testing1 one')]), []);
    assert.deepEqual(await names([filter('name', 'Testing')]), []);
    assert.deepEqual(await names([filter('tag-key', 'En')]), ['/testing2/two', 'testing1/one']);
    assert.deepEqual(await names([filter('tag-key', 'en')]), []);
    assert.deepEqual(await names([filter('tag-value', 'pro', 'cor')]), ['/testing2/two', 'testing1/one']);
    assert.deepEqual(await names([filter('tag-key', '!Env')]), ['/testing4/four', 'testing3/three']);
  });

  it('description matches word prefixes in any case', async () => {
    assert.deepEqual(await names([filter('description', 'a')]), ['/testing2/two', 'testing1/one', 'testing3/three']);
    assert.deepEqual(await names([filter('description', '!a')]), ['/testing4/four']);
    assert.deepEqual(await names([filter('description', 'A SECRET')]), ['/testing2/two', 'testing1/one']);
    assert.deepEqual(await names([filter('description', '!c')]), SECRETS.map((s) => s.Name).sort());
  });

  it('all searches name, description and tags by words; several filters must all match', async () => {
    assert.deepEqual(await names([filter('all', 'smith')]), ['/testing4/four']);
    assert.deepEqual(await names([filter('all', 'three')]), ['testing3/three']);
    assert.deepEqual(await names([filter('all', 'core')]), ['/testing2/two']);
    assert.deepEqual(await names([filter('description', 'a'), filter('name', 'secret')]), []);
    assert.deepEqual(await names([filter('description', 'a'), filter('name', '/')]), ['/testing2/two']);
    // Nothing here is replicated or owned by another service.
    assert.deepEqual(await names([filter('primary-region', 'us-east-1')]), []);
    assert.deepEqual(await names([filter('owning-service', 'rds')]), []);
  });

  it('lists by CreatedDate, ascending by default or as SortOrder says, and pages with NextToken', async () => {
    const sm = secretsClient(env.endpoint);
    const asc = await sm.send(new ListSecretsCommand({}));
    assert.deepEqual(asc.SecretList!.map((s) => s.Name), SECRETS.map((s) => s.Name));
    const first = asc.SecretList![0]!;
    assert.match(first.ARN!, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:testing1\/one-[A-Za-z0-9]{6}$/);
    assert.equal(first.Description, 'a secret');
    assert.deepEqual(first.Tags, [{ Key: 'Env', Value: 'prod' }]);
    assert.deepEqual(Object.values(first.SecretVersionsToStages!), [['AWSCURRENT']]);

    const desc = await sm.send(new ListSecretsCommand({ SortOrder: 'desc' }));
    assert.deepEqual(desc.SecretList!.map((s) => s.Name), SECRETS.map((s) => s.Name).reverse());

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await sm.send(new ListSecretsCommand({ SortOrder: 'desc', MaxResults: 3, NextToken: token }));
      assert.ok(page.SecretList!.length <= 3);
      seen.push(...page.SecretList!.map((s) => s.Name!));
      token = page.NextToken;
    } while (token);
    assert.deepEqual(seen, SECRETS.map((s) => s.Name).reverse());
    await rejectsWith(sm.send(new ListSecretsCommand({ NextToken: 'bogus' })), 'InvalidNextTokenException', 'The NextToken value is invalid.');
  });

  it('BatchGetSecretValue by SecretIdList returns values and per-secret errors', async () => {
    const sm = secretsClient(env.endpoint);
    const doomed = 'batch/doomed';
    await sm.send(new CreateSecretCommand({ Name: doomed, SecretString: 'bye' }));
    await sm.send(new DeleteSecretCommand({ SecretId: doomed }));
    const result = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['testing1/one', 'batch/missing', doomed, '/testing4/four'] }));
    assert.deepEqual(result.SecretValues!.map((v) => [v.Name, v.SecretString, v.VersionStages]), [
      ['testing1/one', 'value-0', ['AWSCURRENT']],
      ['/testing4/four', 'value-3', ['AWSCURRENT']],
    ]);
    assert.deepEqual(result.Errors, [
      { SecretId: 'batch/missing', ErrorCode: 'ResourceNotFoundException', Message: NOT_FOUND },
      { SecretId: doomed, ErrorCode: 'InvalidRequestException', Message: MARKED_FOR_DELETION },
    ]);
  });

  it('BatchGetSecretValue by Filters pages through the matching secrets', async () => {
    const sm = secretsClient(env.endpoint);
    const first = await sm.send(new BatchGetSecretValueCommand({ Filters: [filter('name', 'testing')], MaxResults: 1 }));
    assert.deepEqual(first.SecretValues!.map((v) => v.SecretString), ['value-0']);
    assert.ok(first.NextToken);
    const rest = await sm.send(new BatchGetSecretValueCommand({ Filters: [filter('name', 'testing')], MaxResults: 5, NextToken: first.NextToken }));
    assert.deepEqual(rest.SecretValues!.map((v) => v.SecretString), ['value-2']);
    assert.equal(rest.NextToken, undefined);
  });

  it('BatchGetSecretValue wants exactly one of SecretIdList and Filters, and MaxResults only with Filters', async () => {
    const sm = secretsClient(env.endpoint);
    const either = "Either 'SecretIdList' or 'Filters' must be provided, but not both.";
    await rejectsWith(sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['a'], Filters: [filter('name', 'a')] })), 'InvalidParameterException', either);
    await rejectsWith(sm.send(new BatchGetSecretValueCommand({})), 'InvalidParameterException', either);
    await rejectsWith(
      sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['testing1/one'], MaxResults: 5 })),
      'InvalidParameterException',
      "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.",
    );
    const ok = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['testing3/three'] }));
    assert.equal(ok.SecretValues![0]!.SecretString, 'value-2');
  });
});
