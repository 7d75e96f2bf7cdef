// ParameterFilters for DescribeParameters and GetParametersByPath: AWS's rules for which keys,
// options and values each operation takes, and matching a parameter against them.

import type * as SSM from '@aws-sdk/client-ssm';
import { invalidFilterKey, invalidFilterOption, invalidFilterValue, validation } from './errors.js';
import { isUnderPath } from './names.js';
import type { StoredParameter, StoredVersion } from './state.js';

export type FilterUse = 'describe' | 'path';

export interface Filter {
  key: string;
  option: string;
  values: string[];
}

const VALID_VALUES: Record<string, string[]> = {
  Type: ['String', 'StringList', 'SecureString'],
  Tier: ['Standard', 'Advanced', 'Intelligent-Tiering'],
};

/** Keys GetParametersByPath refuses (its path already does the work of Name and Path). */
const NOT_BY_PATH = ['Name', 'Path', 'Tier', 'DataType'];

function checkPathValue(value: string): void {
  if (value.toLowerCase().startsWith('/aws') || value.toLowerCase().startsWith('/ssm')) {
    throw validation(
      'Filters for common parameters can\'t be prefixed with "aws" or "ssm" (case-insensitive). When using global parameters, please specify within a global namespace.',
    );
  }
  if (value.includes('//') || !value.startsWith('/') || !/^[a-zA-Z0-9_.\-/]*$/.test(value)) {
    throw validation(
      'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.',
    );
  }
}

function allowedOptions(key: string): string[] {
  if (key === 'Path') return ['Recursive', 'OneLevel'];
  if (key === 'Label') return ['Equals'];
  if (key === 'Name') return ['BeginsWith', 'Equals', 'Contains'];
  return ['BeginsWith', 'Equals'];
}

/** Checks ParameterFilters as AWS does, filling in each key's default option. */
export function checkFilters(filters: SSM.ParameterStringFilter[] | undefined, use: FilterUse): Filter[] {
  const checked: Filter[] = [];
  for (const filter of filters ?? []) {
    const key = filter.Key!;
    const option = filter.Option ?? (key === 'Path' ? 'OneLevel' : 'Equals');
    const values = filter.Values ?? [];
    const isTag = key.startsWith('tag:');
    if (use === 'describe' && key === 'Label') {
      throw invalidFilterKey('The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].');
    }
    if (use === 'path' && (NOT_BY_PATH.includes(key) || isTag)) {
      throw invalidFilterKey(`The following filter key is not valid: ${key}. Valid filter keys include: [Type, KeyId].`);
    }
    if (!isTag && values.length === 0) throw invalidFilterValue(`The following filter values are missing : null for filter key ${key}.`);
    if (checked.some((f) => f.key === key)) {
      throw invalidFilterKey(`The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`);
    }
    const options = allowedOptions(key);
    if (!options.includes(option)) throw invalidFilterOption(`The following filter option is not valid: ${option}. Valid options include: [${options.join(', ')}].`);
    if (key === 'Path') values.forEach(checkPathValue);
    const valid = VALID_VALUES[key];
    const bad = valid && values.find((v) => !valid.includes(v));
    if (bad) throw invalidFilterValue(`The following filter value is not valid: ${bad}. Valid values include: [${valid.join(', ')}].`);
    checked.push({ key, option, values });
  }
  return checked;
}

/** DescribeParameters' older Filters: Name matches by prefix, Type and KeyId exactly. */
export function legacyFilters(filters: SSM.ParametersFilter[] | undefined): Filter[] {
  return (filters ?? []).map((f) => ({ key: f.Key!, option: f.Key === 'Name' ? 'BeginsWith' : 'Equals', values: f.Values ?? [] }));
}

function slashed(name: string): string {
  return '/' + name.replace(/^\//, '');
}

function compare(candidates: string[], filter: Filter): boolean {
  return candidates.some((c) =>
    filter.values.some((v) => (filter.option === 'BeginsWith' ? c.startsWith(v) : filter.option === 'Contains' ? c.includes(v) : c === v)),
  );
}

/** Whether a parameter (as of the given version) passes one filter. Label filters are matched by the caller. */
export function matchesFilter(version: StoredVersion, parameter: StoredParameter, filter: Filter): boolean {
  const { key } = filter;
  if (key === 'Name') {
    if (filter.option === 'Contains') return compare([version.Name], filter);
    return compare([slashed(version.Name)], { ...filter, values: filter.values.map(slashed) });
  }
  if (key === 'Path') {
    const recursive = filter.option === 'Recursive';
    return filter.values.some((v) => isUnderPath(version.Name, v.replace(/\/+$/, ''), recursive));
  }
  if (key.startsWith('tag:')) {
    const tagValues = parameter.Tags.filter((t) => t.Key === key.slice(4)).map((t) => t.Value);
    if (tagValues.length === 0) return false;
    return filter.values.length === 0 || compare(tagValues, filter);
  }
  if (key === 'Label') return compare(version.Labels, filter);
  const field = { Type: version.Type, KeyId: version.KeyId, Tier: version.Tier, DataType: version.DataType }[key];
  return field !== undefined && compare([field], filter);
}

export function matchesAll(version: StoredVersion, parameter: StoredParameter, filters: Filter[]): boolean {
  return filters.every((f) => matchesFilter(version, parameter, f));
}
