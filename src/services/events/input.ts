// What a target receives: the whole event, a constant Input, the part of the event an InputPath
// names, or an InputTransformer's template filled from InputPathsMap and AWS's predefined variables.
//
// Template quoting, as AWS applies it: in a JSON template (one that starts with { or [), a
// placeholder outside a string literal becomes its JSON value, and one inside a string literal
// its text; an object or array inside a string literal there makes the result invalid, and AWS
// then delivers nothing. In a string template ("...") and in plain text, objects and arrays are
// written in AWS's loose form, {key:value,...} and [a,b], without quotes.

import type * as EB from '@aws-sdk/client-eventbridge';
import type { RuleRecord } from './state.js';

export type EventEnvelope = Record<string, unknown>;

/** Reads the JSONPath subset AWS supports: $.a.b, $.a[0], $['a'], $.a[*]. */
export function readPath(event: unknown, path: string): unknown {
  if (path === '$') return event;
  if (!path.startsWith('$')) return undefined;
  const steps: string[] = [];
  const re = /\.([^.[\]]+)|\[(\d+|\*)\]|\['([^']*)'\]/gy;
  for (let at = 1; at < path.length; at = re.lastIndex) {
    re.lastIndex = at;
    const match = re.exec(path);
    if (!match) return undefined; // not a path AWS can read
    steps.push(match[1] ?? match[2] ?? match[3]!);
  }
  let values: unknown[] = [event];
  let wildcard = false;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of values) {
      if (step === '*' && Array.isArray(value)) {
        wildcard = true;
        next.push(...value);
      } else if (value !== null && typeof value === 'object' && step in (value as object)) next.push((value as Record<string, unknown>)[step]);
    }
    values = next;
  }
  return wildcard ? values : values[0];
}

/** The predefined variables; they cannot be defined in InputPathsMap. */
export const PREDEFINED = new Set(['aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event.ingestion-time', 'aws.events.event', 'aws.events.event.json']);

function predefined(name: string, event: EventEnvelope, rule: RuleRecord, ingested: string): unknown {
  switch (name) {
    case 'aws.events.rule-arn':
      return rule.arn;
    case 'aws.events.rule-name':
      return rule.name;
    case 'aws.events.event.ingestion-time':
      return ingested;
    case 'aws.events.event':
      // The event without its detail, in the field names and order AWS uses here.
      return { id: event.id, account: event.account, detailType: event['detail-type'], time: ingested, source: event.source, region: event.region, resources: event.resources, version: event.version };
    default:
      return event; // aws.events.event.json
  }
}

/** AWS's unquoted rendering of a value inside text: {k:v,...}, [a,b], plain scalars. */
function loose(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `[${value.map(loose).join(',')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}:${loose(v)}`).join(',')}}`;
  return String(value);
}

class Undeliverable extends Error {}

/** Placeholders named in a template (<name>), in order. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/<([A-Za-z0-9_.\-]+)>/g)].map((m) => m[1]!);
}

function fillTemplate(template: string, lookup: (name: string) => { found: boolean; value?: unknown }): string {
  const json = /^\s*[{[]/.test(template);
  return template.replace(/<([A-Za-z0-9_.\-]+)>/g, (match, name: string, offset: number) => {
    const v = lookup(name);
    if (!v.found) return match;
    const inString = insideString(template, offset);
    if (json && !inString) return v.value === undefined ? 'null' : JSON.stringify(v.value);
    if (json && v.value !== null && typeof v.value === 'object') throw new Undeliverable();
    const text = loose(v.value);
    return inString ? JSON.stringify(text).slice(1, -1) : text;
  });
}

/** Whether the offset falls inside a JSON string literal of the template. */
function insideString(template: string, offset: number): boolean {
  let inside = false;
  for (let i = 0; i < offset; i++) {
    const c = template[i];
    if (c === '\\' && inside) i++;
    else if (c === '"') inside = !inside;
  }
  return inside;
}

/** The text delivered to one target for one event; undefined when AWS would deliver nothing. */
export function targetInput(target: EB.Target, event: EventEnvelope, rule: RuleRecord, ingested: string): string | undefined {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    const value = readPath(event, target.InputPath);
    return value === undefined ? '' : JSON.stringify(value);
  }
  const transformer = target.InputTransformer;
  if (transformer?.InputTemplate !== undefined) {
    const paths = transformer.InputPathsMap ?? {};
    try {
      return fillTemplate(transformer.InputTemplate, (name) => {
        if (PREDEFINED.has(name)) return { found: true, value: predefined(name, event, rule, ingested) };
        if (!(name in paths)) return { found: false };
        return { found: true, value: readPath(event, paths[name]!) };
      });
    } catch (error) {
      if (error instanceof Undeliverable) return undefined;
      throw error;
    }
  }
  return JSON.stringify(event);
}
