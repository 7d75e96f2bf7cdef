// Parameter names as Parameter Store reads them: trimmed, checked against AWS's naming rules, a
// single-level "/name" treated as "name", and "name:3" / "name:label" / full ARNs taken apart.

import { ServiceError } from '../../errors.js';
import { arn } from '../common/arn.js';
import { hierarchyTooDeep, invalidName, invalidPath, validation } from './errors.js';

const NAME_CHARACTERS = /^[a-zA-Z0-9_.\-/]+$/;
export const MAX_HIERARCHY_LEVELS = 15;

/**
 * Checks a name's form and returns the name Parameter Store keys it by. AWS strips surrounding
 * spaces, and a name with a single leading slash and no hierarchy ("/name") is the same
 * parameter as "name", stored and reported without the slash.
 */
export function checkName(raw: string): string {
  const name = raw.trim();
  if (!NAME_CHARACTERS.test(name)) throw invalidName();
  if (name.includes('/') && (!name.startsWith('/') || name.includes('//') || name.endsWith('/'))) throw invalidName();
  const canonical = name.startsWith('/') && name.indexOf('/', 1) < 0 ? name.slice(1) : name;
  if (canonical === '') throw invalidName();
  if (canonical.split('/').filter(Boolean).length > MAX_HIERARCHY_LEVELS) throw hierarchyTooDeep();
  return canonical;
}

/** Names a caller may create: checkName plus AWS's reserved "aws" and "ssm" prefixes. */
export function checkNameForWrite(raw: string): string {
  const name = raw.trim();
  const bare = name.replace(/^\/+/, '').toLowerCase();
  if (bare.startsWith('aws') || bare.startsWith('ssm')) {
    const isPath = name.split('/').length > 2;
    if (isPath && name.toLowerCase().startsWith('/aws')) {
      throw new ServiceError('AccessDeniedException', `No access to reserved parameter name: ${name}.`);
    }
    if (!isPath) throw validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
    throw invalidName();
  }
  return checkName(name);
}

export interface ParameterReference {
  /** The canonical name. */
  name: string;
  /** ":3" or ":label" as the caller wrote it after the name, for the response's Selector. */
  selector?: string;
  version?: number;
  label?: string;
  /** An ARN naming another account or region: nothing there is shared with this caller. */
  foreign: boolean;
}

/** Reads a GetParameter-style name: "name", "name:version", "name:label", or the ARN of any of them. */
export function parseReference(raw: string, account: string, region: string): ParameterReference | undefined {
  const text = raw.trim();
  let nameText = text;
  let selectorText: string | undefined;
  let foreign = false;
  if (text.startsWith('arn:')) {
    const parts = text.split(':');
    const resource = parts[5] ?? '';
    if (parts.length < 6 || parts.length > 7 || parts[2] !== 'ssm' || !resource.startsWith('parameter/')) throw invalidName();
    nameText = resource.slice('parameter'.length);
    selectorText = parts[6];
    foreign = parts[3] !== region || parts[4] !== account;
  } else {
    const colon = text.indexOf(':');
    if (colon >= 0) {
      nameText = text.slice(0, colon);
      selectorText = text.slice(colon + 1);
    }
  }
  const name = checkName(nameText);
  if (selectorText === undefined) return { name, foreign };
  // A second colon can never match a version or a label.
  if (selectorText === '' || selectorText.includes(':')) return undefined;
  const reference: ParameterReference = { name, selector: `:${selectorText}`, foreign };
  if (/^\d+$/.test(selectorText)) reference.version = Number(selectorText);
  else reference.label = selectorText;
  return reference;
}

export interface PathQuery {
  /** Without a trailing slash; "" for the root. */
  path: string;
  /** "/aws/..." names AWS's public parameters, which Fogbank does not carry. */
  global: boolean;
}

/** Checks GetParametersByPath's Path the way AWS does. */
export function checkPath(raw: string): PathQuery {
  const path = raw.trim();
  if (!path.startsWith('/') || !NAME_CHARACTERS.test(path) || path.includes('//')) throw invalidPath();
  const first = path.split('/')[1] ?? '';
  const lower = first.toLowerCase();
  if (lower.startsWith('ssm')) throw invalidPath();
  if (lower.startsWith('aws')) {
    if (first !== 'aws') throw invalidPath();
    return { path: path.replace(/\/$/, ''), global: true };
  }
  return { path: path.replace(/\/$/, ''), global: false };
}

export function parameterArn(name: string, account: string, region: string): string {
  return arn({ service: 'ssm', region, account, resource: `parameter/${name.replace(/^\//, '')}` });
}

/** Whether a canonical name lies under a path ("" is the root): directly, or at any depth when recursive. */
export function isUnderPath(name: string, path: string, recursive: boolean): boolean {
  if (path === '') return recursive || !name.includes('/');
  if (!name.startsWith(path + '/')) return false;
  return recursive || !name.slice(path.length + 1).includes('/');
}
