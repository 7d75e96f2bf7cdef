import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { unique } from '../support/queues.js';
import { createMachine, history, run, sfnClient, waitForEnd, waitForEvent } from './support.js';

const env = useFogbank();

const failOnBad = { StartAt: 'Bad?', States: { 'Bad?': { Type: 'Choice', Choices: [{ Variable: '$', StringEquals: 'bad', Next: 'Boom' }], Default: 'Ok' }, Boom: { Type: 'Fail', Error: 'Item.Bad', Cause: 'bad item' }, Ok: { Type: 'Pass', End: true } } };

describe('Step Functions Map', () => {
  it('MaxConcurrency bounds the iterations running at once', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = { StartAt: 'M', States: { M: { Type: 'Map', MaxConcurrency: 2, ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } }, End: true } } };
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: await createMachine(sfn, definition), input: '[1,2,3,4,5]' }));
    const started = async () => (await history(sfn, executionArn!)).filter((e) => e.type === 'MapIterationStarted').length;
    await waitForEvent(sfn, executionArn!, 'MapIterationStarted');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await started(), 2);
    env.fogbank.advanceClock(10_000);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await started(), 4);
    env.fogbank.advanceClock(10_000);
    await new Promise((r) => setTimeout(r, 50));
    env.fogbank.advanceClock(10_000);
    const done = await waitForEnd(sfn, executionArn!);
    assert.deepEqual([done.status, JSON.parse(done.output!)], ['SUCCEEDED', [1, 2, 3, 4, 5]]);
  });

  it('ToleratedFailureCount and ToleratedFailurePercentage: failed items within the threshold leave their error in place', async () => {
    const sfn = sfnClient(env.endpoint);
    const map = (extra: Record<string, unknown>) => ({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: failOnBad, End: true, ...extra } } });
    const within = await run(sfn, await createMachine(sfn, map({ ToleratedFailureCount: 1 })), ['a', 'bad', 'c']);
    assert.equal(within.status, 'SUCCEEDED', within.cause);
    assert.deepEqual(JSON.parse(within.output!), ['a', { Error: 'Item.Bad', Cause: 'bad item' }, 'c']);
    const over = await run(sfn, await createMachine(sfn, map({ ToleratedFailureCount: 1 })), ['bad', 'bad', 'c']);
    assert.deepEqual([over.status, over.error, over.cause], ['FAILED', 'States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded']);
    const percent = await run(sfn, await createMachine(sfn, map({ ToleratedFailurePercentage: 50 })), ['bad', 'b', 'c', 'd']);
    assert.equal(percent.status, 'SUCCEEDED');
    const jsonata = await run(sfn, await createMachine(sfn, { QueryLanguage: 'JSONata', StartAt: 'M', States: { M: { Type: 'Map', ToleratedFailurePercentage: '{% 10 %}', ItemProcessor: { ...failOnBad, QueryLanguage: 'JSONPath' }, End: true } } }), ['bad', 'b']);
    assert.equal(jsonata.error, 'States.ExceedToleratedFailureThreshold');
    // Without a threshold the first failure fails the Map with the item's own error.
    const strict = await run(sfn, await createMachine(sfn, map({})), ['a', 'bad']);
    assert.deepEqual([strict.error, strict.cause], ['Item.Bad', 'bad item']);
  });

  it('distributed mode reads items from S3 (JSON, CSV, a listing) and writes results with ResultWriter', async () => {
    const sfn = sfnClient(env.endpoint);
    const s3 = new S3Client({ ...clientConfig(env.endpoint), forcePathStyle: true });
    const Bucket = unique('map-bucket');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'in/items.json', Body: JSON.stringify([{ n: 1 }, { n: 2 }, { n: 3 }]) }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'in/rows.csv', Body: 'name,size\n"a, with comma",1\nb,2\n' }));
    const distributed = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } };
    const jsonMachine = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket, 'Key.$': '$.key' } },
          ItemProcessor: { ...distributed, StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'double.$': 'States.MathAdd($.n, $.n)' }, End: true } } },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket, Prefix: 'out' } },
          End: true,
        },
      },
    };
    const done = await run(sfn, await createMachine(sfn, jsonMachine), { key: 'in/items.json' });
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const output = JSON.parse(done.output!) as { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
    assert.match(output.MapRunArn, /^arn:aws:states:us-east-1:000000000000:mapRun:[^/]+\/M:[0-9a-f-]{36}$/);
    assert.equal(output.ResultWriterDetails.Bucket, Bucket);
    const read = async (Key: string) => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString()) as any;
    const manifest = await read(output.ResultWriterDetails.Key);
    assert.equal(manifest.MapRunArn, output.MapRunArn);
    const succeeded = await read(manifest.ResultFiles.SUCCEEDED[0].Key);
    assert.deepEqual(succeeded.map((r: { Output: string }) => JSON.parse(r.Output)), [{ double: 2 }, { double: 4 }, { double: 6 }]);
    const events = await history(sfn, done.executionArn!);
    assert.ok(events.some((e) => e.type === 'MapRunStarted' && e.mapRunStartedEventDetails!.mapRunArn === output.MapRunArn));

    const csv = await run(sfn, await createMachine(sfn, { StartAt: 'M', States: { M: { Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket, Key: 'in/rows.csv' } }, ItemProcessor: { ...distributed, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } }), {});
    assert.deepEqual(JSON.parse(csv.output!), [{ name: 'a, with comma', size: '1' }, { name: 'b', size: '2' }]);
    const listed = await run(sfn, await createMachine(sfn, { StartAt: 'M', States: { M: { Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket, Prefix: 'in/' } }, ItemSelector: { 'key.$': '$$.Map.Item.Value.Key' }, ItemProcessor: { ...distributed, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } }), {});
    assert.deepEqual(JSON.parse(listed.output!), [{ key: 'in/items.json' }, { key: 'in/rows.csv' }]);
    const missing = await run(sfn, await createMachine(sfn, { StartAt: 'M', States: { M: { Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket, Key: 'nope.json' } }, ItemProcessor: { ...distributed, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } }), {});
    assert.equal(missing.error, 'States.ItemReaderFailed');
  });
});
