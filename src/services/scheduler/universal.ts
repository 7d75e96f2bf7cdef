// Universal targets: arn:aws:scheduler:::aws-sdk:<service>:<apiAction> calls that API action with
// the schedule's Input (a JSON object of the action's parameters, named as in the API) through
// Fogbank's internal dispatch, for the services Fogbank has. Service names are the SDK's
// (sfn, eventbridge, cloudwatchlogs ...); actions are camelCase (sendMessage -> SendMessage).

import { SERVICES_BY_NAME } from '../registry.js';
import type { RequestContext } from '../types.js';
import { TargetFailure } from '../events/failures.js';
import { validation } from './state.js';

const UNIVERSAL = /^arn:aws[a-z-]*:scheduler:::aws-sdk:([a-z0-9-]+):([a-zA-Z0-9]+)$/;

/** SDK service names whose Fogbank service has another name. */
const ALIASES: Record<string, string> = { sfn: 'states', eventbridge: 'events', cloudwatchlogs: 'logs', apigatewaymanagementapi: 'apigateway' };

export function isUniversalTarget(arn: string): boolean {
  return /^arn:aws[a-z-]*:scheduler:::/.test(arn);
}

/** The Fogbank service and operation a universal target names. */
export function parseUniversal(arn: string): { service: string; operation: string } | undefined {
  const match = UNIVERSAL.exec(arn);
  if (!match) return undefined;
  const [, sdkService, action] = match as unknown as [string, string, string];
  return { service: ALIASES[sdkService] ?? sdkService, operation: action[0]!.toUpperCase() + action.slice(1) };
}

/** Actions AWS refuses as universal targets: read-only ones, by the prefixes its guide lists. */
const READ_ONLY_PREFIXES = [
  'get', 'describe', 'list', 'poll', 'receive', 'search', 'scan', 'query', 'select', 'read', 'lookup', 'discover', 'validate',
  'batchGet', 'batchDescribe', 'batchRead', 'transactGet', 'adminGet', 'adminList', 'testMigration', 'retrieve', 'testConnection',
  'translateDocument', 'isAuthorized', 'invokeModel',
];

/**
 * What CreateSchedule and UpdateSchedule refuse in a universal target, with AWS's messages: an ARN
 * not of the form arn:aws:scheduler:::aws-sdk:<service>:<action> (a Region or account in it, say)
 * is taken for a "scheduler" templated target; a read-only action; a missing Input.
 */
export function checkUniversalTarget(arn: string, input: string | undefined): void {
  if (!/^arn:aws[a-z-]*:scheduler:/.test(arn)) return;
  const match = UNIVERSAL.exec(arn);
  if (!match) throw validation('scheduler is not a supported service for a target.');
  const action = match[2]!;
  if (READ_ONLY_PREFIXES.some((prefix) => action.startsWith(prefix))) throw validation(`${action} API is not supported.`);
  if (input === undefined) throw validation('You must provide an input to set this target for your schedule.');
}

export async function invokeUniversal(ctx: RequestContext, arn: string, input: string): Promise<void> {
  const target = parseUniversal(arn);
  if (!target) throw new TargetFailure('ValidationException', `Target ${arn} is not a valid universal target.`, false);
  if (!SERVICES_BY_NAME.has(target.service)) throw new TargetFailure('ValidationException', `Fogbank does not have the service of ${arn}.`, false);
  let parameters: unknown;
  try {
    parameters = JSON.parse(input);
  } catch {
    throw new TargetFailure('ValidationException', 'The Input of a universal target must be a JSON object of the action parameters.', false);
  }
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new TargetFailure('ValidationException', 'The Input of a universal target must be a JSON object of the action parameters.', false);
  }
  await ctx.call(target.service, target.operation, parameters as Record<string, unknown>);
}
