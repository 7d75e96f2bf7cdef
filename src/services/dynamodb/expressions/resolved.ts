// Expressions after their #names and :values are resolved for one request: what the evaluator
// and the update engine run.

import type { AttributeValue } from '../values.js';
import type { Comparator } from './syntax.js';

export type PathStep = string | number;
export type Path = PathStep[];

export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; arg: Operand }
  | { kind: 'if_not_exists'; path: Path; fallback: Operand }
  | { kind: 'list_append'; args: [Operand, Operand] }
  | { kind: '+' | '-'; args: [Operand, Operand] };

export type ConditionFunction = 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains';

export type Condition =
  | { kind: 'compare'; op: Comparator; args: [Operand, Operand] }
  | { kind: 'between'; args: [Operand, Operand, Operand] }
  | { kind: 'in'; args: Operand[] }
  | { kind: 'and' | 'or'; args: [Condition, Condition] }
  | { kind: 'not'; arg: Condition }
  | { kind: 'function'; name: ConditionFunction; args: Operand[] };

export type Update =
  | { kind: 'SET'; path: Path; value: Operand }
  | { kind: 'REMOVE'; path: Path }
  | { kind: 'ADD' | 'DELETE'; path: Path; value: AttributeValue };

export function pathText(path: Path): string {
  return `[${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(', ')}]`;
}
