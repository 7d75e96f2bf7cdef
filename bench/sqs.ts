// SQS and SNS side by side: Fogbank (persistent, its default) and moto's server, one after the
// other, each on its own. Workloads, all over keep-alive HTTP with 16 concurrent clients:
// SendMessage; SendMessageBatch of ten; a drain of a queue already holding 4,000 messages
// (ReceiveMessage of ten, then DeleteMessageBatch); SNS Publish to a topic with an SQS subscriber
// (every publish is checked to have arrived); and the end-to-end pipeline (producers sending
// batches while consumers receive and delete them) at queue depths up to 100,000. Every receive is
// checked for messages delivered twice while their visibility timeout (longer than the run) held.
// moto gets time caps: it drains tens of messages per second, so its runs stop at the cap and
// report what they did until then.
// Usage: node dist/bench/sqs.js [--seconds 5] [--clients 16] [--messages 50000]
//        [--depths 0,10000,100000] [--drain-depth 4000] [--moto-cap 20] [--skip moto]

import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { findMoto, killAllServers, startServer, stopServer, waitForFirstAnswer } from './servers.js';

const TARGET = 5_000;

/** One server's client: the SQS JSON protocol and SNS's query protocol over a keep-alive pool. */
class Caller {
  private readonly agent: Agent;
  requests = 0;
  /** Calls that failed (moto drops connections under load); the loops go on without them. */
  errors = 0;

  constructor(
    private readonly port: number,
    connections: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  private send(headers: Record<string, string>, body: string): Promise<string> {
    this.requests++;
    return new Promise((resolve, reject) => {
      const req = request(
        { agent: this.agent, host: '127.0.0.1', port: this.port, method: 'POST', path: '/', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`${res.statusCode} ${text.slice(0, 300)}`));
            else resolve(text);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async sqs<T>(operation: string, input: Record<string, unknown>): Promise<T> {
    const text = await this.send(
      {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${operation}`,
        'x-amzn-query-mode': 'true',
        authorization: authorization('sqs'),
      },
      JSON.stringify(input),
    );
    return JSON.parse(text || '{}') as T;
  }

  /** An SNS query call; answers the XML text. */
  sns(action: string, params: Record<string, string>): Promise<string> {
    const body = new URLSearchParams({ Action: action, Version: '2010-03-31', ...params }).toString();
    return this.send({ 'content-type': 'application/x-www-form-urlencoded', authorization: authorization('sns') }, body);
  }

  close(): void {
    this.agent.destroy();
  }
}

function authorization(service: string): string {
  return `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

interface Received {
  Messages?: Array<{ MessageId: string; ReceiptHandle: string }>;
}

const body = (id: number): string => JSON.stringify({ id, payload: 'x'.repeat(100) });
let queues = 0;

async function newQueue(caller: Caller, label: string): Promise<string> {
  const { QueueUrl } = await caller.sqs<{ QueueUrl: string }>('CreateQueue', { QueueName: `bench-${label}-${++queues}-${Date.now()}`, Attributes: { VisibilityTimeout: '600' } });
  return QueueUrl;
}

/** Sends `count` messages in batches of ten (stopping at `capSeconds`); answers how many it sent. */
/** Deletes a workload's queue, so what it left behind does not weigh on the next workload. */
async function forget(caller: Caller, QueueUrl: string): Promise<void> {
  await caller.sqs('DeleteQueue', { QueueUrl }).catch(() => caller.errors++);
}

async function fill(caller: Caller, QueueUrl: string, count: number, workers: number, capSeconds = Infinity): Promise<number> {
  let next = 0;
  let sent = 0;
  const until = performance.now() + capSeconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count && performance.now() < until) {
        const start = next;
        next += 10;
        const Entries = Array.from({ length: Math.min(10, count - start) }, (_, i) => ({ Id: `e${i}`, MessageBody: body(start + i) }));
        if (await caller.sqs('SendMessageBatch', { QueueUrl, Entries }).then(() => true, () => (caller.errors++, false))) sent += Entries.length;
      }
    }),
  );
  return sent;
}

/** Runs `clients` loops of `step` (which answers how many messages it moved) for `seconds`; messages per second. */
async function forSeconds(caller: Caller, seconds: number, clients: number, step: () => Promise<number>): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let moved = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const n = await step().catch(() => (caller.errors++, 0));
        moved += n;
      }
    }),
  );
  return moved / ((performance.now() - started) / 1000);
}

/** Receives ten and deletes them in a batch, counting messages seen twice. */
function consumer(caller: Caller, QueueUrl: string, seen: Set<string>, counts: { consumed: number; duplicates: number }, waitSeconds: number) {
  return async (): Promise<number> => {
    const { Messages } = await caller.sqs<Received>('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds });
    if (!Messages?.length) return 0;
    for (const m of Messages) {
      if (seen.has(m.MessageId)) counts.duplicates++;
      else seen.add(m.MessageId);
    }
    await caller.sqs('DeleteMessageBatch', { QueueUrl, Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) });
    counts.consumed += Messages.length;
    return Messages.length;
  };
}

interface Drained {
  perSecond: number;
  consumed: number;
  duplicates: number;
  capped: boolean;
}

/** Consumers drain `total` messages (or run until `capSeconds`) while `producing` runs beside them. */
async function drain(caller: Caller, QueueUrl: string, total: number, clients: number, capSeconds: number, longPoll = false): Promise<Drained> {
  const seen = new Set<string>();
  const counts = { consumed: 0, duplicates: 0 };
  const step = consumer(caller, QueueUrl, seen, counts, longPoll ? 1 : 0);
  const until = performance.now() + capSeconds * 1000;
  const started = performance.now();
  let finished: number | undefined;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (counts.consumed < total && performance.now() < until) {
        await step().catch(() => caller.errors++);
        if (counts.consumed >= total) finished ??= performance.now();
      }
    }),
  );
  const seconds = ((finished ?? performance.now()) - started) / 1000;
  return { perSecond: counts.consumed / seconds, consumed: counts.consumed, duplicates: counts.duplicates, capped: finished === undefined };
}

export interface SqsBenchOptions {
  seconds: number;
  clients: number;
  messages: number;
  depths: number[];
  drainDepth: number;
  motoCapSeconds: number;
}

type Row = { name: string; fogbank?: string; moto?: string; ratio?: string; target?: string };

async function measure(kind: 'fogbank' | 'moto', port: number, o: SqsBenchOptions, log: (line: string) => void) {
  const caller = new Caller(port, o.clients + 8);
  const cap = kind === 'moto' ? o.motoCapSeconds : 600;
  const out: Record<string, { perSecond: number; note: string }> = {};
  try {
    const single = await newQueue(caller, 'send');
    let n = 0;
    out.send = { perSecond: await forSeconds(caller, o.seconds, o.clients, async () => (await caller.sqs('SendMessage', { QueueUrl: single, MessageBody: body(n++) }), 1)), note: '' };
    log(`${kind} SendMessage: ${out.send.perSecond.toFixed(0)} msg/s`);
    await forget(caller, single);
    const batched = await newQueue(caller, 'batch');
    const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: body(i) }));
    out.batch = { perSecond: await forSeconds(caller, o.seconds, o.clients, async () => (await caller.sqs('SendMessageBatch', { QueueUrl: batched, Entries: entries }), 10)), note: '' };
    log(`${kind} SendMessageBatch: ${out.batch.perSecond.toFixed(0)} msg/s`);
    await forget(caller, batched);

    const deep = await newQueue(caller, 'drain');
    const queued = await fill(caller, deep, o.drainDepth, 8, cap * 3);
    const drained = await drain(caller, deep, queued, o.clients, cap);
    const partial = queued < o.drainDepth ? ` (of ${queued} queued in the ${cap * 3} s fill cap)` : '';
    out.drain = { perSecond: drained.perSecond, note: `${drained.consumed} drained${drained.capped ? ` in the ${cap} s cap` : ''}${partial}, ${drained.duplicates} duplicates` };
    log(`${kind} drain of ${o.drainDepth}: ${drained.perSecond.toFixed(0)} msg/s (${out.drain.note})`);
    await forget(caller, deep);

    const subscriber = await newQueue(caller, 'sns');
    const { Attributes } = await caller.sqs<{ Attributes: { QueueArn: string } }>('GetQueueAttributes', { QueueUrl: subscriber, AttributeNames: ['QueueArn'] });
    const topicArn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(await caller.sns('CreateTopic', { Name: `bench-topic-${Date.now()}` }))![1]!;
    await caller.sns('Subscribe', { TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes.QueueArn });
    let published = 0;
    const publishRate = await forSeconds(caller, o.seconds, o.clients, async () => {
      await caller.sns('Publish', { TopicArn: topicArn, Message: body(published) });
      published++;
      return 1;
    });
    const arrived = await drain(caller, subscriber, published, o.clients, cap);
    out.publish = { perSecond: publishRate, note: `${arrived.consumed - arrived.duplicates} of ${published} delivered, ${arrived.duplicates} duplicates` };
    log(`${kind} SNS Publish to SQS: ${publishRate.toFixed(0)} publishes/s (${out.publish.note})`);
    await forget(caller, subscriber);

    // moto fills a deep queue at tens of messages per second: it runs the empty-queue case only.
    for (const depth of kind === 'moto' ? o.depths.filter((d) => d === 0) : o.depths) {
      const QueueUrl = await newQueue(caller, `e2e-${depth}`);
      await fill(caller, QueueUrl, depth, 8);
      const messages = kind === 'moto' ? Math.min(o.messages, 5_000) : o.messages;
      const producing = fill(caller, QueueUrl, messages, 4, cap);
      const result = await drain(caller, QueueUrl, messages, o.clients, cap, true);
      await producing;
      out[`e2e-${depth}`] = { perSecond: result.perSecond, note: `${result.consumed} messages${result.capped ? ` in the ${cap} s cap` : ''}, ${result.duplicates} duplicates` };
      log(`${kind} end to end at depth ${depth}: ${result.perSecond.toFixed(0)} msg/s (${out[`e2e-${depth}`]!.note})`);
      await forget(caller, QueueUrl);
    }
    if (caller.errors > 0) log(`${kind}: ${caller.errors} calls failed (dropped connections or errors) and were not counted`);
  } finally {
    caller.close();
  }
  return out;
}

function table(rows: Row[]): string {
  const header: Row = { name: 'Figure', fogbank: 'Fogbank', moto: 'moto', ratio: 'Fogbank/moto', target: 'Target (Fogbank)' };
  const keys = ['name', 'fogbank', 'moto', 'ratio', 'target'] as const;
  const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => (r[k] ?? '').length)));
  const line = (r: Row) => `| ${keys.map((k, i) => (r[k] ?? '').padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export async function runSqsBench(o: SqsBenchOptions, skip: string[], log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<string> {
  const python = skip.includes('moto') ? undefined : findMoto();
  const results: Partial<Record<'fogbank' | 'moto', Awaited<ReturnType<typeof measure>>>> = {};
  for (const kind of ['fogbank', 'moto'] as const) {
    if (kind === 'moto' && !python) {
      log('moto is not measured (skipped, or not importable by python3: pip install "moto[server]")');
      continue;
    }
    const server = await startServer(kind, python);
    try {
      await waitForFirstAnswer(server);
      results[kind] = await measure(kind, server.port, o, log);
    } finally {
      await stopServer(server);
    }
  }
  const label: Record<string, string> = {
    send: `SendMessage, ${o.clients} clients`,
    batch: `SendMessageBatch of 10, ${o.clients} clients`,
    drain: `Drain of ${o.drainDepth.toLocaleString('en')} queued (receive 10, delete batch), ${o.clients} consumers`,
    publish: `SNS Publish to an SQS subscriber, ${o.clients} clients`,
    ...Object.fromEntries(o.depths.map((d) => [`e2e-${d}`, `End to end with batches, depth ${d.toLocaleString('en')}`])),
  };
  const rows: Row[] = Object.entries(label).map(([key, name]) => {
    const f = results.fogbank?.[key];
    const m = results.moto?.[key];
    const unit = key === 'publish' ? 'publishes/s' : 'msg/s';
    const show = (v?: { perSecond: number; note: string }) => (v ? `${v.perSecond.toFixed(0)} ${unit}${v.note ? ` (${v.note})` : ''}` : 'not run');
    return {
      name,
      fogbank: show(f),
      moto: show(m),
      ratio: f && m && m.perSecond > 0 ? `${(f.perSecond / m.perSecond).toFixed(1)}x` : '',
      target: key.startsWith('e2e') && f ? `> ${TARGET} msg/s, 0 duplicates: ${f.perSecond > TARGET && /, 0 duplicates/.test(f.note) ? 'met' : 'MISSED'}` : '',
    };
  });
  const text = table(rows);
  log(`\n${text}\n`);
  return text;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      clients: { type: 'string', default: '16' },
      messages: { type: 'string', default: '50000' },
      depths: { type: 'string', default: '0,10000,100000' },
      'drain-depth': { type: 'string', default: '4000' },
      'moto-cap': { type: 'string', default: '20' },
      skip: { type: 'string', default: '' },
    },
  });
  await runSqsBench(
    {
      seconds: Number(values.seconds),
      clients: Number(values.clients),
      messages: Number(values.messages),
      depths: values.depths.split(',').map(Number),
      drainDepth: Number(values['drain-depth']),
      motoCapSeconds: Number(values['moto-cap']),
    },
    values.skip.split(',').filter(Boolean),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.once('SIGINT', () => {
    killAllServers();
    process.exit(130);
  });
  process.once('SIGTERM', () => {
    killAllServers();
    process.exit(143);
  });
  process.once('exit', killAllServers);
  main().catch((error: unknown) => {
    console.error(error);
    killAllServers();
    process.exit(1);
  });
}
