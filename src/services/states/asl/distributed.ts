// Distributed Map's data: ItemReader reads the items from S3 (a JSON array, JSON Lines or CSV
// object with s3:getObject, or the objects under a prefix with s3:listObjectsV2), and ResultWriter
// writes the results to S3 as AWS lays them out (<Prefix>/<map run id>/manifest.json,
// SUCCEEDED_0.json, FAILED_0.json). Both go through S3's own dispatch.

import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ServiceError } from '../../../errors.js';
import { StatesError } from './errors.js';
import { runMap, type MapRun, type RunBranch } from './flow.js';
import type { Host, Thread } from './host.js';
import { isObject } from './jsonpath.js';
import type { StateDefinition } from './validate.js';

export interface ReaderConfig {
  InputType?: 'JSON' | 'JSONL' | 'CSV' | 'MANIFEST';
  CSVHeaderLocation?: 'FIRST_ROW' | 'GIVEN';
  CSVHeaders?: string[];
  MaxItems?: number;
}

const readerFailed = (cause: string) => new StatesError('States.ItemReaderFailed', cause);

async function text(body: unknown): Promise<string> {
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** The items an ItemReader names, given its resolved parameters (Bucket, Key or Prefix). */
export async function readItems(host: Host, resource: string, params: unknown, config: ReaderConfig = {}): Promise<unknown[]> {
  if (!isObject(params) || typeof params.Bucket !== 'string') throw readerFailed('The ItemReader parameters must name a Bucket');
  let items: unknown[];
  try {
    if (/:s3:listObjectsV2$/.test(resource)) items = await listObjects(host, params);
    else if (/:s3:getObject$/.test(resource)) items = parseObject(await text((await host.ctx.call('s3', 'GetObject', { Bucket: params.Bucket, Key: params.Key, VersionId: params.VersionId })).Body), config);
    else throw readerFailed(`The ItemReader resource '${resource}' is not supported`);
  } catch (error) {
    if (error instanceof ServiceError) throw readerFailed(`${error.message} (Service: S3, Status Code: ${error.status}, Error Code: ${error.code})`);
    throw error;
  }
  return config.MaxItems ? items.slice(0, config.MaxItems) : items;
}

async function listObjects(host: Host, params: Record<string, unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  let token: string | undefined;
  do {
    const page = await host.ctx.call('s3', 'ListObjectsV2', { Bucket: params.Bucket, Prefix: params.Prefix, ContinuationToken: token });
    for (const o of (page.Contents ?? []) as Array<Record<string, unknown>>) {
      items.push({ Etag: o.ETag, Key: o.Key, LastModified: o.LastModified instanceof Date ? o.LastModified.toISOString() : o.LastModified, Size: o.Size, StorageClass: o.StorageClass ?? 'STANDARD' });
    }
    token = page.NextContinuationToken as string | undefined;
  } while (token);
  return items;
}

function parseObject(body: string, config: ReaderConfig): unknown[] {
  const type = config.InputType ?? 'JSON';
  if (type === 'JSON') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw readerFailed('Attempting to map the contents of the file to a JSON array failed: the content is not valid JSON');
    }
    if (!Array.isArray(parsed)) throw readerFailed('Attempting to map the contents of the file to a JSON array failed: the content is not a JSON array');
    return parsed;
  }
  if (type === 'JSONL') return body.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as unknown);
  if (type === 'CSV') return csvItems(body, config);
  throw readerFailed(`The InputType '${type}' is not supported`);
}

/** CSV rows as objects keyed by the header row (or the given headers); every value a string. */
function csvItems(body: string, config: ReaderConfig): unknown[] {
  const rows = csvRows(body);
  const headers = config.CSVHeaderLocation === 'GIVEN' ? (config.CSVHeaders ?? []) : (rows.shift() ?? []);
  return rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? ''])));
}

function csvRows(body: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

export interface MapRunResults {
  mapRunArn: string;
  succeeded: Array<{ input: unknown; output: unknown }>;
  failed: Array<{ input: unknown; error: string; cause?: string }>;
}

/** A new map run's ARN: arn:...:mapRun:<machine>/<state>:<id>. */
export function mapRunArn(host: Host, stateName: string): string {
  const [, , , region, account] = host.stateMachine.Id.split(':');
  return `arn:aws:states:${region}:${account}:mapRun:${host.stateMachine.Name}/${stateName}:${randomUUID()}`;
}

/** ResultWriter: the results as S3 objects, and the Map's output naming them. */
export async function writeResults(host: Host, params: unknown, run: MapRunResults): Promise<unknown> {
  if (!isObject(params) || typeof params.Bucket !== 'string') throw new StatesError('States.ResultWriterFailed', 'The ResultWriter parameters must name a Bucket');
  const prefix = typeof params.Prefix === 'string' && params.Prefix ? `${params.Prefix.replace(/\/$/, '')}/` : '';
  const runId = run.mapRunArn.split(':').pop()!;
  const base = `${prefix}${runId}/`;
  const entry = (item: Record<string, unknown>) => ({ ExecutionArn: `${host.execution.Id}/${randomUUID()}`, Name: randomUUID(), StateMachineArn: host.stateMachine.Id, ...item });
  const files: Array<{ key: string; status: string; body: unknown[] }> = [];
  if (run.succeeded.length) files.push({ key: `${base}SUCCEEDED_0.json`, status: 'SUCCEEDED', body: run.succeeded.map((r) => entry({ Input: JSON.stringify(r.input), Output: JSON.stringify(r.output), Status: 'SUCCEEDED' })) });
  if (run.failed.length) files.push({ key: `${base}FAILED_0.json`, status: 'FAILED', body: run.failed.map((r) => entry({ Input: JSON.stringify(r.input), Error: r.error, Cause: r.cause, Status: 'FAILED' })) });
  const manifest = {
    DestinationBucket: params.Bucket,
    MapRunArn: run.mapRunArn,
    ResultFiles: Object.fromEntries(['FAILED', 'PENDING', 'SUCCEEDED'].map((status) => [status, files.filter((f) => f.status === status).map((f) => ({ Key: f.key, Size: Buffer.byteLength(JSON.stringify(f.body)) }))])),
  };
  try {
    for (const file of files) await host.ctx.call('s3', 'PutObject', { Bucket: params.Bucket, Key: file.key, Body: Buffer.from(JSON.stringify(file.body)) });
    await host.ctx.call('s3', 'PutObject', { Bucket: params.Bucket, Key: `${base}manifest.json`, Body: Buffer.from(JSON.stringify(manifest)) });
  } catch (error) {
    if (error instanceof ServiceError) throw new StatesError('States.ResultWriterFailed', `${error.message} (Service: S3, Status Code: ${error.status}, Error Code: ${error.code})`);
    throw error;
  }
  return { MapRunArn: run.mapRunArn, ResultWriterDetails: { Bucket: params.Bucket, Key: `${base}manifest.json` } };
}

/** The Map state's reader and writer parameters, resolved in the state's query language. */
export interface MapIo {
  readerParams?: unknown;
  readerConfig?: ReaderConfig;
  writerParams?: unknown;
}

/**
 * A Map state with its data sources: items from the ItemReader when there is one, a map run in
 * distributed mode, and the results through the ResultWriter when there is one.
 */
export async function runMapState(host: Host, thread: Thread, state: StateDefinition, run: Omit<MapRun, 'items'> & { items?: unknown[] }, io: MapIo, runBranch: RunBranch): Promise<unknown> {
  const reader = state.ItemReader as { Resource?: string } | undefined;
  const items = reader ? await readItems(host, String(reader.Resource), io.readerParams, io.readerConfig) : run.items;
  if (!Array.isArray(items)) throw new StatesError('States.Runtime', `Map state '${run.name}': the items are not a JSON array`);
  const processor = (state.ItemProcessor ?? {}) as { ProcessorConfig?: { Mode?: string } };
  const arn = processor.ProcessorConfig?.Mode === 'DISTRIBUTED' ? mapRunArn(host, run.name) : undefined;
  const writer = state.ResultWriter as { Resource?: string } | undefined;
  const collected: MapRunResults = { mapRunArn: arn ?? mapRunArn(host, run.name), succeeded: [], failed: [] };
  const onItem: MapRun['onItem'] = writer
    ? (_index, input, outcome) => {
        if ('output' in outcome) collected.succeeded.push({ input, output: outcome.output });
        else collected.failed.push({ input, error: outcome.error.error, cause: outcome.error.cause });
      }
    : undefined;
  const results = await runMap(host, thread, { ...run, items, mapRunArn: arn, onItem }, runBranch);
  return writer ? writeResults(host, io.writerParams, collected) : results;
}
