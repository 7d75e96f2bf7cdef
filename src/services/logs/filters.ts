// Metric filters and subscription filters are stored and described (their patterns are checked
// as AWS checks them) but not acted on: no metrics are published and nothing is delivered.
// TestMetricFilter runs the real pattern engine.

import type * as CWL from '@aws-sdk/client-cloudwatch-logs';
import type { Handler } from '../types.js';
import { invalidToken, limitExceeded, resourceNotFound } from './errors.js';
import { compileFilterPattern } from './pattern/index.js';
import { LogsData, type MetricFilterRecord } from './state.js';
import { pageToken, readPageToken } from './tokens.js';

const METRIC_FILTERS_PER_GROUP = 100;
const SUBSCRIPTION_FILTERS_PER_GROUP = 2;
const DESCRIBE_LIMIT = 50;

function afterName(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const position = readPageToken(token);
  if (typeof position !== 'string') throw invalidToken();
  return position;
}

export const putMetricFilter: Handler<CWL.PutMetricFilterRequest, Record<string, never>> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const group = data.group(input.logGroupName!);
  compileFilterPattern(input.filterPattern);
  const filters = data.metricFilters(group.name);
  const existing = filters.get(input.filterName!);
  if (!existing && filters.count() >= METRIC_FILTERS_PER_GROUP) throw limitExceeded();
  filters.put(input.filterName!, {
    filterName: input.filterName!,
    filterPattern: input.filterPattern!,
    metricTransformations: input.metricTransformations!,
    creationTime: existing?.creationTime ?? ctx.clock.now(),
    logGroupName: group.name,
  });
  return {};
};

export const deleteMetricFilter: Handler<CWL.DeleteMetricFilterRequest, Record<string, never>> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const group = data.group(input.logGroupName!);
  if (!data.metricFilters(group.name).delete(input.filterName!)) throw resourceNotFound('The specified metric filter does not exist.');
  return {};
};

export const describeMetricFilters: Handler<CWL.DescribeMetricFiltersRequest, CWL.DescribeMetricFiltersResponse> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const groups = input.logGroupName !== undefined ? [data.group(input.logGroupName).name] : data.groups().values().map((g) => g.name);
  const after = afterName(input.nextToken);
  // Paged by "<group>\n<filter>", which sorts like the listing itself.
  const all: Array<[string, MetricFilterRecord]> = groups.flatMap((g) =>
    data.metricFilters(g).values({ prefix: input.filterNamePrefix }).map((f): [string, MetricFilterRecord] => [`${g}\n${f.filterName}`, f]),
  );
  const matching = all.filter(
    ([position, f]) =>
      (after === undefined || position > after) &&
      (input.metricName === undefined || f.metricTransformations.some((t) => t.metricName === input.metricName && (input.metricNamespace === undefined || t.metricNamespace === input.metricNamespace))),
  );
  const limit = input.limit ?? DESCRIBE_LIMIT;
  const page = matching.slice(0, limit);
  return {
    metricFilters: page.map(([, f]) => f),
    nextToken: matching.length > limit ? pageToken(page[page.length - 1]![0]) : undefined,
  };
};

export const putSubscriptionFilter: Handler<CWL.PutSubscriptionFilterRequest, Record<string, never>> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const group = data.group(input.logGroupName!);
  compileFilterPattern(input.filterPattern);
  const filters = data.subscriptionFilters(group.name);
  const existing = filters.get(input.filterName!);
  if (!existing && filters.count() >= SUBSCRIPTION_FILTERS_PER_GROUP) throw limitExceeded();
  filters.put(input.filterName!, {
    filterName: input.filterName!,
    logGroupName: group.name,
    filterPattern: input.filterPattern!,
    destinationArn: input.destinationArn!,
    roleArn: input.roleArn,
    distribution: input.distribution ?? 'ByLogStream',
    creationTime: existing?.creationTime ?? ctx.clock.now(),
  });
  return {};
};

export const deleteSubscriptionFilter: Handler<CWL.DeleteSubscriptionFilterRequest, Record<string, never>> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const group = data.group(input.logGroupName!);
  if (!data.subscriptionFilters(group.name).delete(input.filterName!)) throw resourceNotFound('The specified subscription filter does not exist.');
  return {};
};

export const describeSubscriptionFilters: Handler<CWL.DescribeSubscriptionFiltersRequest, CWL.DescribeSubscriptionFiltersResponse> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const group = data.group(input.logGroupName!);
  const after = afterName(input.nextToken);
  const limit = input.limit ?? DESCRIBE_LIMIT;
  const matching = data.subscriptionFilters(group.name).values({ prefix: input.filterNamePrefix, after });
  const page = matching.slice(0, limit);
  return {
    subscriptionFilters: page as CWL.SubscriptionFilter[],
    nextToken: matching.length > limit ? pageToken(page[page.length - 1]!.filterName) : undefined,
  };
};

export const testMetricFilter: Handler<CWL.TestMetricFilterRequest, CWL.TestMetricFilterResponse> = (input) => {
  const pattern = compileFilterPattern(input.filterPattern);
  const matches: CWL.MetricFilterMatchRecord[] = [];
  input.logEventMessages!.forEach((message, i) => {
    const extracted = pattern.extract(message);
    if (extracted) matches.push({ eventNumber: i + 1, eventMessage: message, extractedValues: extracted });
  });
  return { matches };
};
