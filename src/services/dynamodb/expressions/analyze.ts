// Resolves a parsed expression's #names and :values for one request and applies DynamoDB's
// semantic checks. AWS reports one problem per expression, chosen by a fixed priority between
// kinds of problem (the first of each kind, in expression order, is kept).

import { typeOf, type AttributeValue } from '../values.js';
import { isReserved } from './reserved-words.js';
import { pathText, type Condition, type ConditionFunction, type Operand, type Path, type Update } from './resolved.js';
import { ExpressionError, type ConditionNode, type OperandNode, type PathNode, type UpdateTree } from './syntax.js';

/** The #names and :values of one request, and which of them its expressions used. */
export class ExpressionScope {
  readonly unusedNames: Set<string>;
  readonly unusedValues: Set<string>;

  constructor(
    readonly names: Record<string, string> | undefined,
    readonly values: Record<string, AttributeValue> | undefined,
  ) {
    this.unusedNames = new Set(names ? Object.keys(names) : []);
    this.unusedValues = new Set(values ? Object.keys(values) : []);
  }
}

class Problems {
  private readonly found = new Map<string, string>();

  add(kind: string, message: string): void {
    if (!this.found.has(kind)) this.found.set(kind, message);
  }

  get(kind: string): string | undefined {
    return this.found.get(kind);
  }

  throwFirst(order: readonly string[]): void {
    for (const kind of order) {
      const message = this.found.get(kind);
      if (message !== undefined) throw new ExpressionError(message);
    }
  }
}

const MISSING: AttributeValue = { NULL: true };

class Resolver {
  readonly problems = new Problems();

  constructor(
    private readonly scope: ExpressionScope,
    /** Conditions report missing names and values as one kind of problem; updates as two. */
    private readonly nameKind: string,
    private readonly valueKind: string,
  ) {}

  path(node: PathNode): Path {
    return node.steps.map((step) => {
      if ('index' in step) return step.index;
      if ('name' in step) {
        if (isReserved(step.name)) this.problems.add('reserved', `Attribute name is a reserved keyword; reserved keyword: ${step.name}`);
        return step.name;
      }
      const name = this.scope.names?.[step.ref];
      if (name === undefined) {
        this.problems.add(this.nameKind, `An expression attribute name used in the document path is not defined; attribute name: ${step.ref}`);
        return '';
      }
      this.scope.unusedNames.delete(step.ref);
      return name;
    });
  }

  value(ref: string): AttributeValue {
    const value = this.scope.values?.[ref];
    if (value === undefined) {
      this.problems.add(this.valueKind, `An expression attribute value used in expression is not defined; attribute value: ${ref}`);
      return MISSING;
    }
    this.scope.unusedValues.delete(ref);
    return value;
  }
}

/** The type an operand is known to have before any item is read (null when it depends on the item). */
function staticType(op: Operand, values: boolean): string | null {
  switch (op.kind) {
    case 'value':
      return op.value === MISSING ? null : typeOf(op.value);
    case 'size':
    case '+':
    case '-':
      return values ? null : 'N';
    case 'list_append':
      return values ? null : 'L';
    case 'if_not_exists':
      return values ? null : staticType(op.fallback, false);
    default:
      return null;
  }
}

function samePath(a: Operand, b: Operand): Path | undefined {
  if (a.kind !== 'path' || b.kind !== 'path' || a.path.length !== b.path.length) return undefined;
  return a.path.every((step, i) => step === b.path[i]) ? a.path : undefined;
}

function valueText(v: AttributeValue): string {
  const type = typeOf(v);
  return `{${type}:${String(v[type])}}`;
}

// ---- Conditions ------------------------------------------------------------------------------

const CONDITION_FUNCTIONS: Record<string, number> = { attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2, size: 1 };
const ATTRIBUTE_TYPES = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];

class ConditionAnalyzer {
  private readonly r: Resolver;
  /** Problems of one comparison or function, promoted once: the first leaf with any wins. */
  private leafProblem?: string;

  constructor(scope: ExpressionScope, private readonly compare: (a: AttributeValue, b: AttributeValue) => number) {
    this.r = new Resolver(scope, 'nameValue', 'nameValue');
  }

  run(node: ConditionNode, redundantParens: boolean): Condition {
    const result = this.condition(node);
    if (redundantParens) this.r.problems.add('parens', 'The expression has redundant parentheses;');
    if (this.leafProblem) this.r.problems.add('condition', this.leafProblem);
    this.r.problems.throwFirst(['parens', 'unknownFunction', 'misusedFunction', 'reserved', 'condition']);
    return result;
  }

  private leaf(problems: Map<string, string>): void {
    if (this.leafProblem) return;
    for (const kind of ['nameValue', 'operand', 'distinct', 'function']) {
      const message = kind === 'nameValue' ? this.r.problems.get(kind) : problems.get(kind);
      if (message) {
        this.leafProblem = message;
        return;
      }
    }
  }

  private condition(node: ConditionNode): Condition {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { kind: node.kind, args: [this.condition(node.args[0]), this.condition(node.args[1])] };
      case 'not':
        return { kind: 'not', arg: this.condition(node.arg) };
      case 'operand':
        if (node.operand.kind === 'call') this.r.problems.add('misusedFunction', `The function is not allowed to be used this way in an expression; function: ${node.operand.name}`);
        this.operands([node.operand]);
        return { kind: 'function', name: 'attribute_exists', args: [] };
      case 'call':
        return this.booleanFunction(node.name, node.args);
      case 'compare': {
        const leaf = new Map<string, string>();
        const args = this.operands(node.args, leaf) as [Operand, Operand];
        const same = samePath(args[0], args[1]);
        if (same) leaf.set('distinct', `The first operand must be distinct from the remaining operands for this operator or function; operator: ${node.op}, first operand: ${pathText(same)}`);
        this.leaf(leaf);
        return { kind: 'compare', op: node.op, args };
      }
      case 'between': {
        const leaf = new Map<string, string>();
        const args = this.operands(node.args, leaf) as [Operand, Operand, Operand];
        const [, low, high] = args;
        if (low.kind === 'value' && high.kind === 'value' && low.value !== MISSING && high.value !== MISSING) {
          const tl = typeOf(low.value);
          const th = typeOf(high.value);
          const bounds = `lower bound operand: AttributeValue: ${valueText(low.value)}, upper bound operand: AttributeValue: ${valueText(high.value)}`;
          if (tl !== th) leaf.set('function', `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
          else if ((tl === 'S' || tl === 'N' || tl === 'B') && this.compare(low.value, high.value) > 0) {
            leaf.set('function', `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
          }
        }
        this.leaf(leaf);
        return { kind: 'between', args };
      }
      case 'in': {
        const leaf = new Map<string, string>();
        const args = this.operands(node.args, leaf);
        this.leaf(leaf);
        return { kind: 'in', args };
      }
    }
  }

  /** Operands of a comparison or function: a function other than size may not appear here. */
  private operands(nodes: OperandNode[], leaf = new Map<string, string>()): Operand[] {
    return nodes.map((node) => {
      if (node.kind === 'call' && node.name !== 'size') {
        const known = node.name in CONDITION_FUNCTIONS;
        this.r.problems.add(known ? 'misusedFunction' : 'unknownFunction', known ? `The function is not allowed to be used this way in an expression; function: ${node.name}` : `Invalid function name; function: ${node.name}`);
        this.operands(node.args, leaf);
        return { kind: 'value', value: MISSING };
      }
      return this.operand(node, leaf);
    });
  }

  private operand(node: OperandNode, leaf: Map<string, string>): Operand {
    switch (node.kind) {
      case 'path':
        return { kind: 'path', path: this.r.path(node) };
      case 'value':
        return { kind: 'value', value: this.r.value(node.ref) };
      case 'call': {
        const args = this.operands(node.args, leaf);
        const type = args.length === 1 ? staticType(args[0]!, false) : null;
        if (args.length !== 1) leaf.set('operand', `Incorrect number of operands for operator or function; operator or function: size, number of operands: ${args.length}`);
        else if (type === 'N' || type === 'BOOL' || type === 'NULL') leaf.set('function', `Incorrect operand type for operator or function; operator or function: size, operand type: ${type}`);
        return { kind: 'size', arg: args[0] ?? { kind: 'value', value: MISSING } };
      }
      default:
        throw new ExpressionError(`Syntax error; token: "${node.kind}", near: "${node.kind}"`);
    }
  }

  private booleanFunction(name: string, argNodes: OperandNode[]): Condition {
    const leaf = new Map<string, string>();
    const expected = CONDITION_FUNCTIONS[name];
    const args = this.operands(argNodes, leaf);
    const result: Condition = { kind: 'function', name: name as ConditionFunction, args };
    if (expected === undefined) {
      this.r.problems.add('unknownFunction', `Invalid function name; function: ${name}`);
      return result;
    }
    if (name === 'size') {
      this.r.problems.add('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
      return result;
    }
    if (args.length !== expected) {
      leaf.set('operand', `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    } else {
      const same = args.length === 2 ? samePath(args[0]!, args[1]!) : undefined;
      if (same) leaf.set('distinct', `The first operand must be distinct from the remaining operands for this operator or function; operator: ${name}, first operand: ${pathText(same)}`);
      const problem = functionTypeProblem(name, args);
      if (problem) leaf.set('function', problem);
    }
    this.leaf(leaf);
    return result;
  }
}

function functionTypeProblem(name: string, args: Operand[]): string | undefined {
  const wrongType = (type: string) => `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`;
  switch (name) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      return args[0]!.kind === 'path' ? undefined : `Operator or function requires a document path; operator or function: ${name}`;
    case 'begins_with':
      for (const arg of args) {
        const type = staticType(arg, false);
        if (type && type !== 'S' && type !== 'B') return wrongType(type);
      }
      return undefined;
    case 'attribute_type': {
      const arg = args[1]!;
      const type = staticType(arg, false);
      if (type !== 'S') return wrongType(type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
      const typeName = (arg as { value: AttributeValue }).value.S!;
      if (!ATTRIBUTE_TYPES.includes(typeName)) return `Invalid attribute type name found; type: ${typeName}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`;
      return undefined;
    }
  }
  return undefined;
}

export function analyzeCondition(tree: ConditionNode, redundantParens: boolean, scope: ExpressionScope, compare: (a: AttributeValue, b: AttributeValue) => number): Condition {
  return new ConditionAnalyzer(scope, compare).run(tree, redundantParens);
}

// ---- Paths shared by updates and projections -------------------------------------------------

function checkOverlaps(paths: Path[], problems: Problems): void {
  for (let j = 1; j < paths.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = paths[i]!;
      const b = paths[j]!;
      let k = 0;
      let differs = false;
      for (; k < a.length && k < b.length; k++) {
        if (typeof a[k] !== typeof b[k]) {
          problems.add('pathConflict', `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}`);
          differs = true;
          break;
        }
        if (a[k] !== b[k]) {
          differs = true;
          break;
        }
      }
      if (!differs) {
        problems.add('pathOverlap', `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}`);
        return;
      }
    }
  }
}

// ---- Updates ---------------------------------------------------------------------------------

const TYPE_NAMES: Record<string, string> = { S: 'STRING', N: 'NUMBER', B: 'BINARY', NULL: 'NULL', BOOL: 'BOOLEAN', L: 'LIST', M: 'MAP' };

function updateOperand(node: OperandNode, r: Resolver): Operand {
  switch (node.kind) {
    case 'path':
      return { kind: 'path', path: r.path(node) };
    case 'value':
      return { kind: 'value', value: r.value(node.ref) };
    case '+':
    case '-': {
      const args = [updateOperand(node.args[0], r), updateOperand(node.args[1], r)] as [Operand, Operand];
      for (const arg of args) {
        const type = staticType(arg, true);
        if (type && type !== 'N') r.problems.add('function', `Incorrect operand type for operator or function; operator or function: ${node.kind}, operand type: ${type}`);
      }
      return { kind: node.kind, args };
    }
    case 'call': {
      const args = node.args.map((a) => updateOperand(a, r));
      if (node.name !== 'if_not_exists' && node.name !== 'list_append') {
        r.problems.add('unknownFunction', `Invalid function name; function: ${node.name}`);
        return { kind: 'value', value: MISSING };
      }
      if (args.length !== 2) {
        r.problems.add('function', `Incorrect number of operands for operator or function; operator or function: ${node.name}, number of operands: ${args.length}`);
        return { kind: 'value', value: MISSING };
      }
      if (node.name === 'if_not_exists') {
        if (args[0]!.kind !== 'path') {
          r.problems.add('function', 'Operator or function requires a document path; operator or function: if_not_exists');
          return { kind: 'value', value: MISSING };
        }
        return { kind: 'if_not_exists', path: args[0].path, fallback: args[1]! };
      }
      for (const arg of args) {
        const type = staticType(arg, true);
        if (type && type !== 'L') r.problems.add('function', `Incorrect operand type for operator or function; operator or function: list_append, operand type: ${type}`);
      }
      return { kind: 'list_append', args: args as [Operand, Operand] };
    }
  }
}

export function analyzeUpdate(tree: UpdateTree, scope: ExpressionScope): Update[] {
  const r = new Resolver(scope, 'attrName', 'attrVal');
  if (tree.repeatedSection) r.problems.add('section', `The "${tree.repeatedSection}" section can only be used once in an update expression;`);
  const updates: Update[] = tree.actions.map((action) => {
    const path = r.path(action.path);
    if (action.kind === 'REMOVE') return { kind: 'REMOVE', path };
    if (action.kind === 'SET') return { kind: 'SET', path, value: updateOperand(action.value, r) };
    const value = r.value((action.value as { ref: string }).ref);
    if (value !== MISSING) {
      const type = typeOf(value);
      if (TYPE_NAMES[type] && !(action.kind === 'ADD' && type === 'N')) {
        r.problems.add('operand', `Incorrect operand type for operator or function; operator: ${action.kind}, operand type: ${TYPE_NAMES[type]}`);
      }
    }
    return { kind: action.kind, path, value };
  });
  checkOverlaps(updates.map((u) => u.path), r.problems);
  r.problems.throwFirst(['reserved', 'unknownFunction', 'section', 'attrName', 'attrVal', 'pathOverlap', 'pathConflict', 'operand', 'function']);
  return updates;
}

// ---- Projections -----------------------------------------------------------------------------

export function analyzeProjection(paths: PathNode[], scope: ExpressionScope): Path[] {
  const r = new Resolver(scope, 'nameValue', 'nameValue');
  const resolved = paths.map((p) => r.path(p));
  checkOverlaps(resolved, r.problems);
  r.problems.throwFirst(['reserved', 'nameValue', 'pathOverlap', 'pathConflict']);
  return resolved;
}
