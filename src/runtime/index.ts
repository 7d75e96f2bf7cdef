// Lambda's execution side, one per store (so one per running Fogbank): the internal Runtime API
// listener, started on first use, and a warm pool per function. Services reach it through
// lambdaRuntime(store); Fogbank stops it with stopLambdaWorkers(store).

import { PendingLogs } from '../services/logs/pending.js';
import type { Store } from '../store/store.js';
import { logTail } from './function-logs.js';
import type { InvokeRequest, InvokeResult } from './invocation.js';
import { FunctionPool, runLogWrites, type FunctionLaunch, type LogCommit } from './pool.js';
import { RuntimeApiServer } from './runtime-api.js';

export type { InvokeRequest, InvokeResult } from './invocation.js';
export type { FunctionLaunch, LogCommit } from './pool.js';
export { commandFor, customBootstrap, NO_BOOTSTRAP, type RuntimeKind } from './launch.js';

export { RUNTIME_DIR } from './paths.js';

export class LambdaRuntime {
  private api?: Promise<{ server: RuntimeApiServer; address: string }>;
  private readonly pools = new Map<string, FunctionPool>();
  /** Fogbank's public endpoint, given to functions as AWS_ENDPOINT_URL. */
  endpoint = 'http://127.0.0.1:4566';

  /**
   * Invocations' log writes, stored together a few milliseconds later (see PendingLogs): callers
   * are answered without waiting for a commit, and CloudWatch Logs reads still see every line.
   */
  private readonly logs: PendingLogs<(commit: LogCommit) => void>;
  private readonly deferLogs = (write: (commit: LogCommit) => void): void => this.logs.add(write);

  constructor(private readonly store: Store) {
    this.logs = new PendingLogs(store, runLogWrites);
  }

  private listener(): Promise<{ server: RuntimeApiServer; address: string }> {
    this.api ??= (async () => {
      const server = new RuntimeApiServer(this.store.blobs);
      return { server, address: await server.start() };
    })();
    return this.api;
  }

  /** Fogbank's endpoint, which functions' SDKs reach through AWS_ENDPOINT_URL. */
  configureEndpoint(endpoint: string): void {
    this.endpoint = endpoint;
  }

  /** Runs an invocation on a warm worker of the function `key` (account/region/name:version). */
  async invoke(key: string, fn: FunctionLaunch, request: InvokeRequest, queue: boolean): Promise<InvokeResult | 'throttled'> {
    const { server, address } = await this.listener();
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = new FunctionPool(server, address, this.deferLogs)));
    const invocation = await pool.invoke(fn, request, queue);
    if (invocation === 'throttled') return invocation;
    const { payload, functionError } = await invocation.result;
    return { payload, functionError, logTail: logTail(invocation.logLines), requestId: invocation.requestId };
  }

  /** A URL that downloads a stored package (GetFunction's Code.Location). */
  async codeUrl(blob: string): Promise<string> {
    const { address } = await this.listener();
    return `http://${address}/code/${blob}`;
  }

  stopFunction(keyPrefix: string, exact = false): void {
    for (const [key, pool] of this.pools) {
      if (exact ? key === keyPrefix : key.startsWith(keyPrefix)) {
        pool.stop();
        this.pools.delete(key);
      }
    }
  }

  async stop(): Promise<void> {
    for (const pool of this.pools.values()) pool.stop();
    this.logs.close();
    this.pools.clear();
    const api = this.api;
    this.api = undefined;
    if (api) await (await api).server.close();
  }
}

const runtimes = new WeakMap<Store, LambdaRuntime>();

export function lambdaRuntime(store: Store): LambdaRuntime {
  let runtime = runtimes.get(store);
  if (!runtime) runtimes.set(store, (runtime = new LambdaRuntime(store)));
  return runtime;
}

/** Kills every worker of this Fogbank and closes the Runtime API listener: for Fogbank.stop(). */
export async function stopLambdaWorkers(store: Store): Promise<void> {
  const runtime = runtimes.get(store);
  runtimes.delete(store);
  await runtime?.stop();
}

/** Stops the workers of one function (deleted), or with `exact`, of one of its versions (`name:version`). */
export function stopFunctionWorkers(store: Store, scope: { account: string; region: string }, name: string, exact = false): void {
  runtimes.get(store)?.stopFunction(`${scope.account}/${scope.region}/${name}${exact ? '' : ':'}`, exact);
}
