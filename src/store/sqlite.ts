// The embedded store: SQLite through better-sqlite3, in a data directory or in memory.
// WAL journaling with synchronous=NORMAL means a committed write is in the WAL file before the
// request is answered, so it survives kill -9 of the process; FOGBANK_SYNC=full adds an fsync per
// commit for machines that must also survive power loss.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FileBlobStore, MemoryBlobStore, type BlobStore } from './blobs.js';
import type { Collection, ListOptions, Scope, Store } from './store.js';

/** Bump when the table layout changes, and add a step to MIGRATIONS. */
export const SCHEMA_VERSION = 1;

const MIGRATIONS: Record<number, string> = {
  1: `CREATE TABLE records (
        service TEXT NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL,
        collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (service, account, region, collection, key)
      ) WITHOUT ROWID`,
};

export interface SqliteStoreOptions {
  /** Directory for fogbank.db; ignored when inMemory. */
  dataDir?: string;
  inMemory?: boolean;
  synchronous?: 'normal' | 'full';
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  let location = ':memory:';
  let blobs: BlobStore = new MemoryBlobStore();
  const dir = options.dataDir ?? '.fogbank';
  if (!options.inMemory) {
    mkdirSync(dir, { recursive: true });
    location = join(dir, 'fogbank.db');
    blobs = new FileBlobStore(join(dir, 'blobs'));
  }
  const db = new Database(location);
  if (!options.inMemory) {
    // One process owns the data directory: with the lock held for good, SQLite keeps the WAL index
    // in its own memory and skips the shared-memory file locks of every read and write, and mapped
    // reads skip a copy. Neither changes when a commit is durable.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('mmap_size = 1073741824');
    try {
      db.pragma('journal_mode = WAL');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new Error(`data directory ${dir} is in use by another Fogbank`);
      throw error;
    }
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  }
  migrate(db);
  return new SqliteStore(db, location, blobs);
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  const current = row ? Number(row.value) : 0;
  if (current > SCHEMA_VERSION) {
    throw new Error(`data directory was written by a newer Fogbank (schema ${current}, this one knows ${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version]!);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
  })();
}

const SCOPE = 'service = ? AND account = ? AND region = ? AND collection = ?';

class SqliteStore implements Store {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
    readonly blobs: BlobStore,
  ) {
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
    this.statements = {
      get: db.prepare(`SELECT value FROM records WHERE ${SCOPE} AND key = ?`).pluck(),
      put: db.prepare('INSERT OR REPLACE INTO records (service, account, region, collection, key, value) VALUES (?, ?, ?, ?, ?, ?)'),
      delete: db.prepare(`DELETE FROM records WHERE ${SCOPE} AND key = ?`),
      count: db.prepare(`SELECT count(*) FROM records WHERE ${SCOPE} AND key >= ? AND key < ?`).pluck(),
      countAll: db.prepare(`SELECT count(*) FROM records WHERE ${SCOPE}`).pluck(),
      deleteRange: db.prepare(`DELETE FROM records WHERE ${SCOPE} AND key >= ? AND key < ?`),
    };
  }

  private readonly collections = new Map<string, Collection<unknown>>();

  /** Collections are made once per scope and reused: handlers ask for them on every request. */
  collection<T>(service: string, name: string, scope: Scope): Collection<T> {
    const id = `${service}\u0000${scope.account}\u0000${scope.region}\u0000${name}`;
    let collection = this.collections.get(id);
    if (!collection) {
      collection = this.makeCollection(service, name, scope);
      this.collections.set(id, collection);
    }
    return collection as Collection<T>;
  }

  private makeCollection<T>(service: string, name: string, scope: Scope): Collection<T> {
    const where = [service, scope.account, scope.region, name] as const;
    const s = this.statements;
    // List statements answer rows as [key, value] arrays: no object per row.
    const statement = (sql: string) => this.listStatement(sql);
    const iterate = function* (options: ListOptions = {}): IterableIterator<[string, T]> {
      const { sql, params } = listQuery(options);
      for (const row of statement(sql).iterate(...where, ...params) as IterableIterator<[string, string]>) {
        yield [row[0], JSON.parse(row[1]) as T];
      }
    };
    const iterateText = function* (options: ListOptions = {}): IterableIterator<[string, string]> {
      const { sql, params } = listQuery(options);
      yield* statement(sql).iterate(...where, ...params) as IterableIterator<[string, string]>;
    };
    const list = (options: ListOptions = {}): Array<[string, T]> => {
      const { sql, params } = listQuery(options);
      const rows = statement(sql).all(...where, ...params) as Array<[string, string]>;
      return rows.map((r) => [r[0], JSON.parse(r[1]) as T]);
    };
    return {
      get: (key) => {
        const value = s.get.get(...where, key) as string | undefined;
        return value === undefined ? undefined : (JSON.parse(value) as T);
      },
      getText: (key) => s.get.get(...where, key) as string | undefined,
      has: (key) => s.get.get(...where, key) !== undefined,
      put: (key, value) => {
        s.put.run(...where, key, JSON.stringify(value));
      },
      delete: (key) => s.delete.run(...where, key).changes > 0,
      list,
      iterate,
      iterateText,
      values: (options) => list(options).map(([, v]) => v),
      count: (prefix) => Number(prefix ? s.count.get(...where, prefix, prefixEnd(prefix)) : s.countAll.get(...where)),
      deletePrefix: (prefix) => s.deleteRange.run(...where, prefix, prefixEnd(prefix)).changes,
    };
  }

  scopesOf(service: string, name: string): Scope[] {
    return this.db.prepare('SELECT DISTINCT account, region FROM records WHERE service = ? AND collection = ?').all(service, name) as Scope[];
  }

  private readonly listStatements = new Map<string, Database.Statement>();

  /** Prepared once per distinct SQL text: list queries vary only in which bounds they use. */
  private listStatement(sql: string): Database.Statement {
    let prepared = this.listStatements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql).raw(true);
      this.listStatements.set(sql, prepared);
    }
    return prepared;
  }

  /** One wrapper for every transaction: better-sqlite3 builds several functions per transaction(). */
  private readonly runInTransaction: (fn: () => unknown) => unknown;

  transaction<R>(fn: () => R): R {
    return this.runInTransaction(fn) as R;
  }

  private readonly resetListeners: Array<() => void> = [];

  reset(): void {
    this.db.exec('DELETE FROM records');
    this.blobs.reset();
    for (const listener of this.resetListeners) listener();
  }

  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function listQuery(options: ListOptions): { sql: string; params: unknown[] } {
  const clauses = [SCOPE];
  const params: unknown[] = [];
  if (options.prefix) {
    clauses.push('key >= ? AND key < ?');
    params.push(options.prefix, prefixEnd(options.prefix));
  }
  if (options.from !== undefined) {
    clauses.push('key >= ?');
    params.push(options.from);
  }
  if (options.to !== undefined) {
    clauses.push('key <= ?');
    params.push(options.to);
  }
  if (options.after !== undefined) {
    clauses.push(options.reverse ? 'key < ?' : 'key > ?');
    params.push(options.after);
  }
  let sql = `SELECT key, value FROM records WHERE ${clauses.join(' AND ')} ORDER BY key ${options.reverse ? 'DESC' : 'ASC'}`;
  if (options.limit !== undefined) {
    sql += ' LIMIT ?';
    params.push(options.limit);
  }
  return { sql, params };
}

/** The smallest string greater than every string that starts with prefix. */
function prefixEnd(prefix: string): string {
  return prefix + '\u{10FFFF}';
}
