// Applying resolved update actions to an item. Every right-hand side is computed from the item
// as it was before the update, as DynamoDB does; then SET and ADD/DELETE apply, and list
// elements are removed from the highest index down so earlier removals do not shift later ones.

import { validation } from '../errors.js';
import { addNumbers } from '../numbers.js';
import { typeOf, valuesEqual, type AttributeMap, type AttributeValue } from '../values.js';
import { valueAt } from './paths.js';
import type { Operand, Path, Update } from './resolved.js';

function wrongType(): Error {
  return validation('An operand in the update expression has an incorrect data type');
}

function invalidPath(): Error {
  return validation('The document path provided in the update expression is invalid for update');
}

function evaluate(op: Operand, item: AttributeMap): AttributeValue {
  switch (op.kind) {
    case 'value':
      return op.value;
    case 'path': {
      const v = valueAt(item, op.path);
      if (v === undefined) throw validation('The provided expression refers to an attribute that does not exist in the item');
      return v;
    }
    case 'if_not_exists':
      return valueAt(item, op.path) ?? evaluate(op.fallback, item);
    case 'list_append': {
      const a = evaluate(op.args[0], item);
      const b = evaluate(op.args[1], item);
      if (!a.L || !b.L) throw wrongType();
      return { L: [...a.L, ...b.L] };
    }
    case '+':
    case '-': {
      const a = evaluate(op.args[0], item);
      const b = evaluate(op.args[1], item);
      if (a.N === undefined || b.N === undefined) throw wrongType();
      return { N: addNumbers(a.N, b.N, op.kind === '-') };
    }
    case 'size':
      throw wrongType();
  }
}

/** A copy of the containers along `path` (so the old item stays intact), returning the parent of its last step. */
function parentFor(item: AttributeMap, path: Path, create: boolean): AttributeValue | AttributeMap | undefined {
  if (path.length === 1) return item;
  let container: AttributeMap | AttributeValue[] = item;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i]!;
    const current: AttributeValue | undefined = Array.isArray(container) ? container[step as number] : (container as AttributeMap)[step as string];
    const next = path[i + 1]!;
    if (current === undefined) return create ? undefined : undefined;
    let copy: AttributeValue;
    if (typeof next === 'number') {
      if (!current.L) return undefined;
      copy = { L: [...current.L] };
    } else {
      if (!current.M) return undefined;
      copy = { M: { ...current.M } };
    }
    if (Array.isArray(container)) container[step as number] = copy;
    else (container as AttributeMap)[step as string] = copy;
    container = copy.L ?? copy.M!;
    if (i === path.length - 2) return copy;
  }
  return undefined;
}

function setAt(item: AttributeMap, path: Path, value: AttributeValue): void {
  if (path.length === 1) {
    item[path[0] as string] = value;
    return;
  }
  const parent = parentFor(item, path, true) as AttributeValue | undefined;
  const last = path[path.length - 1]!;
  if (!parent) throw invalidPath();
  if (typeof last === 'number') {
    if (!parent.L) throw invalidPath();
    if (last >= parent.L.length) parent.L.push(value);
    else parent.L[last] = value;
  } else {
    if (!parent.M) throw invalidPath();
    parent.M[last] = value;
  }
}

function removeAt(item: AttributeMap, path: Path): void {
  if (path.length === 1) {
    delete item[path[0] as string];
    return;
  }
  if (valueAt(item, path.slice(0, -1)) === undefined) throw invalidPath();
  const parent = parentFor(item, path, false) as AttributeValue | undefined;
  const last = path[path.length - 1]!;
  if (!parent) throw invalidPath();
  if (typeof last === 'number') {
    if (parent.L && last < parent.L.length) parent.L.splice(last, 1);
  } else if (parent.M) {
    delete parent.M[last];
  }
}

function addTo(existing: AttributeValue | undefined, value: AttributeValue): AttributeValue {
  if (!existing) return value;
  const type = typeOf(value);
  if (type !== typeOf(existing)) throw wrongType();
  if (type === 'N') return { N: addNumbers(existing.N!, value.N!) };
  if (type === 'SS' || type === 'NS' || type === 'BS') {
    const merged = [...existing[type]!];
    for (const v of value[type]!) if (!merged.includes(v)) merged.push(v);
    return { [type]: merged };
  }
  throw wrongType();
}

function deleteFrom(existing: AttributeValue | undefined, value: AttributeValue): AttributeValue | undefined {
  if (!existing) return undefined;
  const type = typeOf(value);
  if (type !== typeOf(existing)) throw wrongType();
  const remove = new Set(value[type] as string[]);
  const left = (existing[type] as string[]).filter((v) => !remove.has(v));
  return left.length ? { [type]: left } : undefined;
}

/** The item after the updates (a new object; `item` itself is not changed). */
export function applyUpdates(item: AttributeMap, updates: readonly Update[]): AttributeMap {
  const computed = updates.map((u) => (u.kind === 'SET' ? evaluate(u.value, item) : undefined));
  const result: AttributeMap = { ...item };
  const removals: Path[] = [];
  updates.forEach((u, i) => {
    switch (u.kind) {
      case 'SET':
        setAt(result, u.path, computed[i]!);
        break;
      case 'REMOVE':
        removals.push(u.path);
        break;
      case 'ADD': {
        const sum = addTo(valueAt(item, u.path), u.value);
        setAt(result, u.path, sum);
        break;
      }
      case 'DELETE': {
        const left = deleteFrom(valueAt(item, u.path), u.value);
        if (left) setAt(result, u.path, left);
        else if (valueAt(result, u.path) !== undefined) removeAt(result, u.path);
        break;
      }
    }
  });
  removals.sort((a, b) => {
    const x = a[a.length - 1];
    const y = b[b.length - 1];
    return typeof x === 'number' && typeof y === 'number' ? y - x : 0;
  });
  for (const path of removals) removeAt(result, path);
  return result;
}

/** Whether two values differ (for UPDATED_* return values and stream records). */
export function changed(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return a !== b;
  return !valuesEqual(a, b);
}
