// SQS end to end with batches: producers send batches of ten, consumers receive ten and delete
// them in a batch, over keep-alive HTTP with the JSON protocol, against a queue already holding
// `depth` messages. Reports messages per second through the queue and any message delivered twice
// while its visibility timeout (longer than the run) still held.
// Usage: node dist/bench/sqs.js [--endpoint http://127.0.0.1:4566] [--messages 50000]
//        [--depths 0,10000,100000] [--producers 4] [--consumers 16]
// Without --endpoint it starts a Fogbank process (on disk, in a temporary directory) and stops it after.

import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface SqsPipelineOptions {
  /** Messages sent and consumed during the measured run. */
  messages: number;
  /** Messages already in the queue before the run (kept at that depth while it runs). */
  depth: number;
  producers: number;
  consumers: number;
}

export interface SqsPipelineResult extends SqsPipelineOptions {
  seconds: number;
  messagesPerSecond: number;
  requests: number;
  /** Messages received more than once during the run (their visibility timeout had not passed). */
  duplicates: number;
}

const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0';

class SqsCaller {
  private readonly agent: Agent;
  requests = 0;

  constructor(
    private readonly endpoint: URL,
    connections: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  call<T>(operation: string, input: Record<string, unknown>): Promise<T> {
    const body = JSON.stringify(input);
    this.requests++;
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.endpoint.hostname,
          port: this.endpoint.port,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `AmazonSQS.${operation}`,
            'x-amzn-query-mode': 'true',
            authorization: AUTHORIZATION,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`${operation}: ${res.statusCode} ${text}`));
            else resolve(JSON.parse(text || '{}') as T);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

interface Received {
  Messages?: Array<{ MessageId: string; ReceiptHandle: string }>;
}

async function fill(caller: SqsCaller, QueueUrl: string, count: number, workers: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) {
        const start = next;
        next += 10;
        const n = Math.min(10, count - start);
        const Entries = Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: JSON.stringify({ id: start + i, payload: 'x'.repeat(100) }) }));
        await caller.call('SendMessageBatch', { QueueUrl, Entries });
      }
    }),
  );
}

export async function measureSqsPipeline(endpoint: string, options: SqsPipelineOptions): Promise<SqsPipelineResult> {
  const caller = new SqsCaller(new URL(endpoint), options.producers + options.consumers);
  try {
    const name = `bench-${options.depth}-${Date.now()}`;
    const { QueueUrl } = await caller.call<{ QueueUrl: string }>('CreateQueue', { QueueName: name, Attributes: { VisibilityTimeout: '600' } });
    await fill(caller, QueueUrl, options.depth, 8);
    caller.requests = 0;
    const seen = new Set<string>();
    let duplicates = 0;
    let consumed = 0;
    let finished: bigint | undefined;
    const started = process.hrtime.bigint();
    const producing = fill(caller, QueueUrl, options.messages, options.producers);
    const consuming = Promise.all(
      Array.from({ length: options.consumers }, async () => {
        while (consumed < options.messages) {
          const { Messages } = await caller.call<Received>('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 });
          if (!Messages?.length) continue;
          for (const m of Messages) {
            if (seen.has(m.MessageId)) duplicates++;
            else seen.add(m.MessageId);
          }
          await caller.call('DeleteMessageBatch', { QueueUrl, Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) });
          consumed += Messages.length;
          if (consumed >= options.messages) finished ??= process.hrtime.bigint();
        }
      }),
    );
    await Promise.all([producing, consuming]);
    // Timed to the last delete: receives still parked then end with their wait time, unmeasured.
    const seconds = Number(finished! - started) / 1e9;
    await caller.call('DeleteQueue', { QueueUrl });
    return { ...options, seconds, messagesPerSecond: options.messages / seconds, requests: caller.requests, duplicates };
  } finally {
    caller.close();
  }
}

/** A Fogbank of its own, in a separate process, so the clients here do not share its thread. */
function spawnFogbank(dataDir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const endpoint = /on (http:\/\/\S+)/.exec(output)?.[1];
      if (endpoint && /^Ready\.$/m.test(output)) resolve({ child, endpoint });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`fogbank exited with ${code}:\n${output}`)));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      messages: { type: 'string', default: '50000' },
      depths: { type: 'string', default: '0,10000,100000' },
      producers: { type: 'string', default: '4' },
      consumers: { type: 'string', default: '16' },
    },
  });
  let endpoint = values.endpoint;
  let stop: (() => Promise<void>) | undefined;
  if (!endpoint) {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-bench-sqs-'));
    const server = await spawnFogbank(dir);
    endpoint = server.endpoint;
    stop = async () => {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    };
  }
  try {
    for (const depth of values.depths.split(',').map(Number)) {
      const result = await measureSqsPipeline(endpoint, { messages: Number(values.messages), depth, producers: Number(values.producers), consumers: Number(values.consumers) });
      process.stdout.write(
        `depth ${String(depth).padStart(6)}: ${result.messagesPerSecond.toFixed(0).padStart(6)} msg/s end to end ` +
          `(${result.messages} messages in ${result.seconds.toFixed(2)} s, ${result.requests} requests, ${result.duplicates} duplicates)\n`,
      );
    }
  } finally {
    await stop?.();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
