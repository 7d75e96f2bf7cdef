import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { useFogbank } from '../support/fogbank.js';
import { createTable, dynamo, rejects } from './support.js';

const env = useFogbank();
const T = 'expr';

async function update(expression: string, values?: Record<string, unknown>, names?: Record<string, string>, condition?: string) {
  return dynamo(env.endpoint).send(new UpdateItemCommand({
    TableName: T, Key: { pk: { S: 'doc' } }, UpdateExpression: expression, ConditionExpression: condition,
    ExpressionAttributeValues: values as never, ExpressionAttributeNames: names, ReturnValues: 'ALL_NEW',
  }));
}

describe('DynamoDB expressions', () => {
  before(async () => {
    const db = dynamo(env.endpoint);
    await createTable(db, T);
    await db.send(new PutItemCommand({ TableName: T, Item: {
      pk: { S: 'doc' }, lst: { L: [{ N: '0' }, { N: '1' }, { N: '2' }, { N: '3' }] }, mp: { M: { a: { S: 'x' }, nested: { M: { deep: { N: '1' } } } } },
      tags: { SS: ['a', 'b'] }, n: { N: '10' },
    } }));
  });

  it('SET with list_append, if_not_exists, arithmetic, nested paths and list indexes', async () => {
    const out = await update('SET lst = list_append(lst, :more), mp.nested.deep = mp.nested.deep + :one, mp.b = :b, created = if_not_exists(created, :now), n = n - :one',
      { ':more': { L: [{ N: '4' }] }, ':one': { N: '1' }, ':b': { S: 'y' }, ':now': { S: 't0' } });
    assert.equal(out.Attributes!.lst!.L!.length, 5);
    const a = (await update('SET lst[1] = :x', { ':x': { S: 'one' } })).Attributes!;
    assert.deepEqual(a.lst!.L!.map((v) => v.N ?? v.S), ['0', 'one', '2', '3', '4']);
    assert.equal(a.mp!.M!.nested!.M!.deep!.N, '2');
    assert.equal(a.mp!.M!.b!.S, 'y');
    assert.equal(a.created!.S, 't0');
    assert.equal(a.n!.N, '9');
    const again = await update('SET created = if_not_exists(created, :later)', { ':later': { S: 't1' } });
    assert.equal(again.Attributes!.created!.S, 't0');
  });

  it('REMOVE list elements by index, ADD numbers and set members, DELETE set members', async () => {
    await update('DELETE tags :a', { ':a': { SS: ['a'] } });
    const out = await update('REMOVE lst[0], lst[2], mp.a ADD n :five, tags :c', { ':five': { N: '5' }, ':c': { SS: ['c'] } });
    const a = out.Attributes!;
    assert.deepEqual(a.lst!.L!.map((v) => v.N ?? v.S), ['one', '3', '4']);
    assert.equal(a.mp!.M!.a, undefined);
    assert.equal(a.n!.N, '14');
    assert.deepEqual([...a.tags!.SS!].sort(), ['b', 'c']);
    const gone = await update('DELETE tags :all', { ':all': { SS: ['b', 'c'] } });
    assert.equal(gone.Attributes!.tags, undefined);
  });

  it('numbers keep 38 digits through arithmetic', async () => {
    const out = await update('SET big = :a ADD big2 :b', { ':a': { N: '0.1' }, ':b': { N: '99999999999999999999999999999999999999' } });
    assert.equal(out.Attributes!.big!.N, '0.1');
    const sum = await update('SET big = big + :c', { ':c': { N: '0.2' } });
    assert.equal(sum.Attributes!.big!.N, '0.3');
    const edge = await update('ADD big2 :one', { ':one': { N: '-99999999999999999999999999999999999998' } });
    assert.equal(edge.Attributes!.big2!.N, '1');
  });

  it('syntax errors name the token and its neighbours', async () => {
    await rejects(update('INVALID SYNTAX HERE'), 'ValidationException', 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"');
    await rejects(update('SET a = :v', { ':v': { S: 'x' } }, undefined, 'a-b'), 'ValidationException', 'Invalid ConditionExpression: Syntax error; token: "-", near: "a-b"');
    await rejects(update('SET a ='), 'ValidationException', 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="');
    await rejects(dynamo(env.endpoint).send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'doc' } }, ProjectionExpression: '!!' })), 'ValidationException', 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"');
    await rejects(update(''), 'ValidationException', 'Invalid UpdateExpression: The expression can not be empty;');
  });

  it('semantic errors: reserved words, names and values, functions, sections, paths', async () => {
    await rejects(update('SET status = :v', { ':v': { S: 'x' } }), 'ValidationException', 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status');
    await rejects(update('SET a = :v'), 'ValidationException', 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v');
    await rejects(update('SET #a = :v', { ':v': { S: 'x' } }), 'ValidationException', 'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #a');
    await rejects(update('SET a = :v', { ':v': { S: 'x' }, ':unused': { S: 'y' } }), 'ValidationException', 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}');
    await rejects(update('SET a = :v', { ':v': { S: 'x' } }, { '#unused': 'u' }), 'ValidationException', 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}');
    await rejects(update('SET a = :v', { ':v': { S: 'x' } }, { a: 'u' }), 'ValidationException', 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"');
    await rejects(update('SET a = :v SET b = :v', { ':v': { S: 'x' } }), 'ValidationException', 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
    await rejects(update('SET a = :v, a.b = :v', { ':v': { S: 'x' } }), 'ValidationException', 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]');
    await rejects(update('SET a = foo(:v)', { ':v': { S: 'x' } }), 'ValidationException', 'Invalid UpdateExpression: Invalid function name; function: foo');
    await rejects(update('ADD a :v', { ':v': { S: 'x' } }), 'ValidationException', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING');
    await rejects(update('SET a = :v', { ':v': { S: 'x' } }, undefined, 'begins_with(a, :n)'), 'ValidationException', /^Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :n$/);
    await rejects(update('SET a = :v', { ':v': { N: '1' } }, undefined, 'begins_with(a, :v)'), 'ValidationException', 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
    await rejects(update('SET a = :v', { ':v': { N: '1' } }, undefined, 'size(a)'), 'ValidationException', 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size');
    await rejects(update('SET a = :v', { ':v': { N: '1' } }, undefined, 'a = a'), 'ValidationException', 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]');
    await rejects(update('SET a = :v', { ':v': { N: '1' } }, undefined, '((a = :v))'), 'ValidationException', 'Invalid ConditionExpression: The expression has redundant parentheses;');
    await rejects(update('SET n = n + :s', { ':s': { S: 'x' } }), 'ValidationException', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S');
    await rejects(update('SET absent.x = :v', { ':v': { S: 'x' } }), 'ValidationException', 'The document path provided in the update expression is invalid for update');
    await rejects(update('SET a = nothing_here', undefined), 'ValidationException', 'The provided expression refers to an attribute that does not exist in the item');
    await rejects(update('ADD n :n', { ':n': { NS: ['1'] } }), 'ValidationException', 'An operand in the update expression has an incorrect data type');
  });

  it('conditions: comparisons, BETWEEN, IN, functions, NOT and parentheses', async () => {
    const db = dynamo(env.endpoint);
    const Key = { pk: { S: 'cond-doc' } };
    await db.send(new PutItemCommand({ TableName: T, Item: { ...Key, n: { N: '10' }, tags: { SS: ['a', 'b'] }, lst: { L: [{ S: 'zero' }, { S: 'one' }, { N: '2' }] }, mp: { M: { deep: { N: '1' } } } } }));
    const ok = (condition: string, values: Record<string, unknown>) =>
      db.send(new UpdateItemCommand({ TableName: T, Key, UpdateExpression: 'SET touched = :t', ConditionExpression: condition, ExpressionAttributeValues: { ...values, ':t': { BOOL: true } } as never }));
    await ok('(n BETWEEN :lo AND :hi) AND attribute_type(tags, :ss)', { ':lo': { N: '0' }, ':hi': { N: '100' }, ':ss': { S: 'SS' } });
    await ok('n IN (:a, :b, :c) OR contains(tags, :t1)', { ':a': { N: '1' }, ':b': { N: '2' }, ':c': { N: '3' }, ':t1': { S: 'b' } });
    await ok('NOT begins_with(pk, :x) AND size(lst) > :two', { ':x': { S: 'zzz' }, ':two': { N: '2' } });
    await ok('mp.deep >= :one AND lst[1] = :one_s AND contains(lst, :two)', { ':one': { N: '1' }, ':one_s': { S: 'one' }, ':two': { N: '2' } });
    await ok('(n > :a) AND (attribute_not_exists(nothing) OR n = :a)', { ':a': { N: '5' } });
    await rejects(ok('n < :low', { ':low': { N: '1' } }), 'ConditionalCheckFailedException');
    await rejects(ok('n = :s', { ':s': { S: '10' } }), 'ConditionalCheckFailedException');
  });

  it('ProjectionExpression picks nested attributes and list elements', async () => {
    const { Item } = await dynamo(env.endpoint).send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'doc' } }, ProjectionExpression: 'mp.nested, lst[1], #n', ExpressionAttributeNames: { '#n': 'n' } }));
    assert.deepEqual(Object.keys(Item!).sort(), ['lst', 'mp', 'n']);
    assert.deepEqual(Item!.lst, { L: [{ N: '3' }] });
    assert.ok(Item!.mp!.M!.nested);
  });
});
