// Which deployed resource and method answer a request path: literal path parts beat {param}, which
// beats a greedy {param+}; a greedy part takes one or more remaining segments (so /{proxy+} does
// not match "/"); a method of the request's verb beats ANY.

import type { MethodRecord, ResourceRecord } from '../state.js';

export interface Route {
  resource: ResourceRecord;
  method: MethodRecord;
  pathParameters: Record<string, string>;
}

type Kind = 0 | 1 | 2 | 3; // literal, {param}, {param+}, and {param+} where it can never match

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A resource's path, split once: each part's kind and, for a {param}, its name (literals keep their text). */
interface CompiledResource {
  resource: ResourceRecord;
  parts: Array<{ kind: Kind; text: string }>;
}

function compile(resource: ResourceRecord): CompiledResource {
  const parts = resource.path === '/' ? [] : resource.path.slice(1).split('/');
  return {
    resource,
    parts: parts.map((part, i) => {
      // A greedy part anywhere but last matches nothing (as before: the path cannot fit).
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy) return i === parts.length - 1 ? { kind: 2, text: greedy[1]! } : { kind: 3 as Kind, text: '' };
      const variable = /^\{(.+)\}$/.exec(part);
      return variable ? { kind: 1, text: variable[1]! } : { kind: 0, text: part };
    }),
  };
}

/** The kinds of each part matched, and the parameters bound, or undefined when the path does not fit. */
function match({ parts }: CompiledResource, segments: string[]): { kinds: Kind[]; params: Record<string, string> } | undefined {
  const kinds: Kind[] = [];
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const { kind, text } = parts[i]!;
    if (kind === 3) return undefined;
    if (kind === 2) {
      if (segments.length <= i) return undefined;
      params[text] = segments.slice(i).map(decode).join('/');
      kinds.push(2);
      return { kinds, params };
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (kind === 1) {
      if (segment === '') return undefined;
      params[text] = decode(segment);
      kinds.push(1);
    } else if (text === (segment.includes('%') ? decode(segment) : segment)) {
      kinds.push(0);
    } else {
      return undefined;
    }
  }
  return parts.length === segments.length ? { kinds, params } : undefined;
}

function compareKinds(a: Kind[], b: Kind[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return b.length - a.length;
}

/** Compiled route tables by resource list: a deployment's list is cached and served many times. */
const compiled = new WeakMap<ResourceRecord[], CompiledResource[]>();

export function findRoute(resources: ResourceRecord[], httpMethod: string, path: string): Route | undefined {
  let table = compiled.get(resources);
  if (!table) compiled.set(resources, (table = resources.map(compile)));
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const segments = trimmed === '' ? [] : trimmed.split('/');
  let best: { route: Route; kinds: Kind[] } | undefined;
  for (const entry of table) {
    const { resource } = entry;
    const method = resource.methods[httpMethod] ?? resource.methods.ANY;
    if (!method) continue;
    const found = match(entry, segments);
    if (!found) continue;
    if (!best || compareKinds(found.kinds, best.kinds) < 0) {
      best = { route: { resource, method, pathParameters: found.params }, kinds: found.kinds };
    }
  }
  return best?.route;
}
