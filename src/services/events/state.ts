// EventBridge's state: event buses, rules (keyed by bus, then name) and each rule's targets.
// Every account and region has the default bus without anyone creating it.

import type * as EB from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../errors.js';
import { arn } from '../common/arn.js';
import type { Tag } from '../common/tags.js';
import type { Collection, Store } from '../../store/store.js';
import type { RequestContext } from '../types.js';

export const DEFAULT_BUS = 'default';

export interface BusRecord {
  name: string;
  arn: string;
  policy?: string;
  tags: Tag[];
  created: number;
}

export interface RuleRecord {
  name: string;
  bus: string;
  arn: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  roleArn?: string;
  managedBy?: string;
  tags: Tag[];
  /** When a rate() schedule was set: its firings fall whole periods after this (ms). */
  scheduleAnchor?: number;
  /** Targets in the order they were first put (AWS lists them by id; we sort on read). */
  targets: EB.Target[];
}

export function buses(ctx: RequestContext) {
  return ctx.collection<BusRecord>('buses');
}

/**
 * The rules collection. Writes through it also drop the scope's cached routing tables (the rules
 * PutEvents matches against, see routingCache), so PutEvents does not read and parse every rule of
 * the bus from the store on each call.
 */
export function rules(ctx: RequestContext): Collection<RuleRecord> {
  return invalidating(ctx, ctx.collection<RuleRecord>('rules'));
}

/** A collection whose writes empty the scope's routing cache (rules, archives). */
export function invalidating<T>(ctx: RequestContext, stored: Collection<T>): Collection<T> {
  const forget = () => routingCaches.get(ctx.store)?.delete(scopeOf(ctx));
  const wrapped: Collection<T> = Object.create(stored);
  wrapped.put = (key, value) => {
    forget();
    stored.put(key, value);
  };
  wrapped.delete = (key) => {
    forget();
    return stored.delete(key);
  };
  wrapped.deletePrefix = (prefix) => {
    forget();
    return stored.deletePrefix(prefix);
  };
  return wrapped;
}

const routingCaches = new WeakMap<Store, Map<string, Map<string, unknown>>>();

function scopeOf(ctx: RequestContext): string {
  return `${ctx.account}/${ctx.region}`;
}

/** Per store and scope: a table of what PutEvents routes by, emptied whenever a rule or archive of the scope changes. */
export function routingCache<T>(ctx: RequestContext): Map<string, T> {
  let byScope = routingCaches.get(ctx.store);
  if (!byScope) {
    const created = new Map<string, Map<string, unknown>>();
    routingCaches.set(ctx.store, (byScope = created));
    // A reset empties the store underneath: the cache goes with it.
    ctx.store.onReset(() => created.clear());
  }
  let cache = byScope.get(scopeOf(ctx));
  if (!cache) byScope.set(scopeOf(ctx), (cache = new Map()));
  return cache as Map<string, T>;
}

export function ruleKey(bus: string, name: string): string {
  return `${bus}\u0000${name}`;
}

export function busArn(ctx: RequestContext, name: string): string {
  return arn({ service: 'events', region: ctx.region, account: ctx.account, resource: `event-bus/${name}` });
}

/** Rules on the default bus are rule/<name>; on other buses rule/<bus>/<name>. */
export function ruleArn(ctx: RequestContext, bus: string, name: string): string {
  const resource = bus === DEFAULT_BUS ? `rule/${name}` : `rule/${bus}/${name}`;
  return arn({ service: 'events', region: ctx.region, account: ctx.account, resource });
}

function defaultBus(ctx: RequestContext): BusRecord {
  return { name: DEFAULT_BUS, arn: busArn(ctx, DEFAULT_BUS), tags: [], created: 0 };
}

/** A bus may be named by name or by ARN wherever EventBusName is taken. */
export function busNameOf(nameOrArn: string | undefined): string {
  if (!nameOrArn) return DEFAULT_BUS;
  const match = /^arn:aws[a-z-]*:events:[^:]*:\d{12}:event-bus\/(.+)$/.exec(nameOrArn);
  return match ? match[1]! : nameOrArn;
}

export function findBus(ctx: RequestContext, name: string): BusRecord | undefined {
  return buses(ctx).get(name) ?? (name === DEFAULT_BUS ? defaultBus(ctx) : undefined);
}

export function requireBus(ctx: RequestContext, nameOrArn: string | undefined): BusRecord {
  const name = busNameOf(nameOrArn);
  const bus = findBus(ctx, name);
  if (!bus) throw notFound(`Event bus ${name} does not exist.`);
  return bus;
}

export function allBuses(ctx: RequestContext): BusRecord[] {
  const stored = buses(ctx).values();
  if (!stored.some((b) => b.name === DEFAULT_BUS)) stored.push(defaultBus(ctx));
  return stored.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function requireRule(ctx: RequestContext, name: string, busNameOrArn: string | undefined): RuleRecord {
  const bus = requireBus(ctx, busNameOrArn);
  const rule = rules(ctx).get(ruleKey(bus.name, name));
  if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
  return rule;
}

export function notFound(message: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', message);
}

export function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}
