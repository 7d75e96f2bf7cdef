// Event buses: the default bus every account and region has, and custom buses.

import type * as EB from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../errors.js';
import { paginate } from '../common/pagination.js';
import { checkTagCount } from '../common/tags.js';
import type { Handler } from '../types.js';
import { disarmRule } from './timers.js';
import { allBuses, busArn, buses, busNameOf, DEFAULT_BUS, requireBus, rules, validation } from './state.js';

export const invalidToken = () => validation('The NextToken provided is not valid.');

export const createEventBus: Handler<EB.CreateEventBusRequest, EB.CreateEventBusResponse> = (input, ctx) => {
  const name = input.Name!;
  if (name.includes('/')) throw validation(`Event bus name must not contain '/'.`);
  if (name === DEFAULT_BUS || buses(ctx).has(name)) throw new ServiceError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
  const tags = input.Tags ?? [];
  checkTagCount(tags as never, validation);
  const arn = busArn(ctx, name);
  buses(ctx).put(name, { name, arn, tags: tags.map((t) => ({ Key: t.Key!, Value: t.Value ?? '' })), created: ctx.clock.now() });
  return { EventBusArn: arn };
};

export const describeEventBus: Handler<EB.DescribeEventBusRequest, EB.DescribeEventBusResponse> = (input, ctx) => {
  const bus = requireBus(ctx, input.Name);
  return { Name: bus.name, Arn: bus.arn, Policy: bus.policy };
};

export const listEventBuses: Handler<EB.ListEventBusesRequest, EB.ListEventBusesResponse> = (input, ctx) => {
  const matching = allBuses(ctx).filter((b) => !input.NamePrefix || b.name.startsWith(input.NamePrefix));
  const page = paginate(matching, (b) => b.name, input.Limit ?? 100, input.NextToken, invalidToken);
  return { EventBuses: page.items.map((b) => ({ Name: b.name, Arn: b.arn, Policy: b.policy })), NextToken: page.nextToken };
};

/** Deleting a bus that does not exist succeeds, as in AWS; its rules go with it. */
export const deleteEventBus: Handler<EB.DeleteEventBusRequest, object> = (input, ctx) => {
  const name = busNameOf(input.Name);
  if (name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
  if (!buses(ctx).has(name)) return {};
  for (const [key, rule] of rules(ctx).list({ prefix: `${name}\u0000` })) {
    disarmRule(ctx, rule);
    rules(ctx).delete(key);
  }
  buses(ctx).delete(name);
  return {};
};
