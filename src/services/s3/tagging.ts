// Bucket and object tagging: Put replaces the whole set, Get answers NoSuchTagSet for a bucket
// with none (an object answers an empty set), Delete clears.

import type * as S3 from '@aws-sdk/client-s3';
import { ServiceError } from '../../errors.js';
import type { Handler } from '../types.js';
import { malformedXml, noSuchKey } from './errors.js';
import { buckets, getBucket, objectId, objects } from './state.js';
import { checkTags } from './tags.js';

/** A Tagging document without a TagSet does not validate against S3's schema. */
function tagSet(tagging: S3.Tagging | undefined): Array<{ Key: string; Value: string }> {
  if (!tagging?.TagSet) throw malformedXml();
  return tagging.TagSet as Array<{ Key: string; Value: string }>;
}

export const putBucketTagging: Handler<S3.PutBucketTaggingRequest, Record<string, never>> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  const tags = checkTags(tagSet(input.Tagging), 'bucket');
  buckets(ctx).put(bucket.name, { ...bucket, tags });
  return {};
};

export const getBucketTagging: Handler<S3.GetBucketTaggingRequest, S3.GetBucketTaggingOutput> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  if (!bucket.tags?.length) throw new ServiceError('NoSuchTagSet', 'The TagSet does not exist', { status: 404, fields: { BucketName: bucket.name } });
  return { TagSet: bucket.tags };
};

export const deleteBucketTagging: Handler<S3.DeleteBucketTaggingRequest, Record<string, never>> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  const { tags: _tags, ...rest } = bucket;
  buckets(ctx).put(bucket.name, rest);
  return {};
};

function getObjectRecord(ctx: Parameters<Handler>[1], bucket: string, key: string) {
  getBucket(ctx, bucket);
  const record = objects(ctx).get(objectId(bucket, key));
  if (!record) throw noSuchKey(key);
  return record;
}

export const putObjectTagging: Handler<S3.PutObjectTaggingRequest, S3.PutObjectTaggingOutput> = (input, ctx) => {
  const record = getObjectRecord(ctx, input.Bucket!, input.Key!);
  const tags = checkTags(tagSet(input.Tagging), 'object');
  objects(ctx).put(objectId(input.Bucket!, input.Key!), { ...record, tags });
  return {};
};

export const getObjectTagging: Handler<S3.GetObjectTaggingRequest, S3.GetObjectTaggingOutput> = (input, ctx) => {
  const record = getObjectRecord(ctx, input.Bucket!, input.Key!);
  return { TagSet: record.tags ?? [] };
};

export const deleteObjectTagging: Handler<S3.DeleteObjectTaggingRequest, S3.DeleteObjectTaggingOutput> = (input, ctx) => {
  const record = getObjectRecord(ctx, input.Bucket!, input.Key!);
  const { tags: _tags, ...rest } = record;
  objects(ctx).put(objectId(input.Bucket!, input.Key!), rest);
  return {};
};
