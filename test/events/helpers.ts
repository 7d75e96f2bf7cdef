// EventBridge test helpers: clients for the shared Fogbank, and a queue to watch deliveries in.

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../support/fogbank.js';

export const ACCOUNT = '000000000000';

export function eventsClient(endpoint: string, region = 'us-east-1'): EventBridgeClient {
  return new EventBridgeClient(clientConfig(endpoint, region));
}

export { newQueue, unique } from '../support/queues.js';

/** Every message now in the queue (up to 10), bodies as text. */
export async function receive(sqs: SQSClient, url: string, wait = 0) {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: wait, AttributeNames: ['All'] }));
  return Messages ?? [];
}

/** A local HTTP endpoint for API destinations: records each request and answers as told. */
export async function httpEndpoint(answer: (req: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }) => { status: number; body?: string } = () => ({ status: 200 })) {
  const { createServer } = await import('node:http');
  const requests: Array<{ method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }> = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const { status, body } = answer(recorded);
      res.writeHead(status, { 'content-type': 'application/json' }).end(body ?? '{}');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Waits (real time, up to 3 s) until `count` requests have arrived. */
    async received(count: number) {
      const deadline = Date.now() + 3000;
      while (requests.length < count && Date.now() < deadline) await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 50); });
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls (real time, briefly) until read() gives a value. */
export async function eventually<T>(read: () => Promise<T | undefined>, what = 'the value'): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`${what} never arrived`);
}
