// "/aws/reference/secretsmanager/<secret-id>[:<version id or stage>]": GetParameter and
// GetParameters read a Secrets Manager secret through Parameter Store. Parameter Store keeps
// nothing about it; it asks Secrets Manager each time, as this caller.

import type * as SSM from '@aws-sdk/client-ssm';
import { ServiceError } from '../../errors.js';
import type { RequestContext } from '../types.js';
import { validation } from './errors.js';

export const SECRET_REFERENCE_PREFIX = '/aws/reference/secretsmanager/';
/** Secrets Manager version ids are UUIDs (or 32-64 character client tokens); anything else is a stage. */
const VERSION_ID = /^[0-9a-fA-F-]{32,64}$/;

export function isSecretReference(name: string): boolean {
  return name.trim().startsWith(SECRET_REFERENCE_PREFIX);
}

export function requireDecryption(withDecryption: boolean | undefined): void {
  if (withDecryption !== true) throw validation('WithDecryption flag must be True for retrieving a Secret Manager secret.');
}

function secretNotFound(reference: string): ServiceError {
  return new ServiceError('ParameterNotFound', `An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret ${reference} not found.`);
}

/** The date as Secrets Manager's own JSON writes it in SourceResult: "Oct 14, 2021, 10:18:47 AM" (UTC). */
function javaDate(date: Date): string {
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][date.getUTCMonth()];
  const hours = date.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${hours % 12 === 0 ? 12 : hours % 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
  return `${month} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${clock}`;
}

/** The secret as a Parameter; throws ParameterNotFound when Secrets Manager has no such secret or version. */
export async function secretParameter(ctx: RequestContext, requested: string): Promise<SSM.Parameter> {
  const text = requested.trim();
  const rest = text.slice(SECRET_REFERENCE_PREFIX.length);
  const colon = rest.indexOf(':');
  const secretId = colon < 0 ? rest : rest.slice(0, colon);
  const selector = colon < 0 ? undefined : rest.slice(colon + 1);
  const reference = SECRET_REFERENCE_PREFIX + secretId;
  if (!secretId) throw secretNotFound(reference);
  const request: Record<string, unknown> = { SecretId: secretId };
  if (selector) request[VERSION_ID.test(selector) ? 'VersionId' : 'VersionStage'] = selector;
  let secret: Record<string, unknown>;
  try {
    secret = await ctx.call('secretsmanager', 'GetSecretValue', request);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'ResourceNotFoundException') throw secretNotFound(reference);
    throw error;
  }
  const created = secret['CreatedDate'] instanceof Date ? secret['CreatedDate'] : ctx.clock.date();
  const binary = secret['SecretBinary'] as Uint8Array | undefined;
  const value = typeof secret['SecretString'] === 'string' ? secret['SecretString'] : binary ? Buffer.from(binary).toString('base64') : '';
  const sourceResult = {
    ARN: secret['ARN'],
    name: secret['Name'],
    versionId: secret['VersionId'],
    secretString: secret['SecretString'],
    versionStages: secret['VersionStages'],
    createdDate: javaDate(created),
  };
  return {
    Name: reference,
    Type: 'SecureString',
    Value: value,
    Version: 0,
    Selector: selector ? `:${selector}` : undefined,
    SourceResult: JSON.stringify(sourceResult),
    LastModifiedDate: created,
    ARN: secret['ARN'] as string | undefined,
  };
}
