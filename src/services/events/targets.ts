// A rule's targets: up to five, each with an id unique within the rule.

import type * as EB from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../errors.js';
import { parseArn } from '../common/arn.js';
import { paginate } from '../common/pagination.js';
import type { Handler } from '../types.js';
import { placeholders, PREDEFINED } from './input.js';
import { invalidToken } from './buses.js';
import { requireRule, ruleKey, rules, validation } from './state.js';
import { refuseManaged } from './archive-rule.js';

const MAX_TARGETS = 5;

function checkTarget(target: EB.Target): void {
  const parts = parseArn(target.Arn!);
  if (!parts) throw validation(`Parameter ${target.Arn} is not valid. Reason: Provided Arn is not in correct format.`);
  const inputs = [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined).length;
  if (inputs > 1) throw validation(`Only one of Input, InputPath, or InputTransformer must be provided for target ${target.Id}.`);
  if (target.Input !== undefined) {
    try {
      JSON.parse(target.Input);
    } catch {
      throw validation('Parameter Input is not valid.');
    }
  }
  const transformer = target.InputTransformer;
  if (transformer) {
    const defined = transformer.InputPathsMap ?? {};
    const unknown = placeholders(transformer.InputTemplate!).find((name) => !(name in defined) && !PREDEFINED.has(name));
    if (unknown !== undefined) throw validation(`InputTemplate for target ${target.Id} contains invalid placeholder ${unknown}.`);
  }
  if (parts.service === 'sqs' && parts.resource.endsWith('.fifo') && !target.SqsParameters?.MessageGroupId) {
    throw validation(`Parameter(s) SqsParameters must be specified for target: ${target.Id}.`);
  }
}

export const putTargets: Handler<EB.PutTargetsRequest, EB.PutTargetsResponse> = (input, ctx) => {
  const rule = requireRule(ctx, input.Rule!, input.EventBusName);
  const targets = new Map(rule.targets.map((t) => [t.Id!, t]));
  for (const target of input.Targets!) {
    checkTarget(target);
    targets.set(target.Id!, target);
  }
  if (targets.size > MAX_TARGETS) throw new ServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
  rules(ctx).put(ruleKey(rule.bus, rule.name), { ...rule, targets: [...targets.values()] });
  return { FailedEntryCount: 0, FailedEntries: [] };
};

/** Ids the rule does not have are ignored, as in AWS. */
export const removeTargets: Handler<EB.RemoveTargetsRequest, EB.RemoveTargetsResponse> = (input, ctx) => {
  const rule = requireRule(ctx, input.Rule!, input.EventBusName);
  refuseManaged(rule, input.Force);
  const drop = new Set(input.Ids);
  rules(ctx).put(ruleKey(rule.bus, rule.name), { ...rule, targets: rule.targets.filter((t) => !drop.has(t.Id!)) });
  return { FailedEntryCount: 0, FailedEntries: [] };
};

export const listTargetsByRule: Handler<EB.ListTargetsByRuleRequest, EB.ListTargetsByRuleResponse> = (input, ctx) => {
  const rule = requireRule(ctx, input.Rule!, input.EventBusName);
  const sorted = [...rule.targets].sort((a, b) => (a.Id! < b.Id! ? -1 : a.Id! > b.Id! ? 1 : 0));
  const page = paginate(sorted, (t) => t.Id!, input.Limit ?? 100, input.NextToken, invalidToken);
  return { Targets: page.items, NextToken: page.nextToken };
};
