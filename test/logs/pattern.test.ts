// The filter-pattern engine, case by case, through FilterLogEvents (and TestMetricFilter for the
// fields space-delimited patterns extract). Examples follow AWS's filter-pattern documentation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterLogEventsCommand, TestMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useFogbank } from '../support/fogbank.js';
import { createGroupWithStreams, logsClient, put, rejectsWith, unique } from './helpers.js';

const env = useFogbank();

const MESSAGES = [
  '', // index 0 unused, so the numbers below read as message numbers
  '[ERROR] A fatal exception has occurred',
  'Exiting with ERRORCODE: -1',
  'ERROR WARN message',
  'WARN message',
  '[WARN] Failed to process the request',
  JSON.stringify({
    eventType: 'UpdateTrail',
    sourceIPAddress: '111.111.111.111',
    arrayKey: ['value', 'another value'],
    objectList: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }],
    SomeObject: null,
    ThisFlag: true,
    latency: 150,
    level: 'ERROR',
  }),
  JSON.stringify({ level: 'INFO', latency: 50, user: { id: 1, email: 'John.Stiles@example.com' }, a: 1, b: 'x' }),
  JSON.stringify({ level: 'ERROR', latency: 'slow', a: 1, b: 'y' }),
  '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
  '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /index.html HTTP/1.0" 404 5324',
  '10.0.0.2 - bob [10/Oct/2000:13:50:35 -0700] "POST /api HTTP/1.0" 403 500',
];

const logs = () => logsClient(env.endpoint);
let ready: Promise<string> | undefined;

/** The group holding MESSAGES, written on first use (once the file's Fogbank is up). */
function messagesGroup(): Promise<string> {
  ready ??= (async () => {
    const group = unique('patterns');
    await createGroupWithStreams(logs(), group, ['s']);
    const now = env.fogbank.clock.now();
    await put(logs(), group, 's', MESSAGES.slice(1).map((message, i) => ({ timestamp: now - 1000 + i, message })));
    return group;
  })();
  return ready;
}

/** The numbers of the messages the pattern matches. */
async function matching(filterPattern: string): Promise<number[]> {
  const group = await messagesGroup();
  const { events } = await logs().send(new FilterLogEventsCommand({ logGroupName: group, filterPattern }));
  return events!.map((e) => MESSAGES.indexOf(e.message!));
}

async function invalid(filterPattern: string, message = 'Invalid filter pattern'): Promise<void> {
  const group = await messagesGroup();
  await rejectsWith(logs().send(new FilterLogEventsCommand({ logGroupName: group, filterPattern })), 'InvalidParameterException', message);
}

describe('filter patterns: terms in unstructured events', () => {
  it('an empty pattern matches everything', async () => {
    assert.deepEqual(await matching(''), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual(await matching('  '), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('a term matches anywhere in the message, case-sensitively', async () => {
    assert.deepEqual(await matching('ERROR'), [1, 2, 3, 6, 8]);
    assert.deepEqual(await matching('error'), []);
  });

  it('all terms must match', async () => {
    assert.deepEqual(await matching('ERROR WARN'), [3]);
    assert.deepEqual(await matching('Failed request'), [5]);
  });

  it('"quoted phrases" match exactly, and may hold any characters', async () => {
    assert.deepEqual(await matching('"Failed to process the request"'), [5]);
    assert.deepEqual(await matching('"process request"'), []);
    assert.deepEqual(await matching('"GET /index.html"'), [10]);
  });

  it('-term excludes, also written apart from its term', async () => {
    assert.deepEqual(await matching('ERROR -WARN'), [1, 2, 6, 8]);
    assert.deepEqual(await matching('"ERROR" - "Exiting"'), [1, 3, 6, 8]);
  });

  it('?term gives alternatives', async () => {
    assert.deepEqual(await matching('?ERROR ?WARN'), [1, 2, 3, 4, 5, 6, 8]);
    assert.deepEqual(await matching('?Exiting ?Failed'), [2, 5]);
  });

  it('%regex% terms search the message', async () => {
    assert.deepEqual(await matching('%ERRORCODE|Failed%'), [2, 5]);
    assert.deepEqual(await matching('%^WARN%'), [4]);
  });

  it('unquoted terms with other characters, and unclosed quotes, are rejected', async () => {
    await invalid('user@example.com', "Invalid character(s) in term 'user@example.com'");
    await invalid('"unterminated');
  });
});

describe('filter patterns: JSON events', () => {
  it('compares strings and numbers', async () => {
    assert.deepEqual(await matching('{ $.level = "ERROR" }'), [6, 8]);
    assert.deepEqual(await matching('{$.level=ERROR}'), [6, 8]);
    assert.deepEqual(await matching('{ $.latency > 100 }'), [6]);
    assert.deepEqual(await matching('{ $.latency <= 50 }'), [7]);
    assert.deepEqual(await matching('{ $.latency != 150 }'), [7]);
  });

  it('combines conditions with && and || and parentheses, && binding tighter', async () => {
    assert.deepEqual(await matching('{ ($.a = 1) && ($.b = "x") }'), [7]);
    assert.deepEqual(await matching('{ $.a = 1 && $.b = "y" || $.level = "INFO" }'), [7, 8]);
    assert.deepEqual(await matching('{ $.a = 1 && ($.b = "y" || $.level = "INFO") }'), [7, 8]);
    assert.deepEqual(await matching('{ ($.level = "ERROR" || $.level = "INFO") && $.latency < 100 }'), [7]);
  });

  it('IS NULL, NOT EXISTS, IS TRUE', async () => {
    assert.deepEqual(await matching('{ $.SomeObject IS NULL }'), [6]);
    assert.deepEqual(await matching('{ $.SomeOtherObject NOT EXISTS }'), [6, 7, 8]);
    assert.deepEqual(await matching('{ $.ThisFlag IS TRUE }'), [6]);
    assert.deepEqual(await matching('{ $.ThisFlag IS FALSE }'), []);
  });

  it('wildcards at the start or end of a string value', async () => {
    assert.deepEqual(await matching('{ $.eventType = "Update*" }'), [6]);
    assert.deepEqual(await matching('{ $.eventType = "*Trail" }'), [6]);
    assert.deepEqual(await matching('{ $.eventType = Up*ail }'), []);
    assert.deepEqual(await matching('{ $.sourceIPAddress != 123.123.* }'), [6]);
    assert.deepEqual(await matching('{ $.latency = * }'), [6, 7, 8]);
  });

  it('array elements and nested properties; selectors at objects or arrays never match', async () => {
    assert.deepEqual(await matching('{ $.arrayKey[0] = "value" }'), [6]);
    assert.deepEqual(await matching('{ $.objectList[1].id = 2 }'), [6]);
    assert.deepEqual(await matching('{ $.user.email = "John.Stiles@example.com" }'), [7]);
    assert.deepEqual(await matching('{ $.objectList = 1 }'), []);
    assert.deepEqual(await matching('{ $.objectList != 1 }'), []);
  });

  it('%regex% values', async () => {
    assert.deepEqual(await matching('{ $.level = %ERR|INF% }'), [6, 7, 8]);
  });

  it('malformed JSON patterns are rejected', async () => {
    await invalid('{ $.level = "ERROR"', "If a filter pattern starts with '{' it must end with '}'");
    await invalid('{ level = 1 }');
    await invalid('{ $.a > "x" }');
    await invalid('{ $.a = 1 && }');
    await invalid('{ ($.a = 1 }');
    await invalid('{ }');
  });
});

describe('filter patterns: space-delimited events', () => {
  it('names every field; without "..." the field count must agree', async () => {
    assert.deepEqual(await matching('[ip, user, username, timestamp, request, status_code, bytes]'), [9, 10, 11]);
    assert.deepEqual(await matching('[ip, user, username, timestamp, request, status_code]'), [1, 5]);
  });

  it('conditions on fields: wildcards, numbers, && and || on the same field', async () => {
    assert.deepEqual(await matching('[ip, user, username, timestamp, request, status_code = 4*, bytes]'), [10, 11]);
    assert.deepEqual(await matching('[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]'), [10]);
    assert.deepEqual(await matching('[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]'), [10]);
    assert.deepEqual(await matching('[w1 = ERROR || w1 = WARN, w2, w3]'), [3]);
  });

  it('"..." stands for any number of fields', async () => {
    assert.deepEqual(await matching('[ip, user, ..., status_code = 200, bytes > 1000]'), [9]);
    assert.deepEqual(await matching('[..., status_code != 403, bytes > 1000]'), [9, 10]);
    assert.deepEqual(await matching('[w1 = ERROR || w1 = WARN, ...]'), [1, 3, 4, 5]);
    assert.deepEqual(await matching('[ip = %^10\\.%, ...]'), [11]);
  });

  it('malformed delimited patterns, and conditions across fields, are rejected', async () => {
    await invalid('[ip, user');
    await invalid('[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]');
    await invalid('[ip = ]');
  });

  it('TestMetricFilter reports the fields a delimited pattern extracts', async () => {
    const named = await logs().send(new TestMetricFilterCommand({ filterPattern: '[ip, user, username, timestamp, request, status_code, bytes]', logEventMessages: [MESSAGES[9]!, 'no match'] }));
    assert.deepEqual(named.matches, [
      {
        eventNumber: 1,
        eventMessage: MESSAGES[9],
        extractedValues: {
          $ip: '127.0.0.1',
          $user: '-',
          $username: 'frank',
          $timestamp: '10/Oct/2000:13:25:15 -0700',
          $request: 'GET /apache_pb.gif HTTP/1.0',
          $status_code: '200',
          $bytes: '1534',
        },
      },
    ]);
    const positional = await logs().send(new TestMetricFilterCommand({ filterPattern: '[..., request=*.html*, status_code=4*,]', logEventMessages: [MESSAGES[9]!, MESSAGES[10]!] }));
    assert.deepEqual(positional.matches, [
      {
        eventNumber: 2,
        eventMessage: MESSAGES[10],
        extractedValues: { $1: '127.0.0.1', $2: '-', $3: 'frank', $4: '10/Oct/2000:13:35:22 -0700', $request: 'GET /index.html HTTP/1.0', $status_code: '404', $7: '5324' },
      },
    ]);
    const terms = await logs().send(new TestMetricFilterCommand({ filterPattern: 'ERROR', logEventMessages: ['an ERROR', 'fine'] }));
    assert.deepEqual(terms.matches, [{ eventNumber: 1, eventMessage: 'an ERROR', extractedValues: {} }]);
  });
});
