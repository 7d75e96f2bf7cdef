// XML bodies as the query and rest-xml protocols write them. Serializing is a walk over the shape;
// parsing uses fast-xml-parser in order-preserving mode and then the same walk in reverse.

import { createRequire } from 'node:module';
import type { XMLParser } from 'fast-xml-parser';
import { ServiceError } from '../errors.js';
import type { ServiceModel, Shape } from './model.js';
import {
  formatTimestamp, parseBase64, parseBooleanText, parseIntegerText, parseNumberText, parseTimestamp,
  setEntry, toBuffer,
} from './values.js';

/** Escapes text content; carriage returns are escaped so XML parsers keep them. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => XML_ESCAPES[c]!);
}

/** Escapes an attribute value (double-quoted). */
export function escapeXmlAttribute(text: string): string {
  return text.replace(/[&<>"\r\n\t]/g, (c) => XML_ESCAPES[c]!);
}
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;', '\n': '&#xA;', '\t': '&#x9;' };

function scalarText(value: unknown, shape: Shape): string {
  switch (shape.type) {
    case 'timestamp':
      return String(formatTimestamp(value, shape.timestampFormat ?? 'iso8601'));
    case 'blob':
      return toBuffer(value).toString('base64');
    default:
      return String(value);
  }
}

/** Serializes the members of a structure (without its own element) into XML. */
export function membersToXml(value: Record<string, unknown>, shape: Shape, model: ServiceModel): string {
  let xml = '';
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    const member = model.resolve(ref);
    if (member.location || member.xmlAttribute) continue;
    xml += elementToXml(member.locationName ?? name, v, member, model);
  }
  return xml;
}

function attributesOf(value: Record<string, unknown>, shape: Shape, model: ServiceModel): string {
  let attrs = shape.xmlNamespace ? ` xmlns${shape.xmlNamespace.prefix ? ':' + shape.xmlNamespace.prefix : ''}="${escapeXmlAttribute(shape.xmlNamespace.uri)}"` : '';
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const member = model.resolve(ref);
    if (member.xmlAttribute && value[name] !== undefined) attrs += ` ${member.locationName ?? name}="${escapeXmlAttribute(scalarText(value[name], member))}"`;
  }
  return attrs;
}

export function elementToXml(name: string, value: unknown, shape: Shape, model: ServiceModel): string {
  switch (shape.type) {
    case 'structure': {
      const v = value as Record<string, unknown>;
      return `<${name}${attributesOf(v, shape, model)}>${membersToXml(v, shape, model)}</${name}>`;
    }
    case 'list': {
      const member = model.resolve(shape.member);
      const items = value as unknown[];
      if (shape.flattened) return items.map((item) => elementToXml(member.locationName ?? name, item, member, model)).join('');
      const memberName = member.locationName ?? 'member';
      return `<${name}>${items.map((item) => elementToXml(memberName, item, member, model)).join('')}</${name}>`;
    }
    case 'map': {
      const keyShape = model.resolve(shape.key);
      const valueShape = model.resolve(shape.value);
      const keyName = keyShape.locationName ?? 'key';
      const valueName = valueShape.locationName ?? 'value';
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([k, v]) => elementToXml(keyName, k, keyShape, model) + elementToXml(valueName, v, valueShape, model),
      );
      if (shape.flattened) return entries.map((e) => `<${name}>${e}</${name}>`).join('');
      return `<${name}>${entries.map((e) => `<entry>${e}</entry>`).join('')}</${name}>`;
    }
    default:
      return `<${name}>${escapeXml(scalarText(value, shape))}</${name}>`;
  }
}

/** An element as fast-xml-parser's preserveOrder mode gives it. */
type XmlNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const require = createRequire(import.meta.url);
let parser: XMLParser | undefined;

function xmlValidator(): (text: string) => true | object {
  const { XMLValidator } = require('fast-xml-parser') as typeof import('fast-xml-parser');
  return (text) => XMLValidator.validate(text);
}

/** The parser loads on first use: most requests never carry XML, and start-up should not pay for it. */
function xmlParser(): XMLParser {
  const { XMLParser: Parser } = require('fast-xml-parser') as typeof import('fast-xml-parser');
  parser ??= new Parser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    removeNSPrefix: true,
  });
  return parser;
}

/** Parses an XML document; returns the root element's name and children. */
export function parseXmlDocument(body: Buffer): { name: string; children: XmlNode[]; attributes: Record<string, string> } {
  let nodes: XmlNode[];
  const text = body.toString('utf8');
  try {
    // The parser itself accepts unclosed tags; the validator is what rejects them.
    if (xmlValidator()(text) !== true) throw malformedXml();
    nodes = xmlParser().parse(text) as XmlNode[];
  } catch {
    throw malformedXml();
  }
  const root = nodes.find((n) => elementName(n) !== undefined && !elementName(n)!.startsWith('?'));
  if (!root) throw malformedXml();
  const name = elementName(root)!;
  return { name, children: root[name] as XmlNode[], attributes: root[':@'] ?? {} };
}

export function malformedXml(): Error {
  return new ServiceError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
}

function elementName(node: XmlNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

function textOf(children: XmlNode[]): string {
  return children.map((c) => (typeof c['#text'] === 'string' ? c['#text'] : '')).join('');
}

function childElements(children: XmlNode[], name: string): XmlNode[][] {
  return children.filter((c) => elementName(c) === name).map((c) => c[name] as XmlNode[]);
}

/** Reads the children of an element as the given shape. */
export function fromXml(children: XmlNode[], shape: Shape, model: ServiceModel, path: string, attributes: Record<string, string> = {}): unknown {
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const member = model.resolve(ref);
        if (member.location) continue;
        const tag = member.locationName ?? name;
        if (member.xmlAttribute) {
          if (attributes[tag] !== undefined) out[name] = fromXml([{ '#text': attributes[tag] }], member, model, `${path}.${name}`);
          continue;
        }
        if (member.type === 'list' && member.flattened) {
          const itemShape = model.resolve(member.member);
          const items = childElements(children, model.resolve(member.member).locationName ?? tag);
          if (items.length) out[name] = items.map((c, i) => fromXml(c, itemShape, model, `${path}.${name}.${i + 1}`, attrsOf(children, tag, i)));
          continue;
        }
        const found = children.find((c) => elementName(c) === tag);
        if (found) out[name] = fromXml(found[tag] as XmlNode[], member, model, `${path}.${name}`, found[':@'] ?? {});
      }
      return out;
    }
    case 'list': {
      const member = model.resolve(shape.member);
      const tag = member.locationName ?? 'member';
      return childElements(children, tag).map((c, i) => fromXml(c, member, model, `${path}.${i + 1}`));
    }
    case 'map': {
      const keyShape = model.resolve(shape.key);
      const valueShape = model.resolve(shape.value);
      const out: Record<string, unknown> = {};
      for (const entry of childElements(children, 'entry')) {
        const key = childElements(entry, keyShape.locationName ?? 'key')[0];
        const value = childElements(entry, valueShape.locationName ?? 'value')[0];
        if (key) setEntry(out, textOf(key), value ? fromXml(value, valueShape, model, path) : undefined);
      }
      return out;
    }
    default:
      return scalarFromText(textOf(children), shape, path);
  }
}

function attrsOf(children: XmlNode[], tag: string, index: number): Record<string, string> {
  return children.filter((c) => elementName(c) === tag)[index]?.[':@'] ?? {};
}

/** Reads a scalar written as text (XML, query strings, headers). */
export function scalarFromText(text: string, shape: Shape, path: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
      return parseIntegerText(text, path);
    case 'float':
    case 'double':
    case 'bigdecimal':
    case 'biginteger':
      return parseNumberText(text, path);
    case 'boolean':
      return parseBooleanText(text, path);
    case 'timestamp':
      return parseTimestamp(text, path);
    case 'blob':
      return parseBase64(text, path);
    default:
      return text;
  }
}
