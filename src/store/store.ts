// The one storage interface every service uses. State is a set of named collections of JSON
// records, each scoped by service, account and region, and ordered by key so services can page.

import type { BlobStore } from './blobs.js';

export interface Scope {
  account: string;
  region: string;
}

/** Scope for state that AWS keeps per account, not per region (IAM, for example). */
export const GLOBAL_REGION = '';

export interface ListOptions {
  /** Only keys that start with this. */
  prefix?: string;
  /** Only keys strictly after this one in the direction of travel (for pagination). */
  after?: string;
  /** Only keys >= from. */
  from?: string;
  /** Only keys <= to. */
  to?: string;
  limit?: number;
  reverse?: boolean;
}

export interface Collection<T> {
  get(key: string): T | undefined;
  has(key: string): boolean;
  put(key: string, value: T): void;
  /** Returns whether the key was there. */
  delete(key: string): boolean;
  list(options?: ListOptions): Array<[string, T]>;
  /** Like list, but reads lazily: stop early and the rest is never read. Write nothing until it ends. */
  iterate(options?: ListOptions): IterableIterator<[string, T]>;
  values(options?: ListOptions): T[];
  /** The stored JSON text of a record, unparsed: for answers that carry records as they are. */
  getText(key: string): string | undefined;
  /** Like iterate, but yields each record's stored JSON text, unparsed. */
  iterateText(options?: ListOptions): IterableIterator<[string, string]>;
  count(prefix?: string): number;
  /** Deletes every key with the prefix; returns how many. */
  deletePrefix(prefix: string): number;
}

export interface Store {
  collection<T>(service: string, name: string, scope: Scope): Collection<T>;
  /** Bodies too large for records: S3 objects, function code. Reset with the records. */
  readonly blobs: BlobStore;
  /** The account/region scopes holding any record of a service's collection. */
  scopesOf(service: string, name: string): Scope[];
  /** Runs fn atomically: all of its writes land, or none do. */
  transaction<R>(fn: () => R): R;
  /** Forgets all state (tests use this between cases). */
  reset(): void;
  /** Calls listener after every reset: for caches services keep beside the store. */
  onReset(listener: () => void): void;
  close(): void;
  readonly location: string;
}
