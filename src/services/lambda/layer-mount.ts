// A function's layers on the host: each layer version's zip unpacked, then merged in the order the
// function lists them (later layers overwrite earlier files) into one folder that stands in for
// /opt, and the module paths AWS's runtimes search there.

import { createHash, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LAMBDA_ROOT } from '../../runtime/paths.js';
import type { RequestContext } from '../types.js';
import { unpackedCode } from './code.js';
import { layerVersions, type LayerVersionRecord } from './layers.js';
import { versionKey, type FunctionRecord } from './state.js';

const LAYER_ARN = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/;

/** The layer version an ARN names, if it was published to this Fogbank (AWS's public layers are not). */
function findLayer(ctx: RequestContext, layerArn: string): LayerVersionRecord | undefined {
  const m = LAYER_ARN.exec(layerArn);
  if (!m) return undefined;
  return layerVersions(ctx.store, { region: m[1]!, account: m[2]! }).get(versionKey(m[3]!, m[4]!));
}

/** CodeSize per layer ARN, for the function's configuration (0 for layers Fogbank does not hold). */
export function layerSizes(ctx: RequestContext, arns: string[]): Record<string, number> {
  return Object.fromEntries(arns.map((a) => [a, findLayer(ctx, a)?.codeSize ?? 0]));
}

/** The merged /opt folder for the function's layers, or undefined when it has none Fogbank holds. */
export function mountLayers(ctx: RequestContext, record: FunctionRecord): string | undefined {
  const layers = record.layers.map((a) => findLayer(ctx, a)).filter((l): l is LayerVersionRecord => l !== undefined);
  if (layers.length === 0) return undefined;
  const id = createHash('sha256').update(layers.map((l) => l.codeSha256).join(',')).digest('hex');
  const dir = join(LAMBDA_ROOT, 'opt', id);
  if (existsSync(dir)) return dir;
  const staging = `${dir}.tmp-${process.pid}-${randomUUID()}`;
  mkdirSync(staging, { recursive: true });
  for (const layer of layers) {
    const unpacked = unpackedCode(ctx.store, { sha256: layer.codeSha256, size: layer.codeSize, blob: layer.codeBlob });
    cpSync(unpacked, staging, { recursive: true, force: true });
  }
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/** The module search paths AWS's runtimes give layers, in AWS's order. */
export function layerPaths(opt: string, runtime: string): Record<string, string> {
  const python = /^python(\d+\.\d+)$/.exec(runtime);
  if (python) return { PYTHONPATH: [join(opt, 'python', 'lib', `python${python[1]}`, 'site-packages'), join(opt, 'python')].join(':') };
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  if (node) return { NODE_PATH: [join(opt, 'nodejs', `node${node[1]}`, 'node_modules'), join(opt, 'nodejs', 'node_modules')].join(':') };
  return {};
}
