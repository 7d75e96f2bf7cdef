// What AWS refuses in a universal target when the schedule is created or updated: a malformed ARN,
// a read-only action, a missing Input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateScheduleCommand, GetScheduleCommand, ListSchedulesCommand, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { expectAwsError } from '../support/errors.js';
import { awsCliFails, hasAwsCli, useFogbank } from '../support/fogbank.js';
import { ACCOUNT, OFF, ROLE, schedulerClient, unique } from './helpers.js';

const env = useFogbank();

/** Creates a schedule with the target (Input null: none). */
function create(name: string, Arn: string, Input: string | null = '{}') {
  return schedulerClient(env.endpoint).send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: OFF, Target: { Arn, RoleArn: ROLE, Input: Input ?? undefined } }));
}

describe('universal targets refused at creation', () => {
  it("read-only actions answer AWS's ValidationException naming the action", async () => {
    for (const action of ['getQueueUrl', 'listQueues', 'describeTable', 'receiveMessage', 'scan', 'query', 'batchGetItem', 'transactGetItems', 'invokeModel']) {
      const service = action === 'invokeModel' ? 'bedrockruntime' : /Queue|Message/.test(action) ? 'sqs' : 'dynamodb';
      await expectAwsError(create(unique('ro'), `arn:aws:scheduler:::aws-sdk:${service}:${action}`), { name: 'ValidationException', message: `${action} API is not supported.` });
    }
  });

  it('an ARN with a Region or account, or without an action, is not a universal target', async () => {
    for (const arn of [
      `arn:aws:scheduler:us-east-1:${ACCOUNT}:aws-sdk:sqs:sendMessage`,
      'arn:aws:scheduler:::aws-sdk:sqs',
      'arn:aws:scheduler:::sqs:sendMessage',
      'arn:aws:scheduler:::aws-sdk:sqs:send-message',
    ]) {
      await expectAwsError(create(unique('arn'), arn), { name: 'ValidationException', message: 'scheduler is not a supported service for a target.' });
    }
  });

  it('a universal target needs an Input', async () => {
    await expectAwsError(create(unique('no-input'), 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', null), {
      name: 'ValidationException',
      message: 'You must provide an input to set this target for your schedule.',
    });
  });

  it('UpdateSchedule refuses the same, and leaves the schedule as it was', async () => {
    const sc = schedulerClient(env.endpoint);
    const name = unique('kept');
    await create(name, 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', '{"QueueUrl":"q","MessageBody":"b"}');
    await expectAwsError(
      sc.send(new UpdateScheduleCommand({ Name: name, ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: OFF, Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sqs:getQueueAttributes', RoleArn: ROLE, Input: '{}' } })),
      { name: 'ValidationException', message: 'getQueueAttributes API is not supported.' },
    );
    assert.equal((await sc.send(new GetScheduleCommand({ Name: name }))).Target!.Arn, 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage');
    // Actions that change state are accepted, whatever their service.
    await create(unique('ok'), 'arn:aws:scheduler:::aws-sdk:ec2:startInstances', '{"InstanceIds":["i-1"]}');
    await create(unique('ok'), 'arn:aws:scheduler:::aws-sdk:sqs:createQueue', '{"QueueName":"made"}');
    assert.ok((await sc.send(new ListSchedulesCommand({}))).Schedules!.length >= 3, 'the server still answers');
  });

  it('the AWS CLI shows the error', { skip: !hasAwsCli }, async () => {
    const failed = await awsCliFails(env.endpoint, [
      'scheduler', 'create-schedule', '--name', unique('cli'), '--schedule-expression', 'rate(1 day)', '--flexible-time-window', 'Mode=OFF',
      '--target', JSON.stringify({ Arn: 'arn:aws:scheduler:::aws-sdk:sqs:listQueues', RoleArn: ROLE, Input: '{}' }),
    ]);
    assert.match(failed.stderr, /ValidationException.*listQueues API is not supported\./);
  });
});
