// Lambda test helpers: zips built in memory, a role ARN, and clients for the shared Fogbank.

import { zipSync, strToU8 } from 'fflate';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateFunctionCommand, LambdaClient, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import { clientConfig, useFogbank } from '../support/fogbank.js';

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

/** A zip of the given files (text), as a deployment package. Unix modes mark `bootstrap` executable. */
export function zip(files: Record<string, string>, modes: Record<string, number> = {}): Uint8Array {
  const entries: Record<string, [Uint8Array, { os: number; attrs: number }]> = {};
  for (const [name, text] of Object.entries(files)) entries[name] = [strToU8(text), { os: 3, attrs: ((modes[name] ?? 0o644) | 0o100000) << 16 }];
  return zipSync(entries);
}

/** One Fogbank per test file (Fogbank.stop() ends its Lambda workers). */
export function useLambdaFogbank() {
  return useFogbank();
}

export function lambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient(clientConfig(endpoint));
}

let counter = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${++counter}`;
}

export async function createFunction(client: LambdaClient, input: Partial<CreateFunctionCommandInput> & { files?: Record<string, string>; modes?: Record<string, number> }) {
  const { files, modes, ...rest } = input;
  return client.send(
    new CreateFunctionCommand({
      FunctionName: uniqueName('fn'),
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zip(files ?? { 'index.mjs': 'export const handler = async (event) => ({ ok: true, event });' }, modes) },
      ...rest,
    } as CreateFunctionCommandInput),
  );
}

export function decode(payload: Uint8Array | undefined): unknown {
  return JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
}

/** A table keyed by `id` with a NEW_AND_OLD_IMAGES stream, for event source mapping tests. */
export async function streamTable(endpoint: string): Promise<{ name: string; stream: string }> {
  const name = uniqueName('t');
  const out = await new DynamoDBClient(clientConfig(endpoint)).send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return { name, stream: out.TableDescription!.LatestStreamArn! };
}
