// Workflow variables (Assign): a scope per execution, and one per Parallel branch or Map
// iteration whose states read the outer variables but assign only their own. The context object
// carries the scope under a symbol key, so JSONPath's `$name` and JSONata's `$name` find it
// without a second parameter threaded through every path evaluation.

import { StatesError } from './errors.js';

export const VARIABLES = Symbol('variables');

/** AWS's limit on one state's Assign, and on any payload a state hands on. */
export const PAYLOAD_LIMIT = 256 * 1024;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class Scope {
  private readonly vars = new Map<string, unknown>();

  constructor(readonly parent?: Scope) {}

  get(name: string): unknown {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) if (scope.vars.has(name)) return scope.vars.get(name);
    return undefined;
  }

  has(name: string): boolean {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) if (scope.vars.has(name)) return true;
    return false;
  }

  /** Every visible variable, inner ones over outer ones (JSONata's bindings). */
  all(): Record<string, unknown> {
    const out: Record<string, unknown> = this.parent ? this.parent.all() : {};
    for (const [name, value] of this.vars) out[name] = value;
    return out;
  }

  /** Assigns the values one state's Assign produced, all at once, after checking their size. */
  assign(values: Record<string, unknown>): void {
    let size = 0;
    for (const [name, value] of Object.entries(values)) size += name.length + JSON.stringify(value ?? null).length;
    if (size > PAYLOAD_LIMIT) throw new StatesError('States.DataLimitExceeded', `The assigned variables exceed the maximum number of bytes service limit.`);
    for (const [name, value] of Object.entries(values)) this.vars.set(name, value);
  }

  /** The variables set in this scope (not the outer ones), for storing. */
  own(): Record<string, unknown> {
    return Object.fromEntries(this.vars);
  }
}

export function isVariableName(name: string): boolean {
  return NAME.test(name) && name.length <= 80 && name !== 'states';
}

/** The scope a context object carries (a new, empty one when none). */
export function scopeOf(context: unknown): Scope | undefined {
  return (context as { [VARIABLES]?: Scope } | undefined)?.[VARIABLES];
}
