// IAM's list paging: MaxItems (default 100) and an opaque Marker, answered with IsTruncated and,
// when more remain, the Marker to pass next.

import { paginate } from '../common/pagination.js';
import { validationError } from './errors.js';

export interface PageRequest {
  Marker?: string;
  MaxItems?: number;
}

export interface IamPage<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

const DEFAULT_MAX_ITEMS = 100;

/** One page of items, which must already be in ascending order of keyOf. */
export function pageOf<T>(items: T[], keyOf: (item: T) => string, request: PageRequest): IamPage<T> {
  const page = paginate(items, keyOf, request.MaxItems ?? DEFAULT_MAX_ITEMS, request.Marker, () => validationError('Invalid Marker.'));
  return { items: page.items, IsTruncated: page.nextToken !== undefined, Marker: page.nextToken };
}

/** Pages a list kept in its own order (attachment order, for example) by position. */
export function pageInOrder<T>(items: T[], request: PageRequest): IamPage<T> {
  const keyed = items.map((item, i) => ({ item, key: String(i).padStart(8, '0') }));
  const page = pageOf(keyed, (k) => k.key, request);
  return { ...page, items: page.items.map((k) => k.item) };
}

/** Orders by a name, as IAM lists its entities. */
export function byName<T>(items: T[], nameOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0));
}
