// Lifecycle expiration on Fogbank's clock. S3 applies lifecycle rules once a day; Fogbank sweeps
// every bucket with rules at each midnight UTC (a test that moves the clock past one sees the
// sweep at once), with S3's timing: an object expires at the first midnight UTC after its
// creation plus Days (or on Date), a noncurrent version NoncurrentDays after it became noncurrent,
// an upload DaysAfterInitiation after it began. Expiring a current version deletes it, or, in a
// versioned bucket, puts a delete marker over it.

import type * as S3 from '@aws-sdk/client-s3';
import type { Collection } from '../../store/store.js';
import { keyedTimers } from '../common/keyed-timers.js';
import type { Caller, RequestContext } from '../types.js';
import { freeBody } from './bodies.js';
import { bucketConfigs } from './bucket-config.js';
import { deleteObjectRecord } from './object-common.js';
import { discardUpload, uploads } from './multipart-state.js';
import { objects, type ObjectRecord } from './state.js';
import { versionPrefix, versions, versioningOf, type VersionRecord } from './versioning.js';

const DAY = 86_400_000;

/** Buckets that have lifecycle rules (a marker per bucket), so a restart knows to sweep. */
export function lifecycleBuckets(ctx: RequestContext): Collection<true> {
  return ctx.store.collection<true>('s3', 'lifecycle-buckets', { account: 's3', region: '' });
}

/** The first midnight UTC at or after `ms`. */
function midnightAfter(ms: number): number {
  return Math.ceil(ms / DAY) * DAY;
}

function ruleMatches(rule: S3.LifecycleRule, record: Pick<ObjectRecord, 'key' | 'size' | 'tags'>): boolean {
  const filter = rule.Filter;
  const and = filter?.And;
  const prefix = rule.Prefix ?? filter?.Prefix ?? and?.Prefix ?? '';
  const tags = filter?.Tag ? [filter.Tag] : (and?.Tags ?? []);
  const larger = filter?.ObjectSizeGreaterThan ?? and?.ObjectSizeGreaterThan;
  const smaller = filter?.ObjectSizeLessThan ?? and?.ObjectSizeLessThan;
  return (
    record.key.startsWith(prefix) &&
    tags.every((t) => record.tags?.some((own) => own.Key === t.Key && own.Value === t.Value)) &&
    (larger === undefined || record.size > Number(larger)) &&
    (smaller === undefined || record.size < Number(smaller))
  );
}

/** When a current version expires under the rule, or undefined. */
function expiryOf(rule: S3.LifecycleRule, record: ObjectRecord): number | undefined {
  const expiration = rule.Expiration;
  if (expiration?.Days !== undefined) return midnightAfter(Date.parse(record.lastModified) + expiration.Days * DAY);
  if (expiration?.Date !== undefined) return new Date(expiration.Date).getTime();
  return undefined;
}

/** When an archived version became noncurrent: its slot in "versions" is the inverted archive time. */
function noncurrentSince(id: string): number {
  const slot = id.slice(id.lastIndexOf('\u0000') + 1);
  return Math.floor((Number.MAX_SAFE_INTEGER - Number(slot)) / 1000);
}

/** Applies one bucket's rules as of now. */
export function applyLifecycle(ctx: RequestContext, bucket: string, now: number): void {
  const rules = ((bucketConfigs(ctx).get(`${bucket}/lifecycle`) as S3.LifecycleRule[] | undefined) ?? []).filter((r) => r.Status === 'Enabled');
  if (rules.length === 0) return;
  const versioned = versioningOf(ctx, bucket) !== undefined;
  for (const [, record] of objects(ctx).list({ prefix: `${bucket}/` })) {
    const expires = rules.some((rule) => ruleMatches(rule, record) && (expiryOf(rule, record) ?? Infinity) <= now);
    if (expires) ctx.store.transaction(() => deleteObjectRecord(ctx, bucket, record.key));
  }
  if (versioned) expireVersions(ctx, bucket, rules, now);
  for (const upload of uploads(ctx).values({ prefix: `${bucket}/` })) {
    const started = Date.parse(upload.initiated);
    const aborts = rules.some((rule) => {
      const days = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
      return days !== undefined && ruleMatches(rule, { key: upload.key, size: 0 }) && midnightAfter(started + days * DAY) <= now;
    });
    if (aborts) for (const id of ctx.store.transaction(() => discardUpload(ctx, upload))) freeBody(ctx, id);
  }
}

/** Noncurrent versions past NoncurrentDays (beyond the NewerNoncurrentVersions kept), and expired delete markers. */
function expireVersions(ctx: RequestContext, bucket: string, rules: S3.LifecycleRule[], now: number): void {
  const byKey = new Map<string, Array<{ id: string; record: VersionRecord }>>();
  for (const [id, record] of versions(ctx).list({ prefix: `${bucket}/` })) {
    const list = byKey.get(record.key) ?? [];
    list.push({ id, record });
    byKey.set(record.key, list);
  }
  for (const [key, archived] of byKey) {
    const hasCurrent = objects(ctx).has(`${bucket}/${key}`);
    // Without a current object, the newest delete marker is the current version.
    const noncurrent = !hasCurrent && archived[0]?.record.deleteMarker ? archived.slice(1) : archived;
    const gone = new Set<string>();
    for (const rule of rules) {
      const expiration = rule.NoncurrentVersionExpiration;
      if (expiration?.NoncurrentDays === undefined) continue;
      let newer = 0;
      for (const { id, record } of noncurrent) {
        if (record.deleteMarker || !ruleMatches(rule, record)) continue;
        newer += 1;
        if (newer <= (expiration.NewerNoncurrentVersions ?? 0)) continue;
        if (midnightAfter(noncurrentSince(id) + expiration.NoncurrentDays * DAY) <= now) gone.add(id);
      }
    }
    for (const { id, record } of noncurrent) {
      if (!gone.has(id)) continue;
      versions(ctx).delete(id);
      freeBody(ctx, record.blob);
    }
    // A delete marker with no versions left behind it expires too, when a rule asks.
    const left = versions(ctx).list({ prefix: versionPrefix(bucket, key) });
    const marker = left.length === 1 && !hasCurrent ? left[0]! : undefined;
    if (marker?.[1].deleteMarker && rules.some((rule) => rule.Expiration?.ExpiredObjectDeleteMarker && ruleMatches(rule, marker[1]))) versions(ctx).delete(marker[0]);
  }
}

function sweep(ctx: RequestContext): void {
  const now = ctx.clock.now();
  for (const bucket of lifecycleBuckets(ctx).list().map(([name]) => name)) applyLifecycle(ctx, bucket, now);
}

/** Makes sure the midnight sweep is armed for this Fogbank (one timer per store). */
export function armLifecycle(ctx: RequestContext): void {
  const timers = keyedTimers(ctx.store, 's3');
  if (armed.has(ctx.store)) return;
  armed.add(ctx.store);
  const next = () => {
    timers.set(
      'lifecycle',
      ctx.clock.at(midnightAfter(ctx.clock.now() + 1), () => {
        timers.fired('lifecycle');
        try {
          sweep(ctx);
        } catch (error) {
          console.warn(`fogbank s3: lifecycle sweep failed: ${(error as Error).message}`);
        }
        if (lifecycleBuckets(ctx).count() > 0) next();
        else armed.delete(ctx.store);
      }),
    );
  };
  next();
  if (!watched.has(ctx.store)) {
    watched.add(ctx.store);
    ctx.store.onReset(() => armed.delete(ctx.store));
  }
}

const armed = new WeakSet<object>();
const watched = new WeakSet<object>();

/** At start: buckets with rules in the store get their sweep armed again. */
export function resumeLifecycle(contextFor: (scope: Caller) => RequestContext, scopes: Caller[]): void {
  if (scopes[0]) armLifecycle(contextFor(scopes[0]));
}
