// A running Fogbank: one clock, one store, one dispatcher, one listener.

import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clock } from './clock.js';
import { Dispatcher } from './edge/dispatch.js';
import { createRequestListener } from './edge/listener.js';
import { SERVICES } from './services/registry.js';
import { issuedCredentialAccount } from './services/sts/credentials.js';
import { openSqliteStore } from './store/sqlite.js';
import type { Store } from './store/store.js';

export const VERSION = '0.1.0';

export interface FogbankOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Where the store lives (default .fogbank); ignored with inMemory. */
  dataDir?: string;
  inMemory?: boolean;
  /** 'full' fsyncs every commit (power-loss safe); 'normal' is kill -9 safe. */
  sync?: 'normal' | 'full';
  /** Called with errors that reached the edge unexpectedly (default: printed to stderr). */
  onUnexpectedError?: (error: unknown) => void;
}

export class Fogbank {
  readonly clock = new Clock();
  readonly store: Store;
  readonly dispatcher: Dispatcher;
  private readonly server: Server;
  private readonly options: FogbankOptions;

  constructor(options: FogbankOptions = {}) {
    this.options = options;
    this.store = openSqliteStore({ dataDir: options.dataDir, inMemory: options.inMemory, synchronous: options.sync });
    const onUnexpectedError = options.onUnexpectedError ?? ((error: unknown) => console.error('fogbank: unexpected error:', error));
    this.dispatcher = new Dispatcher({ clock: this.clock, store: this.store, newRequestId: randomUUID, onUnexpectedError, endpoint: () => this.localEndpoint });
    this.server = createServer(
      { keepAliveTimeout: 65_000 },
      createRequestListener({
        dispatcher: this.dispatcher,
        store: this.store,
        clock: this.clock,
        accountOfAccessKey: (key) => issuedCredentialAccount(this.store, key),
        control: {
          health: () => this.health(),
          reset: () => this.reset(),
          advanceClock: (ms) => this.clock.advance(ms),
          now: () => this.clock.now(),
          onUnexpectedError,
        },
      }),
    );
  }

  async listen(): Promise<this> {
    const { host = '127.0.0.1', port = 4566 } = this.options;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.localEndpoint = this.computeLocalEndpoint();
    await this.dispatcher.resumeStoredWork();
    return this;
  }

  /** http://host:port, ready to pass as an SDK's endpoint. */
  get endpoint(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address) throw new Error('Fogbank is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /** The endpoint for processes on this machine (a wildcard listen address becomes loopback); set once listening. */
  private localEndpoint = 'http://127.0.0.1:4566';

  private computeLocalEndpoint(): string {
    const address = this.server.address() as AddressInfo;
    const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Moves Fogbank's clock forward, firing everything that comes due. */
  advanceClock(ms: number): void {
    this.clock.advance(ms);
  }

  /** Forgets all state. */
  reset(): void {
    this.store.reset();
  }

  health(): Record<string, unknown> {
    const loaded = new Set(this.dispatcher.loadedServices());
    const services: Record<string, string> = {};
    for (const s of SERVICES) if (s.load) services[s.name] = loaded.has(s.name) ? 'running' : 'available';
    return { services, edition: 'fogbank', version: VERSION };
  }

  async stop(): Promise<void> {
    await this.dispatcher.shutdown();
    this.clock.cancelAll();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.store.close();
  }
}

/** Starts a Fogbank for a test suite: in memory, on a free port, unless told otherwise. */
export async function startFogbank(options: FogbankOptions = {}): Promise<Fogbank> {
  return new Fogbank({ inMemory: options.dataDir === undefined, port: 0, ...options }).listen();
}
