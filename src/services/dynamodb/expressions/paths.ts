// Document paths over items: reading a value, and projecting an item onto a set of paths (as
// ProjectionExpression, AttributesToGet and the UPDATED_* return values do).

import type { AttributeMap, AttributeValue } from '../values.js';
import type { Path } from './resolved.js';

export function valueAt(item: AttributeMap, path: Path): AttributeValue | undefined {
  let value: AttributeValue | undefined = item[path[0] as string];
  for (let i = 1; i < path.length && value !== undefined; i++) {
    const step = path[i]!;
    value = typeof step === 'number' ? value.L?.[step] : value.M?.[step];
  }
  return value;
}

interface Node {
  value?: AttributeValue;
  map?: Map<string, Node>;
  list?: Map<number, Node>;
}

function build(node: Node): AttributeValue {
  if (node.value) return node.value;
  if (node.list) return { L: [...node.list.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => build(n)) };
  const M: AttributeMap = {};
  for (const [k, n] of node.map ?? []) M[k] = build(n);
  return { M };
}

/** The item reduced to the given paths; list elements picked by index keep their relative order. */
export function projectItem(item: AttributeMap, paths: readonly Path[]): AttributeMap {
  const root = new Map<string, Node>();
  for (const path of paths) {
    const found = valueAt(item, path);
    if (found === undefined) continue;
    let node: Node | undefined;
    let children: Map<string | number, Node> = root as Map<string | number, Node>;
    for (let i = 0; i < path.length; i++) {
      const step = path[i]!;
      node = children.get(step);
      if (!node) {
        node = {};
        children.set(step, node);
      }
      if (node.value) break;
      if (i === path.length - 1) {
        node.value = found;
        break;
      }
      const next = path[i + 1]!;
      if (typeof next === 'number') children = (node.list ??= new Map()) as Map<string | number, Node>;
      else children = (node.map ??= new Map()) as Map<string | number, Node>;
    }
  }
  const out: AttributeMap = {};
  for (const [k, node] of root) out[k] = build(node);
  return out;
}
