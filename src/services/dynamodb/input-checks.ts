// Checks DynamoDB makes before the generic (Coral) validation, with its own wording: the table
// operations name a missing TableName, and a name outside 3 to 255 characters, before any
// other problem in the request.

import { validation } from './errors.js';

function tableNameFirst(input: Record<string, unknown>): void {
  const name = input.TableName;
  if (name === undefined) throw validation("The parameter 'TableName' is required but was not present in the request");
  if (typeof name === 'string' && (name.length < 3 || name.length > 255)) throw validation('TableName must be at least 3 characters long and at most 255 characters long');
}

export const inputChecks: Record<string, (input: Record<string, unknown>) => void> = {
  CreateTable: tableNameFirst,
  DeleteTable: tableNameFirst,
  DescribeTable: tableNameFirst,
  UpdateTable: tableNameFirst,
  DescribeTimeToLive: tableNameFirst,
};
