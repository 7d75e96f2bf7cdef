// Lifecycle expiration on Fogbank's clock: tests move the clock past midnights instead of waiting
// days, and see what S3's daily lifecycle run would have removed.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { useFogbank } from '../support/fogbank.js';
import { exited, spawnFogbank } from '../support/process.js';
import { createBucket, s3Client } from './support.js';

const env = useFogbank();
const DAY = 86_400_000;

/** Moves Fogbank's clock to just after the midnight UTC that follows now + days. */
function advanceToMidnightAfter(days: number): void {
  const now = env.fogbank.clock.now();
  const target = Math.ceil((now + days * DAY) / DAY) * DAY + 1000;
  env.fogbank.advanceClock(target - now);
}

async function keys(s3: S3Client, Bucket: string): Promise<string[]> {
  return ((await s3.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((c) => c.Key!);
}

async function withRules(s3: S3Client, Rules: LifecycleRule[], versioned = false): Promise<string> {
  const Bucket = await createBucket(s3);
  if (versioned) await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
  return Bucket;
}

describe('S3 lifecycle expiration', () => {
  it('expires objects Days after creation, at the next midnight UTC, by prefix, tag and size', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await withRules(s3, [
      { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
      { ID: 'scratch', Status: 'Enabled', Filter: { Tag: { Key: 'class', Value: 'scratch' } }, Expiration: { Days: 3 } },
      { ID: 'big-logs', Status: 'Enabled', Filter: { And: { Prefix: 'logs/', ObjectSizeGreaterThan: 10 } }, Expiration: { Days: 1 } },
      { ID: 'off', Status: 'Disabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } },
    ]);
    const put = (Key: string, Body: string, Tagging?: string) => s3.send(new PutObjectCommand({ Bucket, Key, Body, Tagging }));
    await put('tmp/a', 'a');
    await put('keep/b', 'b');
    await put('notes/c', 'c', 'class=scratch');
    await put('logs/small', 'tiny');
    await put('logs/large', 'x'.repeat(100));

    // Before the first midnight after creation + 1 day, nothing has gone.
    env.fogbank.advanceClock(DAY - 60_000);
    assert.deepEqual(await keys(s3, Bucket), ['keep/b', 'logs/large', 'logs/small', 'notes/c', 'tmp/a']);
    advanceToMidnightAfter(0);
    assert.deepEqual(await keys(s3, Bucket), ['keep/b', 'logs/small', 'notes/c']);
    advanceToMidnightAfter(2);
    assert.deepEqual(await keys(s3, Bucket), ['keep/b', 'logs/small']);
  });

  it('expires on a Date', async () => {
    const s3 = s3Client(env.endpoint);
    const midnight = new Date(Math.ceil((env.fogbank.clock.now() + 2 * DAY) / DAY) * DAY);
    const Bucket = await withRules(s3, [{ ID: 'date', Status: 'Enabled', Filter: { Prefix: 'old/' }, Expiration: { Date: midnight } }]);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'old/report', Body: 'r' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'new/report', Body: 'r' }));
    env.fogbank.advanceClock(midnight.getTime() - env.fogbank.clock.now() - 60_000);
    assert.deepEqual(await keys(s3, Bucket), ['new/report', 'old/report']);
    env.fogbank.advanceClock(120_000);
    assert.deepEqual(await keys(s3, Bucket), ['new/report']);
  });

  it('in a versioned bucket: a delete marker over expired objects, noncurrent versions expired after NoncurrentDays, lone markers removed', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await withRules(
      s3,
      [
        { ID: 'current', Status: 'Enabled', Filter: { Prefix: 'doc' }, Expiration: { Days: 5 } },
        { ID: 'noncurrent', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 2, NewerNoncurrentVersions: 1 } },
        { ID: 'markers', Status: 'Enabled', Filter: { Prefix: 'gone' }, Expiration: { ExpiredObjectDeleteMarker: true }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
      ],
      true,
    );
    const v1 = (await s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'v1' }))).VersionId!;
    const v2 = (await s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'v2' }))).VersionId!;
    const v3 = (await s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'v3' }))).VersionId!;
    const only = (await s3.send(new PutObjectCommand({ Bucket, Key: 'gone', Body: 'g' }))).VersionId!;
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone' }));
    const versionsOf = async () => {
      const out = await s3.send(new ListObjectVersionsCommand({ Bucket }));
      return {
        versions: (out.Versions ?? []).map((v) => `${v.Key}:${v.VersionId === v3 ? 'v3' : v.VersionId === v2 ? 'v2' : v.VersionId === v1 ? 'v1' : v.VersionId === only ? 'only' : '?'}${v.IsLatest ? '*' : ''}`),
        markers: (out.DeleteMarkers ?? []).map((m) => `${m.Key}${m.IsLatest ? '*' : ''}`),
      };
    };
    // One day on: nothing is past its time yet.
    advanceToMidnightAfter(0);
    assert.deepEqual(await versionsOf(), { versions: ['doc:v3*', 'doc:v2', 'doc:v1', 'gone:only'], markers: ['gone*'] });
    // Two days on: v1 is past NoncurrentDays (v2 is kept as the one newer noncurrent version);
    // "gone"'s only version is past its own rule's one day, which leaves its delete marker with
    // nothing behind it, so that goes too.
    advanceToMidnightAfter(2);
    assert.deepEqual(await versionsOf(), { versions: ['doc:v3*', 'doc:v2'], markers: [] });
    // Five days after creation, the current "doc" expires: a delete marker goes over it.
    advanceToMidnightAfter(2);
    const after = await versionsOf();
    assert.deepEqual(after.markers, ['doc*']);
    assert.deepEqual(await keys(s3, Bucket), []);
  });

  it('aborts incomplete multipart uploads DaysAfterInitiation', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await withRules(s3, [{ ID: 'abort', Status: 'Enabled', Filter: { Prefix: 'uploads/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }]);
    await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'uploads/big.bin' }));
    await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'other/big.bin' }));
    advanceToMidnightAfter(1);
    const left = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
    assert.deepEqual((left.Uploads ?? []).map((u) => u.Key), ['other/big.bin']);
  });

  it('keeps sweeping after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-s3-lifecycle-'));
    try {
      const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      const Bucket = await withRules(s3Client(first.endpoint), [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }]);
      await s3Client(first.endpoint).send(new PutObjectCommand({ Bucket, Key: 'tmp/a', Body: 'a' }));
      first.child.kill('SIGKILL');
      await exited(first.child);
      const second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      try {
        const res = await fetch(`${second.endpoint}/_fogbank/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 3 * 86_400 }) });
        assert.equal(res.status, 200);
        assert.deepEqual(await keys(s3Client(second.endpoint), Bucket), []);
      } finally {
        second.child.kill('SIGKILL');
        await exited(second.child);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
