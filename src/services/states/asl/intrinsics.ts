// Intrinsic functions (States.Format, States.Array, ...): parsed from a `.$` field's string and
// evaluated against the state's input and the context object.

import { createHash, randomInt, randomUUID } from 'node:crypto';
import { runtimeError } from './errors.js';
import { selectPath } from './jsonpath.js';

type Arg = { kind: 'literal'; value: unknown } | { kind: 'path'; path: string } | { kind: 'call'; name: string; args: Arg[] };

export function isIntrinsic(text: string): boolean {
  return /^States\.[A-Za-z0-9]+\(/.test(text.trim());
}

export function evaluateIntrinsic(text: string, input: unknown, context: unknown): unknown {
  const parser = new Parser(text.trim());
  const call = parser.call();
  parser.end();
  return evaluate(call, input, context);
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  call(): Arg & { kind: 'call' } {
    const m = /^States\.([A-Za-z0-9]+)\(/.exec(this.s.slice(this.i));
    if (!m) throw this.fail('expected an intrinsic function');
    this.i += m[0].length;
    const args: Arg[] = [];
    this.space();
    if (this.s[this.i] === ')') {
      this.i++;
      return { kind: 'call', name: m[1]!, args };
    }
    for (;;) {
      args.push(this.arg());
      this.space();
      const c = this.s[this.i++];
      if (c === ')') return { kind: 'call', name: m[1]!, args };
      if (c !== ',') throw this.fail(`expected ',' or ')'`);
    }
  }

  end(): void {
    this.space();
    if (this.i !== this.s.length) throw this.fail('unexpected text after the function');
  }

  private arg(): Arg {
    this.space();
    const rest = this.s.slice(this.i);
    if (rest.startsWith('States.')) return this.call();
    if (rest[0] === "'") return { kind: 'literal', value: this.string() };
    if (rest[0] === '$') {
      let j = this.i;
      let depth = 0;
      let quote = false;
      for (; j < this.s.length; j++) {
        const c = this.s[j];
        if (quote) {
          if (c === "'") quote = false;
          continue;
        }
        if (c === "'") quote = true;
        else if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (depth === 0 && (c === ',' || c === ')')) break;
      }
      const path = this.s.slice(this.i, j).trim();
      this.i = j;
      return { kind: 'path', path };
    }
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(rest);
    if (!m) throw this.fail('expected an argument');
    this.i += m[0].length;
    return { kind: 'literal', value: JSON.parse(m[0]) };
  }

  private string(): string {
    let out = '';
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i++];
      if (c === '\\') out += this.s[this.i++] ?? '';
      else if (c === "'") return out;
      else out += c;
    }
    throw this.fail('unterminated string');
  }

  private space(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  private fail(why: string) {
    return runtimeError(`The value for the field is not a valid intrinsic function: ${why} in '${this.s}'`);
  }
}

function evaluate(arg: Arg, input: unknown, context: unknown): unknown {
  if (arg.kind === 'literal') return arg.value;
  if (arg.kind === 'path') return selectPath(arg.path, input, context);
  const fn = FUNCTIONS[arg.name];
  if (!fn) throw runtimeError(`The intrinsic function States.${arg.name} is not supported`);
  return fn(arg.args.map((a) => evaluate(a, input, context)), `States.${arg.name}`);
}

function need(ok: boolean, name: string, why: string): void {
  if (!ok) throw runtimeError(`Invalid arguments in ${name}: ${why}`);
}

function argCount(args: unknown[], n: number, name: string): void {
  need(args.length === n, name, `expected ${n} argument(s), got ${args.length}`);
}

const FUNCTIONS: Record<string, (args: unknown[], name: string) => unknown> = {
  Format(args, name) {
    need(typeof args[0] === 'string', name, 'the first argument must be a string');
    let n = 1;
    const out = (args[0] as string).replace(/\\?\{\}/g, (m) => {
      if (m.startsWith('\\')) return '{}';
      need(n < args.length, name, 'more placeholders than arguments');
      const v = args[n++];
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
    need(n === args.length, name, 'more arguments than placeholders');
    return out;
  },
  StringToJson(args, name) {
    argCount(args, 1, name);
    need(typeof args[0] === 'string', name, 'the argument must be a string');
    try {
      return JSON.parse(args[0] as string);
    } catch {
      throw runtimeError(`Invalid arguments in ${name}: the string is not valid JSON`);
    }
  },
  JsonToString(args, name) {
    argCount(args, 1, name);
    return JSON.stringify(args[0]);
  },
  Array: (args) => args,
  ArrayPartition(args, name) {
    argCount(args, 2, name);
    const [array, size] = args as [unknown[], number];
    need(Array.isArray(array) && Number.isInteger(size) && size > 0, name, 'expected an array and a positive chunk size');
    const out: unknown[][] = [];
    for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
    return out;
  },
  ArrayContains(args, name) {
    argCount(args, 2, name);
    need(Array.isArray(args[0]), name, 'the first argument must be an array');
    return (args[0] as unknown[]).some((v) => JSON.stringify(v) === JSON.stringify(args[1]));
  },
  ArrayRange(args, name) {
    argCount(args, 3, name);
    const [start, end, stepBy] = args as number[];
    need([start, end, stepBy].every(Number.isInteger) && stepBy !== 0, name, 'expected integer start, end and a non-zero step');
    const out: number[] = [];
    for (let v = start!; stepBy! > 0 ? v <= end! : v >= end!; v += stepBy!) {
      out.push(v);
      need(out.length <= 1000, name, 'the range has more than 1000 items');
    }
    return out;
  },
  ArrayGetItem(args, name) {
    argCount(args, 2, name);
    need(Array.isArray(args[0]) && Number.isInteger(args[1]), name, 'expected an array and an index');
    return (args[0] as unknown[])[args[1] as number] ?? null;
  },
  ArrayLength(args, name) {
    argCount(args, 1, name);
    need(Array.isArray(args[0]), name, 'the argument must be an array');
    return (args[0] as unknown[]).length;
  },
  ArrayUnique(args, name) {
    argCount(args, 1, name);
    need(Array.isArray(args[0]), name, 'the argument must be an array');
    const seen = new Set<string>();
    return (args[0] as unknown[]).filter((v) => {
      const key = JSON.stringify(v);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
  Base64Encode(args, name) {
    argCount(args, 1, name);
    need(typeof args[0] === 'string', name, 'the argument must be a string');
    return Buffer.from(args[0] as string, 'utf8').toString('base64');
  },
  Base64Decode(args, name) {
    argCount(args, 1, name);
    need(typeof args[0] === 'string', name, 'the argument must be a string');
    return Buffer.from(args[0] as string, 'base64').toString('utf8');
  },
  Hash(args, name) {
    argCount(args, 2, name);
    const algorithms: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
    const algorithm = algorithms[String(args[1])];
    need(!!algorithm, name, `unsupported algorithm ${String(args[1])}`);
    const data = typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
    return createHash(algorithm!).update(data).digest('hex');
  },
  JsonMerge(args, name) {
    argCount(args, 3, name);
    need(args[2] === false, name, 'only shallow merge (false) is supported');
    need(isPlain(args[0]) && isPlain(args[1]), name, 'both arguments must be objects');
    return { ...(args[0] as object), ...(args[1] as object) };
  },
  MathRandom(args, name) {
    need(args.length === 2 || args.length === 3, name, 'expected start, end and an optional seed');
    const [start, end] = args as number[];
    need(Number.isInteger(start) && Number.isInteger(end) && end! > start!, name, 'expected integers start < end');
    return randomInt(start!, end!);
  },
  MathAdd(args, name) {
    argCount(args, 2, name);
    need(typeof args[0] === 'number' && typeof args[1] === 'number', name, 'both arguments must be numbers');
    return (args[0] as number) + (args[1] as number);
  },
  StringSplit(args, name) {
    argCount(args, 2, name);
    need(typeof args[0] === 'string' && typeof args[1] === 'string', name, 'both arguments must be strings');
    const delimiters = new Set([...(args[1] as string)]);
    const out: string[] = [];
    let current = '';
    for (const c of args[0] as string) {
      if (delimiters.has(c)) {
        if (current) out.push(current);
        current = '';
      } else current += c;
    }
    if (current) out.push(current);
    return out;
  },
  UUID(args, name) {
    argCount(args, 0, name);
    return randomUUID();
  },
};

function isPlain(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
