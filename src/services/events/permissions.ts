// PutPermission and RemovePermission: an event bus's resource policy, shown in DescribeEventBus and
// ListEventBuses as Policy. A statement grants events:PutEvents to one account (Principal
// {"AWS":"arn:aws:iam::<account>:root"}) or to everyone ("*"), optionally under a Condition (an
// organization); a new statement for the same principal or with the same StatementId replaces the
// old one. PutPermission with Policy sets the whole policy document instead. The policy is kept
// and shown, not enforced: Fogbank does not act for other accounts.

import type * as EB from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../errors.js';
import type { Handler } from '../types.js';
import { buses, requireBus, validation, type BusRecord } from './state.js';

/** AWS's limit on a bus's policy. */
const MAX_POLICY_BYTES = 10 * 1024;

interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

interface PolicyDocument {
  Version?: string;
  Statement?: Statement[];
}

/** A model constraint failure, in the words AWS's JSON services use. */
function constraint(value: string, member: string, rule: string): ServiceError {
  return validation(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`);
}

function checkPattern(value: string | undefined, member: string, pattern: RegExp, source: string, max: number): void {
  if (value === undefined) return;
  if (value.length < 1 || value.length > max) throw constraint(value, member, `Member must have length ${value.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`);
  if (!pattern.test(value)) throw constraint(value, member, `Member must satisfy regular expression pattern: ${source}`);
}

function parsePolicy(text: string): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw validation('This policy contains invalid Json');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw validation('This policy contains invalid Json');
  return parsed as PolicyDocument;
}

function save(bus: BusRecord, policy: PolicyDocument | undefined, put: (bus: BusRecord) => void): void {
  const statements = policy?.Statement ?? [];
  if (!policy || statements.length === 0) {
    const { policy: _dropped, ...rest } = bus;
    put(rest);
    return;
  }
  const text = JSON.stringify(policy);
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw new ServiceError('PolicyLengthExceededException', 'The event bus policy is too long. For more information, see the limits.');
  put({ ...bus, policy: text });
}

export const putPermission: Handler<EB.PutPermissionRequest, object> = (input, ctx) => {
  checkPattern(input.EventBusName, 'eventBusName', /^[.\-_A-Za-z0-9]+$/, '[\\.\\-_A-Za-z0-9]+', 64);
  checkPattern(input.Action, 'action', /^events:[a-zA-Z]+$/, 'events:[a-zA-Z]+', 64);
  checkPattern(input.Principal, 'principal', /^(\d{12}|\*)$/, '(\\d{12}|\\*)', 12);
  checkPattern(input.StatementId, 'statementId', /^[a-zA-Z0-9-_]+$/, '[a-zA-Z0-9-_]+', 64);
  const bus = requireBus(ctx, input.EventBusName);
  const put = (record: BusRecord) => buses(ctx).put(record.name, record);
  if (input.Policy !== undefined) {
    save(bus, parsePolicy(input.Policy), put);
    return {};
  }
  if (input.Principal === undefined) throw validation('Parameter Principal must be specified.');
  if (input.StatementId === undefined) throw validation('Parameter StatementId must be specified.');
  if (input.Action === undefined) throw validation('Parameter Action must be specified.');
  if (input.Action !== 'events:PutEvents') throw validation("Provided value in parameter 'action' is not supported.");
  if (input.Condition && input.Principal !== '*') throw validation("Value of the parameter 'principal' must be '*' when the parameter 'condition' is set.");
  const principal = input.Principal === '*' ? '*' : { AWS: `arn:aws:iam::${input.Principal}:root` };
  const statement: Statement = { Sid: input.StatementId, Effect: 'Allow', Principal: principal, Action: input.Action, Resource: bus.arn };
  if (input.Condition) statement.Condition = { [input.Condition.Type!]: { [input.Condition.Key!]: input.Condition.Value } };
  const current = bus.policy ? parsePolicy(bus.policy) : { Version: '2012-10-17', Statement: [] };
  const kept = (current.Statement ?? []).filter((s) => s.Sid !== statement.Sid && JSON.stringify(s.Principal) !== JSON.stringify(principal));
  save(bus, { Version: current.Version ?? '2012-10-17', Statement: [...kept, statement] }, put);
  return {};
};

export const removePermission: Handler<EB.RemovePermissionRequest, object> = (input, ctx) => {
  checkPattern(input.EventBusName, 'eventBusName', /^[.\-_A-Za-z0-9]+$/, '[\\.\\-_A-Za-z0-9]+', 64);
  checkPattern(input.StatementId, 'statementId', /^[a-zA-Z0-9-_]+$/, '[a-zA-Z0-9-_]+', 64);
  const bus = requireBus(ctx, input.EventBusName);
  const put = (record: BusRecord) => buses(ctx).put(record.name, record);
  if (input.RemoveAllPermissions) {
    save(bus, undefined, put);
    return {};
  }
  if (input.StatementId === undefined) throw validation('Parameter StatementId must be specified.');
  if (!bus.policy) throw new ServiceError('ResourceNotFoundException', 'EventBus does not have a policy.');
  const current = parsePolicy(bus.policy);
  const statements = current.Statement ?? [];
  const kept = statements.filter((s) => s.Sid !== input.StatementId);
  if (kept.length === statements.length) throw new ServiceError('ResourceNotFoundException', 'Statement with the provided id does not exist.');
  save(bus, { ...current, Statement: kept }, put);
  return {};
};
