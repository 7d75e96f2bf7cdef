// SQS answers a missing required parameter with its own MissingParameter ("The request must
// contain the parameter QueueUrl.") in both protocols, not the generic validation message, so the
// service checks required members itself (validatesOwnInput). Which members are required comes
// from the JSON model; the name in the message is the parameter as the client's protocol writes
// it (a query client's SetQueueAttributes without attributes lacks "Attribute.Name").
//
// Members inside entries and message attributes are checked by the operations, which answer
// AWS's own errors for them (InvalidBatchEntryId, a failed entry's MissingParameter, ...).

import { loadModel, ServiceModel, type Shape } from '../../protocols/model.js';
import type { Handler } from '../types.js';
import { missingParameter } from './errors.js';
import { SQS_QUERY_MODEL } from './query-model.js';
import { isQueryProtocol } from './queues.js';

interface Required {
  member: string;
  /** The parameter's name on the query protocol's wire. */
  wireName: string;
  /** A query form cannot say "empty list": a missing batch is the operation's EmptyBatchRequest. */
  queryMayOmit: boolean;
}

let queryModel: ServiceModel | undefined;

function wireName(operation: string, member: string): string {
  queryModel ??= new ServiceModel(SQS_QUERY_MODEL);
  const op = queryModel.operations[operation];
  const ref = op && queryModel.input(op).members?.[member];
  if (!ref) return member;
  const shape: Shape = queryModel.resolve(ref);
  const name = shape.locationName ?? member;
  if (shape.type === 'map' && shape.flattened) return `${name}.${queryModel.resolve(shape.key).locationName ?? 'key'}`;
  if (shape.type === 'list' && shape.flattened) return queryModel.resolve(shape.member).locationName ?? name;
  return name;
}

function requiredOf(operation: string): Required[] {
  const model = loadModel('sqs-2012-11-05');
  const op = model.operations[operation];
  if (!op) return [];
  const input = model.input(op);
  return (input.required ?? []).map((member) => ({
    member,
    wireName: wireName(operation, member),
    queryMayOmit: member === 'Entries',
  }));
}

/** Wraps an operation's handler with SQS's check for missing required parameters. */
export function withRequiredParameters(operation: string, handler: Handler): Handler {
  let required: Required[] | undefined;
  return (input: Record<string, unknown>, ctx) => {
    required ??= requiredOf(operation);
    for (const { member, wireName, queryMayOmit } of required) {
      if (input[member] !== undefined && input[member] !== null) continue;
      const query = isQueryProtocol(ctx);
      if (query && queryMayOmit) continue;
      throw missingParameter(query ? wireName : member);
    }
    return handler(input, ctx);
  };
}
