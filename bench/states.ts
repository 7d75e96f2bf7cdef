// Step Functions executions per second, side by side with moto (its executing parser turned on
// through /moto-api/config): a Standard Pass-Choice-Pass machine, and a Standard machine whose one
// Task calls a Lambda function (Fogbank only: moto's Lambda needs Docker). Each run starts
// `executions` executions from `clients` keep-alive connections, then waits until none is RUNNING;
// the figure is executions finished (SUCCEEDED, checked) per second, start of the first to the end
// of the last (the Lambda machine runs in a closed loop of 8 clients, see measureClosedLoop). Usage: node dist/bench/states.js [--executions 3000] [--clients 16] [--runs 3]

import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { zipSync, strToU8 } from 'fflate';
import { median } from './report.js';
import { findMoto, killAllServers, startServer, stopServer, waitForFirstAnswer, type RunningServer } from './servers.js';

const ROLE = 'arn:aws:iam::000000000000:role/bench-sfn';
const TARGET = 500;

const PASS_CHOICE_PASS = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Parameters: { 'n.$': '$.n', kind: 'bench' }, Next: 'Decide' },
    Decide: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThanEquals: 0, Next: 'Done' }], Default: 'Done' },
    Done: { Type: 'Pass', Result: { ok: true }, ResultPath: '$.result', End: true },
  },
};

const lambdaMachine = (functionArn: string) => ({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: functionArn, End: true } } });

/** Signed-looking JSON calls over keep-alive connections (Fogbank and moto ignore signatures). */
class Caller {
  private readonly agent: Agent;
  constructor(
    private readonly port: number,
    connections: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  call<T>(service: 'states' | 'lambda', target: string, input: unknown, path = '/', method = 'POST'): Promise<T> {
    const body = JSON.stringify(input);
    const headers: Record<string, string | number> = {
      'content-type': service === 'states' ? 'application/x-amz-json-1.0' : 'application/json',
      authorization: `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      'content-length': Buffer.byteLength(body),
    };
    if (service === 'states') headers['x-amz-target'] = `AWSStepFunctions.${target}`;
    return new Promise<T>((resolve, reject) => {
      const req = request({ agent: this.agent, host: '127.0.0.1', port: this.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${target}: ${res.statusCode} ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text || '{}') as T);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

interface Run {
  executionsPerSecond: number;
  seconds: number;
}

async function count(caller: Caller, stateMachineArn: string, statusFilter: string): Promise<number> {
  let total = 0;
  let nextToken: string | undefined;
  do {
    const page = await caller.call<{ executions: unknown[]; nextToken?: string }>('states', 'ListExecutions', { stateMachineArn, statusFilter, maxResults: 1000, nextToken });
    total += page.executions.length;
    nextToken = page.nextToken;
  } while (nextToken);
  return total;
}

async function measure(caller: Caller, stateMachineArn: string, executions: number, clients: number): Promise<Run> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < executions) {
        const n = next++;
        await caller.call('states', 'StartExecution', { stateMachineArn, name: `e-${n}`, input: JSON.stringify({ n }) });
      }
    }),
  );
  const deadline = Date.now() + 300_000;
  while ((await count(caller, stateMachineArn, 'RUNNING')) > 0) {
    if (Date.now() > deadline) throw new Error('executions still running after 300 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const succeeded = await count(caller, stateMachineArn, 'SUCCEEDED');
  if (succeeded < executions) {
    const failed = await caller.call<{ executions: Array<{ executionArn: string }> }>('states', 'ListExecutions', { stateMachineArn, statusFilter: 'FAILED', maxResults: 1 });
    const first = failed.executions[0] ? await caller.call<{ error?: string; cause?: string }>('states', 'DescribeExecution', { executionArn: failed.executions[0].executionArn }) : undefined;
    throw new Error(`${executions - succeeded} of ${executions} executions did not succeed; first: ${first?.error} ${first?.cause?.slice(0, 300)}`);
  }
  return { executionsPerSecond: executions / seconds, seconds };
}

/**
 * Closed loop: each client starts an execution and waits for it to end before starting the next,
 * so no more executions call Lambda at once than there are clients (Lambda's per-function worker
 * cap would otherwise answer TooManyRequestsException, as AWS's concurrency limit does).
 */
async function measureClosedLoop(caller: Caller, stateMachineArn: string, executions: number, clients: number): Promise<Run> {
  let next = 0;
  let failed = '';
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < executions) {
        const n = next++;
        const { executionArn } = await caller.call<{ executionArn: string }>('states', 'StartExecution', { stateMachineArn, input: JSON.stringify({ n }) });
        for (;;) {
          const described = await caller.call<{ status: string; error?: string; cause?: string }>('states', 'DescribeExecution', { executionArn });
          if (described.status === 'SUCCEEDED') break;
          if (described.status !== 'RUNNING') {
            failed ||= `${described.status} ${described.error} ${described.cause?.slice(0, 200)}`;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
    }),
  );
  if (failed) throw new Error(`an execution did not succeed: ${failed}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { executionsPerSecond: executions / seconds, seconds };
}

async function createMachine(caller: Caller, definition: unknown, name: string): Promise<string> {
  const out = await caller.call<{ stateMachineArn: string }>('states', 'CreateStateMachine', { name, definition: JSON.stringify(definition), roleArn: ROLE, type: 'STANDARD' });
  return out.stateMachineArn;
}

async function createFunction(caller: Caller): Promise<string> {
  const code = zipSync({ 'index.mjs': strToU8('export const handler = async (event) => ({ doubled: event.n * 2 });') });
  const out = await caller.call<{ FunctionArn: string }>(
    'lambda',
    'CreateFunction',
    { FunctionName: 'bench-double', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/bench-lambda', Code: { ZipFile: Buffer.from(code).toString('base64') }, Timeout: 30 },
    '/2015-03-31/functions',
  );
  return out.FunctionArn;
}

async function series(label: string, runs: number, once: (run: number) => Promise<Run>): Promise<number[]> {
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = await once(i);
    rates.push(result.executionsPerSecond);
    process.stdout.write(`  ${label} run ${i + 1}: ${result.executionsPerSecond.toFixed(0)} executions/s (${result.seconds.toFixed(2)} s)\n`);
  }
  return rates;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { executions: { type: 'string', default: '3000' }, clients: { type: 'string', default: '16' }, runs: { type: 'string', default: '3' }, 'lambda-executions': { type: 'string', default: '1000' } } });
  const executions = Number(values.executions);
  const clients = Number(values.clients);
  const runs = Number(values.runs);
  const rows: Array<[string, string, string, string, string]> = [];
  const fmt = (rates: number[] | string) => (typeof rates === 'string' ? rates : `${median(rates).toFixed(0)} (${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)})`);

  process.stdout.write(`Step Functions: ${executions} executions per run, ${clients} clients, ${runs} runs, Standard machines\n`);
  const fogbank = await startServer('fogbank');
  let fogbankPcp: number[] = [];
  let fogbankLambda: number[] = [];
  try {
    await waitForFirstAnswer(fogbank);
    const caller = new Caller(fogbank.port, clients);
    fogbankPcp = await series('fogbank pass-choice-pass', runs, async (i) => measure(caller, await createMachine(caller, PASS_CHOICE_PASS, `pcp-${i}`), executions, clients));
    const functionArn = await createFunction(caller);
    const lambdaExecutions = Number(values['lambda-executions']);
    fogbankLambda = await series('fogbank lambda task', runs, async (i) => measureClosedLoop(caller, await createMachine(caller, lambdaMachine(functionArn), `lambda-${i}`), lambdaExecutions, Math.min(clients, 8)));
    caller.close();
  } finally {
    await stopServer(fogbank);
  }

  let motoPcp: number[] | string = 'not installed';
  const python = findMoto();
  if (python) {
    let moto: RunningServer | undefined;
    try {
      moto = await startServer('moto', python);
      await waitForFirstAnswer(moto);
      const caller = new Caller(moto.port, clients);
      // moto only records executions unless its parser is switched on.
      await caller.call('states', '', { stepfunctions: { execute_state_machine: true } }, '/moto-api/config');
      // Fewer executions: moto takes several milliseconds per execution.
      const motoExecutions = Math.min(executions, 500);
      motoPcp = await series(`moto ${python.motoVersion} pass-choice-pass`, runs, async (i) => measure(caller, await createMachine(caller, PASS_CHOICE_PASS, `pcp-${i}`), motoExecutions, clients));
      caller.close();
    } catch (error) {
      // moto 5.2.1's executing parser deep-copies the machine on StartExecution, which fails
      // (TypeError: cannot pickle '_thread.RLock') once any execution has run in the process.
      const text = error instanceof Error ? error.message : String(error);
      motoPcp = /^StartExecution: 500/.test(text) ? 'fails: StartExecution answers 500 after its first execution' : `failed: ${text.slice(0, 120)}`;
    } finally {
      if (moto) await stopServer(moto);
    }
  }

  const ratio = typeof motoPcp === 'string' ? '' : `${(median(fogbankPcp) / median(motoPcp)).toFixed(1)}x`;
  rows.push(['Pass-Choice-Pass, Standard (executions/s)', fmt(fogbankPcp), fmt(motoPcp), ratio, `> ${TARGET}: ${median(fogbankPcp) > TARGET ? 'met' : 'MISSED'}`]);
  rows.push(['Lambda task, Standard (executions/s)', fmt(fogbankLambda), 'unavailable (moto runs Lambda in Docker)', '', '']);
  const header: [string, string, string, string, string] = ['Figure', 'Fogbank', 'moto', 'Fogbank/moto', 'Target (Fogbank)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`\n${[line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')}\n`);
  process.stdout.write('Medians of the runs, (min–max). Fogbank persists every execution and history event to SQLite on disk.\n');
}

process.on('exit', killAllServers);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
