// The embedded store: scoping, ordering, prefixes, transactions, and the schema version.

import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openSqliteStore, SCHEMA_VERSION } from '../../src/store/sqlite.js';

describe('sqlite store', () => {
  it('scopes records by service, account and region', () => {
    const store = openSqliteStore({ inMemory: true });
    const a = store.collection<number>('svc', 'things', { account: '111111111111', region: 'us-east-1' });
    const b = store.collection<number>('svc', 'things', { account: '111111111111', region: 'eu-west-1' });
    const c = store.collection<number>('svc', 'things', { account: '222222222222', region: 'us-east-1' });
    a.put('k', 1);
    b.put('k', 2);
    assert.equal(a.get('k'), 1);
    assert.equal(b.get('k'), 2);
    assert.equal(c.get('k'), undefined);
    store.close();
  });

  it('lists in key order with prefix, after, limit and reverse', () => {
    const store = openSqliteStore({ inMemory: true });
    const col = store.collection<string>('svc', 'c', { account: '0', region: 'r' });
    for (const k of ['b/2', 'a/1', 'b/1', 'b/10', 'c', 'b/ü']) col.put(k, k.toUpperCase());
    assert.deepEqual(col.list({ prefix: 'b/' }).map(([k]) => k), ['b/1', 'b/10', 'b/2', 'b/ü']);
    assert.deepEqual(col.list({ prefix: 'b/', after: 'b/10', limit: 1 }).map(([k]) => k), ['b/2']);
    assert.deepEqual(col.values({ reverse: true, limit: 2 }), ['C', 'B/Ü']);
    assert.deepEqual(col.list({ from: 'b/10', to: 'b/2' }).map(([k]) => k), ['b/10', 'b/2']);
    assert.deepEqual(col.list({ from: 'b/1', to: 'b/2', reverse: true, after: 'b/2' }).map(([k]) => k), ['b/10', 'b/1']);
    const lazily: string[] = [];
    for (const [k] of col.iterate({ prefix: 'b/' })) {
      lazily.push(k);
      if (lazily.length === 2) break;
    }
    assert.deepEqual(lazily, ['b/1', 'b/10']);
    // The stored JSON text, unparsed.
    assert.equal(col.getText('c'), '"C"');
    assert.equal(col.getText('nope'), undefined);
    assert.deepEqual([...col.iterateText({ prefix: 'b/', reverse: true, limit: 2 })], [['b/ü', '"B/Ü"'], ['b/2', '"B/2"']]);
    assert.equal(col.count('b/'), 4);
    assert.equal(col.deletePrefix('b/'), 4);
    assert.equal(col.count(), 2);
    store.close();
  });

  it('rolls back a failed transaction whole', () => {
    const store = openSqliteStore({ inMemory: true });
    const col = store.collection<number>('svc', 'c', { account: '0', region: 'r' });
    assert.throws(() =>
      store.transaction(() => {
        col.put('x', 1);
        throw new Error('boom');
      }),
    );
    assert.equal(col.has('x'), false);
    store.reset();
    store.close();
  });

  it('records its schema version and refuses a newer one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-schema-'));
    try {
      openSqliteStore({ dataDir: dir }).close();
      const db = new Database(join(dir, 'fogbank.db'));
      assert.equal(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get(), String(SCHEMA_VERSION));
      db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
      db.close();
      assert.throws(() => openSqliteStore({ dataDir: dir }), /newer Fogbank/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('belongs to one Fogbank at a time: a second store on the same directory is refused until the first closes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-lock-'));
    try {
      const first = openSqliteStore({ dataDir: dir });
      first.collection<number>('svc', 'c', { account: '0', region: 'r' }).put('k', 1);
      assert.throws(() => openSqliteStore({ dataDir: dir }), /is in use by another Fogbank/);
      first.close();
      const second = openSqliteStore({ dataDir: dir });
      assert.equal(second.collection<number>('svc', 'c', { account: '0', region: 'r' }).get('k'), 1);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
