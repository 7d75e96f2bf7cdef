import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiGatewayV2Client, CreateApiCommand, CreateStageCommand, GetApiCommand, GetStageCommand, GetTagsCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-apigatewayv2';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';

const env = useFogbank();
const v2 = () => new ApiGatewayV2Client(clientConfig(env.endpoint));

describe('HTTP API tags', () => {
  it('tags APIs and stages by ARN, shown in GetTags, GetApi and GetStage', async () => {
    const client = v2();
    const api = await client.send(new CreateApiCommand({ Name: 'tagged', ProtocolType: 'HTTP', Tags: { team: 'a' } }));
    const apiArn = `arn:aws:apigateway:us-east-1::/apis/${api.ApiId}`;
    assert.deepEqual((await client.send(new GetTagsCommand({ ResourceArn: apiArn }))).Tags, { team: 'a' });
    const tagged = await client.send(new TagResourceCommand({ ResourceArn: apiArn, Tags: { env: 'dev', team: 'b' } }));
    assert.equal(tagged.$metadata.httpStatusCode, 201);
    assert.deepEqual((await client.send(new GetApiCommand({ ApiId: api.ApiId }))).Tags, { team: 'b', env: 'dev' });
    await client.send(new UntagResourceCommand({ ResourceArn: apiArn, TagKeys: ['team', 'absent'] }));
    assert.deepEqual((await client.send(new GetTagsCommand({ ResourceArn: apiArn }))).Tags, { env: 'dev' });

    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'prod', Tags: { tier: '1' } }));
    const stageArn = `${apiArn}/stages/prod`;
    await client.send(new TagResourceCommand({ ResourceArn: stageArn, Tags: { owner: 'ops' } }));
    assert.deepEqual((await client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: 'prod' }))).Tags, { tier: '1', owner: 'ops' });
    assert.deepEqual((await client.send(new GetTagsCommand({ ResourceArn: stageArn }))).Tags, { tier: '1', owner: 'ops' });
  });

  it('answers AWS errors for unknown resources, bad ARNs and too many tags', async () => {
    const client = v2();
    await expectAwsError(client.send(new GetTagsCommand({ ResourceArn: 'arn:aws:apigateway:us-east-1::/apis/nosuchapi0' })), { name: 'NotFoundException', status: 404 });
    await expectAwsError(client.send(new GetTagsCommand({ ResourceArn: 'not-an-arn' })), { name: 'BadRequestException', status: 400 });
    const api = await client.send(new CreateApiCommand({ Name: 'limits', ProtocolType: 'HTTP' }));
    const apiArn = `arn:aws:apigateway:us-east-1::/apis/${api.ApiId}`;
    await expectAwsError(client.send(new GetTagsCommand({ ResourceArn: `${apiArn}/stages/none` })), { name: 'NotFoundException', status: 404 });
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await expectAwsError(client.send(new TagResourceCommand({ ResourceArn: apiArn, Tags: many })), { name: 'BadRequestException', status: 400 });
    assert.deepEqual((await client.send(new GetTagsCommand({ ResourceArn: apiArn }))).Tags, {});
  });
});
