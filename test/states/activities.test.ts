import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateActivityCommand, DeleteActivityCommand, ListTagsForResourceCommand, TagResourceCommand, DescribeActivityCommand, DescribeExecutionCommand, GetActivityTaskCommand, ListActivitiesCommand, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { expectAwsError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { createMachine, history, sfnClient, uniqueName, waitForEnd } from './support.js';

const env = useFogbank();

describe('Step Functions activities', () => {
  it('create, describe, list and delete activities, with AWS errors for unknown or malformed ARNs', async () => {
    const sfn = sfnClient(env.endpoint);
    const name = uniqueName('act');
    const created = await sfn.send(new CreateActivityCommand({ name }));
    assert.equal(created.activityArn, `arn:aws:states:us-east-1:000000000000:activity:${name}`);
    // Creating it again answers the same activity.
    assert.equal((await sfn.send(new CreateActivityCommand({ name }))).activityArn, created.activityArn);
    const described = await sfn.send(new DescribeActivityCommand({ activityArn: created.activityArn }));
    assert.equal(described.name, name);
    const listed = await sfn.send(new ListActivitiesCommand({}));
    assert.ok(listed.activities!.some((a) => a.activityArn === created.activityArn));
    await sfn.send(new TagResourceCommand({ resourceArn: created.activityArn, tags: [{ key: 'team', value: 'media' }] }));
    assert.deepEqual((await sfn.send(new ListTagsForResourceCommand({ resourceArn: created.activityArn }))).tags, [{ key: 'team', value: 'media' }]);
    await sfn.send(new DeleteActivityCommand({ activityArn: created.activityArn }));
    await expectAwsError(sfn.send(new ListTagsForResourceCommand({ resourceArn: created.activityArn })), { name: 'ResourceNotFound', message: `Resource not found: '${created.activityArn}'` });
    await expectAwsError(sfn.send(new DescribeActivityCommand({ activityArn: created.activityArn })), { name: 'ActivityDoesNotExist', message: `Activity Does Not Exist: '${created.activityArn}'` });
    await expectAwsError(sfn.send(new GetActivityTaskCommand({ activityArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:x' })), { name: 'InvalidArn' });
    await expectAwsError(sfn.send(new CreateActivityCommand({ name: 'bad name' })), { name: 'InvalidName' });
    assert.ok((await sfn.send(new ListActivitiesCommand({}))).activities);
  });

  it('a Task on an activity waits for a worker: GetActivityTask hands out input and token, SendTaskSuccess ends it', async () => {
    const sfn = sfnClient(env.endpoint);
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: uniqueName('work') }));
    const arn = await createMachine(sfn, { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, TimeoutSeconds: 300, Parameters: { 'job.$': '$.job' }, End: true } } });
    // A worker polling first waits for the task.
    const polling = sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'worker-1' }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"job":"resize"}' }));
    const task = await polling;
    assert.deepEqual(JSON.parse(task.input!), { job: 'resize' });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"resized":true}' }));
    const done = await waitForEnd(sfn, executionArn!);
    assert.deepEqual([done.status, JSON.parse(done.output!)], ['SUCCEEDED', { resized: true }]);
    const events = await history(sfn, executionArn!);
    assert.deepEqual(events.map((e) => e.type), ['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    assert.deepEqual(events[2]!.activityScheduledEventDetails, { resource: activityArn, input: '{"job":"resize"}', inputDetails: { truncated: false }, timeoutInSeconds: 300 });
    assert.equal(events[3]!.activityStartedEventDetails!.workerName, 'worker-1');

    // A task queued before any worker polls is handed to the next poll; a failure is the task's error.
    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"job":"crop"}' }));
    await new Promise((r) => setTimeout(r, 50));
    const queued = await sfn.send(new GetActivityTaskCommand({ activityArn }));
    assert.deepEqual(JSON.parse(queued.input!), { job: 'crop' });
    await sfn.send(new SendTaskFailureCommand({ taskToken: queued.taskToken, error: 'Worker.Broke', cause: 'disk full' }));
    const failed = await waitForEnd(sfn, second.executionArn!);
    assert.deepEqual([failed.status, failed.error, failed.cause], ['FAILED', 'Worker.Broke', 'disk full']);
  });

  it('GetActivityTask answers empty after 60 seconds on the clock; an unclaimed task times out with States.Timeout', async () => {
    const sfn = sfnClient(env.endpoint);
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: uniqueName('idle') }));
    const polling = sfn.send(new GetActivityTaskCommand({ activityArn }));
    await new Promise((r) => setTimeout(r, 50));
    env.fogbank.advanceClock(60_000);
    const empty = await polling;
    assert.equal(empty.taskToken, undefined);
    const arn = await createMachine(sfn, { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, TimeoutSeconds: 30, End: true } } });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    await new Promise((r) => setTimeout(r, 50));
    env.fogbank.advanceClock(31_000);
    const done = await waitForEnd(sfn, executionArn!);
    assert.deepEqual([done.status, done.error], ['FAILED', 'States.Timeout']);
    const events = await history(sfn, executionArn!);
    assert.equal(events.find((e) => e.type === 'ActivityTimedOut')!.activityTimedOutEventDetails!.error, 'States.Timeout');
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, 'FAILED');
  });
});
