// Metric and subscription filters: stored and described (not acted on), with their patterns checked.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteMetricFilterCommand,
  DeleteSubscriptionFilterCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  DescribeSubscriptionFiltersCommand,
  PutMetricFilterCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { useFogbank } from '../support/fogbank.js';
import { logsClient, rejectsWith, unique } from './helpers.js';

const env = useFogbank();

const transformation = (metricName: string) => [{ metricName, metricNamespace: 'App', metricValue: '1', defaultValue: 0 }];

describe('metric filters', () => {
  it('PutMetricFilter stores a filter that DescribeMetricFilters and metricFilterCount show', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('metrics');
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'errors', filterPattern: '{ $.level = "ERROR" }', metricTransformations: transformation('Errors') }));
    await logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'slow', filterPattern: '[..., latency > 1000]', metricTransformations: transformation('Slow') }));
    const { metricFilters } = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }));
    assert.deepEqual(metricFilters!.map((f) => [f.filterName, f.filterPattern, f.logGroupName]), [
      ['errors', '{ $.level = "ERROR" }', group],
      ['slow', '[..., latency > 1000]', group],
    ]);
    assert.deepEqual(metricFilters![0]!.metricTransformations, transformation('Errors'));
    assert.equal(typeof metricFilters![0]!.creationTime, 'number');
    const byName = await logs.send(new DescribeMetricFiltersCommand({ metricName: 'Slow', metricNamespace: 'App' }));
    assert.deepEqual(byName.metricFilters!.map((f) => f.filterName), ['slow']);
    const byPrefix = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, filterNamePrefix: 'err' }));
    assert.deepEqual(byPrefix.metricFilters!.map((f) => f.filterName), ['errors']);
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.equal(logGroups![0]!.metricFilterCount, 2);

    // Putting the same name replaces the filter.
    await logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'errors', filterPattern: 'ERROR', metricTransformations: transformation('Errors') }));
    const replaced = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, filterNamePrefix: 'errors' }));
    assert.equal(replaced.metricFilters![0]!.filterPattern, 'ERROR');

    await logs.send(new DeleteMetricFilterCommand({ logGroupName: group, filterName: 'errors' }));
    assert.deepEqual((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }))).metricFilters!.map((f) => f.filterName), ['slow']);
  });

  it('pages DescribeMetricFilters', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('metric-pages');
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    for (let i = 0; i < 5; i++) await logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: `f${i}`, filterPattern: '', metricTransformations: transformation(`M${i}`) }));
    const first = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, limit: 3 }));
    const second = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, limit: 3, nextToken: first.nextToken }));
    assert.deepEqual([...first.metricFilters!, ...second.metricFilters!].map((f) => f.filterName), ['f0', 'f1', 'f2', 'f3', 'f4']);
    assert.equal(second.nextToken, undefined);
  });

  it('rejects invalid patterns and missing groups or filters', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('metric-errors');
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await rejectsWith(
      logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'bad', filterPattern: '{ $.level = ', metricTransformations: transformation('X') })),
      'InvalidParameterException',
      "If a filter pattern starts with '{' it must end with '}'",
    );
    await rejectsWith(
      logs.send(new PutMetricFilterCommand({ logGroupName: unique('absent'), filterName: 'f', filterPattern: '', metricTransformations: transformation('X') })),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
    await rejectsWith(logs.send(new DeleteMetricFilterCommand({ logGroupName: group, filterName: 'never' })), 'ResourceNotFoundException', 'The specified metric filter does not exist.');
    assert.deepEqual((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }))).metricFilters, []);
  });
});

describe('subscription filters', () => {
  it('stores up to two filters per group, with ByLogStream distribution by default', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('subscriptions');
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    const destinationArn = 'arn:aws:lambda:us-east-1:000000000000:function:shipper';
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'all', filterPattern: '', destinationArn }));
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'errors', filterPattern: 'ERROR', destinationArn, distribution: 'Random' }));
    const { subscriptionFilters } = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }));
    assert.deepEqual(subscriptionFilters!.map((f) => [f.filterName, f.filterPattern, f.distribution, f.destinationArn, f.logGroupName]), [
      ['all', '', 'ByLogStream', destinationArn, group],
      ['errors', 'ERROR', 'Random', destinationArn, group],
    ]);
    await rejectsWith(logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'third', filterPattern: '', destinationArn })), 'LimitExceededException', 'Resource limit exceeded.');
    // Replacing an existing one is not a third filter.
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'all', filterPattern: 'WARN', destinationArn }));
    await logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: group, filterName: 'all' }));
    const left = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }));
    assert.deepEqual(left.subscriptionFilters!.map((f) => f.filterName), ['errors']);
    await rejectsWith(logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: group, filterName: 'all' })), 'ResourceNotFoundException', 'The specified subscription filter does not exist.');
    await rejectsWith(logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: unique('absent') })), 'ResourceNotFoundException', 'The specified log group does not exist.');
  });

  it('deleting the group deletes its filters', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('cascade');
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 's', filterPattern: '', destinationArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }));
    await logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'm', filterPattern: '', metricTransformations: transformation('M') }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: group }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    assert.deepEqual((await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }))).subscriptionFilters, []);
    assert.deepEqual((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }))).metricFilters, []);
  });
});
