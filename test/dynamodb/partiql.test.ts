import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchExecuteStatementCommand, ExecuteStatementCommand, ExecuteTransactionCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ExecuteStatementCommand as DocExecute } from '@aws-sdk/lib-dynamodb';
import { boto3, hasBoto3, useFogbank } from '../support/fogbank.js';
import { createTable, dynamo, rejects, tableName } from './support.js';

const env = useFogbank();

describe('DynamoDB PartiQL', () => {
  it('inserts, selects, updates and deletes with parameters and literals', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('partiql');
    await createTable(db, name, 'N');
    const run = (Statement: string, Parameters?: Array<Record<string, unknown>>) => db.send(new ExecuteStatementCommand({ Statement, Parameters: Parameters as never }));
    for (let i = 1; i <= 3; i++) await run(`INSERT INTO "${name}" VALUE {'pk': ?, 'sk': ?, 'n': ${i * 10}, 'tags': <<'a', 'b'>>}`, [{ S: 'p' }, { N: String(i) }]);
    await rejects(run(`INSERT INTO "${name}" VALUE {'pk': 'p', 'sk': 1}`), 'DuplicateItemException', 'Duplicate primary key exists in table');

    const all = await run(`SELECT * FROM "${name}" WHERE pk = ?`, [{ S: 'p' }]);
    assert.deepEqual(all.Items!.map((i) => i.sk!.N), ['1', '2', '3']);
    assert.deepEqual(all.Items![0]!.tags!.SS!.sort(), ['a', 'b']);
    const some = await run(`SELECT sk, n FROM "${name}" WHERE pk = 'p' AND sk >= 2`);
    assert.deepEqual(some.Items, [{ sk: { N: '2' }, n: { N: '20' } }, { sk: { N: '3' }, n: { N: '30' } }]);
    const scanned = await run(`SELECT sk FROM "${name}" WHERE n BETWEEN 15 AND 25 OR sk IN [3]`);
    assert.deepEqual(scanned.Items!.map((i) => i.sk!.N).sort(), ['2', '3']);

    await run(`UPDATE "${name}" SET n = n + ? SET label = 'one' REMOVE tags WHERE pk = 'p' AND sk = 1`, [{ N: '5' }]);
    const one = await db.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'p' }, sk: { N: '1' } } }));
    assert.deepEqual(one.Item, { pk: { S: 'p' }, sk: { N: '1' }, n: { N: '15' }, label: { S: 'one' } });
    await rejects(run(`UPDATE "${name}" SET n = 1 WHERE pk = 'p' AND sk = 99`), 'ConditionalCheckFailedException');
    await rejects(run(`UPDATE "${name}" SET n = 1 WHERE pk = 'p' AND sk = 1 AND n > 100`), 'ConditionalCheckFailedException');

    await run(`DELETE FROM "${name}" WHERE pk = 'p' AND sk = 2`);
    assert.deepEqual((await run(`SELECT sk FROM "${name}" WHERE pk = 'p'`)).Items!.map((i) => i.sk!.N), ['1', '3']);
  });

  it('pages a SELECT with Limit and NextToken, and works from the document client', async () => {
    const db = dynamo(env.endpoint);
    const doc = DynamoDBDocumentClient.from(db);
    const name = tableName('partiql-pages');
    await createTable(db, name, 'N');
    for (let i = 0; i < 5; i++) await doc.send(new DocExecute({ Statement: `INSERT INTO "${name}" VALUE {'pk': ?, 'sk': ?, 'doc': ?}`, Parameters: ['k', i, { nested: [i, 'x'] }] }));
    const seen: number[] = [];
    let NextToken: string | undefined;
    do {
      const page = await doc.send(new DocExecute({ Statement: `SELECT * FROM "${name}" WHERE pk = ?`, Parameters: ['k'], Limit: 2, NextToken }));
      seen.push(...page.Items!.map((i) => i.sk as number));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    const { Items } = await doc.send(new DocExecute({ Statement: `SELECT doc.nested[1] FROM "${name}" WHERE pk = 'k' AND sk = 4` }));
    assert.deepEqual(Items, [{ doc: { nested: ['x'] } }]);
  });

  it('runs BatchExecuteStatement with a result or an error per statement', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('partiql-batch');
    await createTable(db, name);
    const writes = await db.send(new BatchExecuteStatementCommand({
      Statements: [
        { Statement: `INSERT INTO "${name}" VALUE {'pk': 'a', 'v': 1}` },
        { Statement: `INSERT INTO "${name}" VALUE {'pk': 'b', 'v': 2}` },
        { Statement: `INSERT INTO "${name}" VALUE {'pk': 'a', 'v': 3}` },
        { Statement: `UPDATE "${name}" SET v = 9 WHERE pk = 'zzz'` },
      ],
    }));
    assert.deepEqual(writes.Responses!.map((r) => r.Error?.Code ?? 'ok'), ['ok', 'ok', 'DuplicateItem', 'ConditionalCheckFailed']);
    const reads = await db.send(new BatchExecuteStatementCommand({
      Statements: [{ Statement: `SELECT v FROM "${name}" WHERE pk = ?`, Parameters: [{ S: 'a' }] }, { Statement: `SELECT * FROM "${name}" WHERE pk = 'none'` }, { Statement: `SELECT * FROM "${name}" WHERE v = 1` }],
    }));
    assert.deepEqual(reads.Responses![0], { TableName: name, Item: { v: { N: '1' } } });
    assert.deepEqual(reads.Responses![1], { TableName: name });
    assert.equal(reads.Responses![2]!.Error!.Code, 'ValidationError');
    await rejects(db.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `SELECT * FROM "${name}" WHERE pk = 'a'` }, { Statement: `DELETE FROM "${name}" WHERE pk = 'a'` }] })), 'ValidationException');
  });

  it('runs ExecuteTransaction all or nothing, and reads in one', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('partiql-tx');
    await createTable(db, name);
    await db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `INSERT INTO "${name}" VALUE {'pk': 'a', 'v': 1}` }, { Statement: `INSERT INTO "${name}" VALUE {'pk': 'b', 'v': 1}` }] }));
    const failed = await rejects(
      db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `UPDATE "${name}" SET v = 2 WHERE pk = 'a'` }, { Statement: `INSERT INTO "${name}" VALUE {'pk': 'b'}` }] })),
      'TransactionCanceledException',
    );
    assert.deepEqual((failed.CancellationReasons as Array<{ Code: string }>).map((r) => r.Code), ['None', 'DuplicateItem']);
    const read = await db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT v FROM "${name}" WHERE pk = 'a'` }, { Statement: `SELECT v FROM "${name}" WHERE pk = 'c'` }] }));
    assert.deepEqual(read.Responses, [{ Item: { v: { N: '1' } } }, {}]);
  });

  it('answers AWS errors for bad statements, and keeps serving', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('partiql-errors');
    await createTable(db, name, 'N');
    const run = (Statement: string, Parameters?: Array<Record<string, unknown>>) => db.send(new ExecuteStatementCommand({ Statement, Parameters: Parameters as never }));
    await rejects(run('SELEKT * FROM t'), 'ValidationException', /^Statement wasn't well formed, can't be processed: /);
    await rejects(run(`SELECT * FROM "${name}" WHERE pk = 'unterminated`), 'ValidationException', /^Statement wasn't well formed/);
    await rejects(run(`SELECT * FROM "${name}" WHERE pk = ?`), 'ValidationException', "Number of parameters in request and statement don't match.");
    await rejects(run(`SELECT * FROM "${name}"`, [{ S: 'extra' }]), 'ValidationException', "Number of parameters in request and statement don't match.");
    await rejects(run(`SELECT * FROM "no-such-table"`), 'ResourceNotFoundException');
    await rejects(run(`DELETE FROM "${name}" WHERE pk = 'a'`), 'ValidationException', 'Where clause does not contain a mandatory equality on all key attributes');
    await rejects(run(`SELECT * FROM "${name}"."no-index"`), 'ValidationException', 'The table does not have the specified index: no-index');
    assert.deepEqual((await run(`SELECT * FROM "${name}"`)).Items, []);
  });

  it('runs statements from boto3', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('partiql-boto3');
    await createTable(db, name);
    const out = await boto3(env.endpoint, `
import json, boto3
client = boto3.client('dynamodb')
client.execute_statement(Statement='INSERT INTO "${name}" VALUE {\\'pk\\': ?, \\'n\\': ?}', Parameters=[{'S': 'x'}, {'N': '7'}])
items = client.execute_statement(Statement='SELECT n FROM "${name}" WHERE pk = ?', Parameters=[{'S': 'x'}])['Items']
try:
    client.execute_statement(Statement='INSERT INTO "${name}" VALUE {\\'pk\\': \\'x\\'}')
    dup = 'allowed'
except client.exceptions.DuplicateItemException:
    dup = 'refused'
print(json.dumps({'items': items, 'dup': dup}))
`);
    assert.deepEqual(out, { items: [{ n: { N: '7' } }], dup: 'refused' });
  });

  it('returns the item of an UPDATE or DELETE with RETURNING', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('partiql-returning');
    await createTable(db, name, 'N');
    const run = async (Statement: string) => (await db.send(new ExecuteStatementCommand({ Statement }))).Items;
    await run(`INSERT INTO "${name}" VALUE {'pk': 'p', 'sk': 1, 'n': 1, 'keep': 'k'}`);
    const where = `WHERE pk = 'p' AND sk = 1`;
    assert.deepEqual(await run(`UPDATE "${name}" SET n = 2 ${where} RETURNING ALL OLD *`), [{ pk: { S: 'p' }, sk: { N: '1' }, n: { N: '1' }, keep: { S: 'k' } }]);
    assert.deepEqual(await run(`UPDATE "${name}" SET n = 3 ${where} RETURNING MODIFIED OLD *`), [{ n: { N: '2' } }]);
    assert.deepEqual(await run(`UPDATE "${name}" SET n = 4 ${where} returning all new *`), [{ pk: { S: 'p' }, sk: { N: '1' }, n: { N: '4' }, keep: { S: 'k' } }]);
    assert.deepEqual(await run(`UPDATE "${name}" SET n = n + 1, extra = 'e' ${where} RETURNING MODIFIED NEW *`), [{ n: { N: '5' }, extra: { S: 'e' } }]);
    assert.deepEqual(await run(`UPDATE "${name}" SET n = 6 ${where}`), []);
    assert.deepEqual(await run(`DELETE FROM "${name}" ${where} RETURNING ALL OLD *`), [{ pk: { S: 'p' }, sk: { N: '1' }, n: { N: '6' }, keep: { S: 'k' }, extra: { S: 'e' } }]);
    assert.deepEqual(await run(`DELETE FROM "${name}" ${where} RETURNING ALL OLD *`), [], 'nothing was there to delete');
    const malformed = /^Statement wasn't well formed, can't be processed: /;
    await rejects(run(`DELETE FROM "${name}" ${where} RETURNING ALL NEW *`), 'ValidationException', malformed);
    await rejects(run(`UPDATE "${name}" SET n = 1 ${where} RETURNING SOME OLD *`), 'ValidationException', malformed);
    await rejects(run(`UPDATE "${name}" SET n = 1 ${where} RETURNING ALL OLD`), 'ValidationException', malformed);
    await rejects(db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `UPDATE "${name}" SET n = 1 ${where} RETURNING ALL OLD *` }] })), 'ValidationException', 'RETURNING is not supported in transactions');
    const batch = await db.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `DELETE FROM "${name}" ${where} RETURNING ALL OLD *` }] }));
    assert.equal(batch.Responses![0]!.Error?.Code, 'ValidationError');
  });

  it('adds to and deletes from sets with SET_ADD and SET_DELETE', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('partiql-sets');
    await createTable(db, name);
    const run = async (Statement: string) => (await db.send(new ExecuteStatementCommand({ Statement }))).Items;
    await run(`INSERT INTO "${name}" VALUE {'pk': 'p', 'tags': <<'a', 'b'>>, 'nums': <<1, 2>>}`);
    const after = await run(`UPDATE "${name}" SET tags = set_add(tags, <<'c'>>), nums = SET_DELETE(nums, <<1>>) SET extra = list_append([1], [2]) WHERE pk = 'p' RETURNING ALL NEW *`);
    assert.deepEqual(after![0]!.tags!.SS!.sort(), ['a', 'b', 'c']);
    assert.deepEqual(after![0]!.nums!.NS, ['2']);
    assert.deepEqual(after![0]!.extra!.L, [{ N: '1' }, { N: '2' }]);
    await rejects(run(`UPDATE "${name}" SET tags = set_add(nums, <<'c'>>) WHERE pk = 'p'`), 'ValidationException', /^Statement wasn't well formed, can't be processed: /);
    await rejects(run(`UPDATE "${name}" SET tags = set_add(tags, <<1>>) WHERE pk = 'p'`), 'ValidationException', 'An operand in the update expression has an incorrect data type');
  });

  it('checks conditions with EXISTS in a transaction, all or nothing', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('partiql-exists');
    await createTable(db, name, 'N');
    const run = (Statement: string) => db.send(new ExecuteStatementCommand({ Statement }));
    await run(`INSERT INTO "${name}" VALUE {'pk': 'account', 'sk': 1, 'status': 'open', 'balance': 100}`);
    const transact = (check: string) =>
      db.send(new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: check },
          { Statement: `INSERT INTO "${name}" VALUE {'pk': 'order', 'sk': ?}`, Parameters: [{ N: String(Math.floor(Math.random() * 1e9)) }] },
        ],
      }));
    // The item is there and matches: the transaction commits.
    await transact(`EXISTS(SELECT * FROM "${name}" WHERE pk = 'account' AND sk = 1 AND status = 'open')`);
    await transact(`exists (select balance from "${name}" where "pk" = 'account' and "sk" = 1)`);
    const orders = async () => (await run(`SELECT * FROM "${name}" WHERE pk = 'order'`)).Items!.length;
    assert.equal(await orders(), 2);
    // A condition that fails, or an item that is not there, cancels the whole transaction.
    for (const check of [
      `EXISTS(SELECT * FROM "${name}" WHERE pk = 'account' AND sk = 1 AND balance > 500)`,
      `EXISTS(SELECT * FROM "${name}" WHERE pk = 'account' AND sk = 2)`,
    ]) {
      const error = await rejects(transact(check), 'TransactionCanceledException');
      assert.deepEqual((error.CancellationReasons as Array<{ Code: string }>).map((r) => r.Code), ['ConditionalCheckFailed', 'None']);
    }
    assert.equal(await orders(), 2);
    // EXISTS needs the whole key, and a transaction.
    await rejects(transact(`EXISTS(SELECT * FROM "${name}" WHERE pk = 'account')`), 'ValidationException', 'Where clause does not contain a mandatory equality on all key attributes');
    await rejects(run(`EXISTS(SELECT * FROM "${name}" WHERE pk = 'account' AND sk = 1)`), 'ValidationException', 'EXISTS function can only be used in transactions');
    assert.equal(await orders(), 2);
  });
});
