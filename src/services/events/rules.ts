// Rules: an event pattern or a schedule on a bus, enabled or disabled.

import type * as EB from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../errors.js';
import { paginate } from '../common/pagination.js';
import { compilePattern, eventBridgePatternMessage, PatternError, type CompiledPattern } from '../common/patterns/index.js';
import { checkTagCount, mergeTags } from '../common/tags.js';
import type { Handler, RequestContext } from '../types.js';
import { invalidToken } from './buses.js';
import { parseSchedule } from './schedule.js';
import { armRule, disarmRule } from './timers.js';
import { refuseManaged } from './archive-rule.js';
import { DEFAULT_BUS, requireBus, requireRule, ruleArn, ruleKey, rules, validation, type RuleRecord } from './state.js';

const compiled = new Map<string, CompiledPattern>();

/** Compiles (once per distinct text) a rule's pattern, with AWS's InvalidEventPatternException. */
export function patternOf(text: string): CompiledPattern {
  let pattern = compiled.get(text);
  if (!pattern) {
    try {
      pattern = compilePattern(text, { dialect: 'eventbridge' });
    } catch (error) {
      if (error instanceof PatternError) throw new ServiceError('InvalidEventPatternException', eventBridgePatternMessage(error.message));
      throw error;
    }
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(text, pattern);
  }
  return pattern;
}

export const putRule: Handler<EB.PutRuleRequest, EB.PutRuleResponse> = (input, ctx) => {
  const bus = requireBus(ctx, input.EventBusName);
  if (input.EventPattern === undefined && input.ScheduleExpression === undefined) {
    throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  if (input.ScheduleExpression !== undefined) {
    if (bus.name !== DEFAULT_BUS) throw validation('ScheduleExpression is supported only on the default event bus.');
    parseSchedule(input.ScheduleExpression);
  }
  if (input.EventPattern !== undefined) patternOf(input.EventPattern);
  const tags = (input.Tags ?? []).map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
  checkTagCount(tags, validation);
  const key = ruleKey(bus.name, input.Name!);
  const existing = rules(ctx).get(key);
  const now = ctx.clock.now();
  const rule: RuleRecord = {
    name: input.Name!,
    bus: bus.name,
    arn: ruleArn(ctx, bus.name, input.Name!),
    eventPattern: input.EventPattern,
    scheduleExpression: input.ScheduleExpression,
    state: input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    description: input.Description,
    roleArn: input.RoleArn,
    tags: existing ? mergeTags(existing.tags, tags) : tags,
    targets: existing?.targets ?? [],
    scheduleAnchor: existing && existing.scheduleExpression === input.ScheduleExpression ? existing.scheduleAnchor : input.ScheduleExpression ? now : undefined,
  };
  rules(ctx).put(key, rule);
  armRule(ctx, rule);
  return { RuleArn: rule.arn };
};

function describe(rule: RuleRecord) {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    ManagedBy: rule.managedBy,
    EventBusName: rule.bus,
  };
}

export const describeRule: Handler<EB.DescribeRuleRequest, EB.DescribeRuleResponse> = (input, ctx) => {
  const rule = requireRule(ctx, input.Name!, input.EventBusName);
  return { ...describe(rule), CreatedBy: ctx.account };
};

export const listRules: Handler<EB.ListRulesRequest, EB.ListRulesResponse> = (input, ctx) => {
  const bus = requireBus(ctx, input.EventBusName);
  const all = rules(ctx).values({ prefix: ruleKey(bus.name, input.NamePrefix ?? '') });
  const page = paginate(all, (r) => r.name, input.Limit ?? 100, input.NextToken, invalidToken);
  return { Rules: page.items.map(describe), NextToken: page.nextToken };
};

/** Deleting a rule that does not exist succeeds; one that still has targets is refused. */
export const deleteRule: Handler<EB.DeleteRuleRequest, object> = (input, ctx) => {
  const bus = requireBus(ctx, input.EventBusName);
  const key = ruleKey(bus.name, input.Name!);
  const rule = rules(ctx).get(key);
  if (!rule) return {};
  refuseManaged(rule, input.Force);
  if (rule.targets.length && !input.Force) throw validation("Rule can't be deleted since it has targets.");
  disarmRule(ctx, rule);
  rules(ctx).delete(key);
  return {};
};

function setState(ctx: RequestContext, name: string, busName: string | undefined, state: RuleRecord['state']): object {
  const rule = requireRule(ctx, name, busName);
  const updated = { ...rule, state };
  // A schedule re-enabled counts its periods from now.
  if (state === 'ENABLED' && rule.state !== 'ENABLED' && updated.scheduleExpression) updated.scheduleAnchor = ctx.clock.now();
  rules(ctx).put(ruleKey(rule.bus, rule.name), updated);
  armRule(ctx, updated);
  return {};
}

export const enableRule: Handler<EB.EnableRuleRequest, object> = (input, ctx) => setState(ctx, input.Name!, input.EventBusName, 'ENABLED');
export const disableRule: Handler<EB.DisableRuleRequest, object> = (input, ctx) => setState(ctx, input.Name!, input.EventBusName, 'DISABLED');

export const listRuleNamesByTarget: Handler<EB.ListRuleNamesByTargetRequest, EB.ListRuleNamesByTargetResponse> = (input, ctx) => {
  const bus = requireBus(ctx, input.EventBusName);
  const named = rules(ctx)
    .values({ prefix: ruleKey(bus.name, '') })
    .filter((r) => r.targets.some((t) => t.Arn === input.TargetArn));
  const page = paginate(named, (r) => r.name, input.Limit ?? 100, input.NextToken, invalidToken);
  return { RuleNames: page.items.map((r) => r.name), NextToken: page.nextToken };
};
