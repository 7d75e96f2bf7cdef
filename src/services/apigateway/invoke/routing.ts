// Which deployed resource and method answer a request path: literal path parts beat {param}, which
// beats a greedy {param+}; a greedy part takes one or more remaining segments (so /{proxy+} does
// not match "/"); a method of the request's verb beats ANY.

import type { MethodRecord, ResourceRecord } from '../state.js';

export interface Route {
  resource: ResourceRecord;
  method: MethodRecord;
  pathParameters: Record<string, string>;
}

type Kind = 0 | 1 | 2; // literal, {param}, {param+}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The kinds of each part matched, and the parameters bound, or undefined when the path does not fit. */
function match(resource: ResourceRecord, segments: string[]): { kinds: Kind[]; params: Record<string, string> } | undefined {
  const parts = resource.path === '/' ? [] : resource.path.slice(1).split('/');
  const kinds: Kind[] = [];
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      if (i !== parts.length - 1 || segments.length <= i) return undefined;
      params[greedy[1]!] = segments.slice(i).map(decode).join('/');
      kinds.push(2);
      return { kinds, params };
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    const variable = /^\{(.+)\}$/.exec(part);
    if (variable) {
      if (segment === '') return undefined;
      params[variable[1]!] = decode(segment);
      kinds.push(1);
    } else if (part === decode(segment)) {
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

export function findRoute(resources: ResourceRecord[], httpMethod: string, path: string): Route | undefined {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const segments = trimmed === '' ? [] : trimmed.split('/');
  let best: { route: Route; kinds: Kind[] } | undefined;
  for (const resource of resources) {
    const method = resource.methods[httpMethod] ?? resource.methods.ANY;
    if (!method) continue;
    const found = match(resource, segments);
    if (!found) continue;
    if (!best || compareKinds(found.kinds, best.kinds) < 0) {
      best = { route: { resource, method, pathParameters: found.params }, kinds: found.kinds };
    }
  }
  return best?.route;
}
