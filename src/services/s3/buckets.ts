// Buckets: create (with S3's location-constraint rules), head, list, delete, location.

import type * as S3 from '@aws-sdk/client-s3';
import { ServiceError } from '../../errors.js';
import { decodeToken, encodeToken } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { checkBucketName } from './bucket-names.js';
import { owner } from './owner.js';
import { buckets, getBucket, nowIso, objects, type BucketRecord } from './state.js';
import { bucketConfigs, defaultConfigs } from './bucket-config.js';
import { versions } from './versioning.js';
import { discardUpload, uploads } from './multipart-state.js';
import { freeBody } from './bodies.js';
import { lifecycleBuckets } from './lifecycle.js';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const illegalConstraint = (constraint: string | undefined) =>
  new ServiceError(
    'IllegalLocationConstraintException',
    `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
  );

function bucketRegion(ctx: RequestContext, constraint: string | undefined): string {
  if (constraint === undefined || constraint === '') {
    if (ctx.region !== 'us-east-1') throw illegalConstraint(undefined);
    return 'us-east-1';
  }
  // us-east-1 is the one region named by sending no constraint at all.
  if (constraint === 'us-east-1' || !REGION.test(constraint)) {
    throw new ServiceError('InvalidLocationConstraint', 'The specified location-constraint is not valid', { fields: { LocationConstraint: constraint } });
  }
  if (constraint !== ctx.region) throw illegalConstraint(constraint);
  return constraint;
}

export const createBucket: Handler<S3.CreateBucketRequest, S3.CreateBucketOutput> = (input, ctx) => {
  const name = input.Bucket!;
  checkBucketName(name);
  const region = bucketRegion(ctx, input.CreateBucketConfiguration?.LocationConstraint);
  const existing = buckets(ctx).get(name);
  if (existing) {
    if (existing.account !== ctx.account) {
      throw new ServiceError(
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        { status: 409, fields: { BucketName: name } },
      );
    }
    // For legacy compatibility, re-creating your own bucket in us-east-1 succeeds.
    if (existing.region === 'us-east-1' && region === 'us-east-1') return { Location: `/${name}` };
    throw new ServiceError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', {
      status: 409,
      fields: { BucketName: name },
    });
  }
  const record: BucketRecord = { name, account: ctx.account, region, created: nowIso(ctx) };
  ctx.store.transaction(() => {
    buckets(ctx).put(name, record);
    for (const [kind, value] of defaultConfigs(input.ObjectOwnership)) bucketConfigs(ctx).put(`${name}/${kind}`, value);
  });
  return { Location: region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
};

export const headBucket: Handler<S3.HeadBucketRequest, S3.HeadBucketOutput> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  return { BucketRegion: bucket.region };
};

export const listBuckets: Handler<S3.ListBucketsRequest, S3.ListBucketsOutput> = (input, ctx) => {
  const invalidToken = () => new ServiceError('InvalidArgument', 'The continuation token provided is incorrect', { fields: { ArgumentName: 'continuation-token' } });
  const after = input.ContinuationToken ? decodeToken(input.ContinuationToken, invalidToken) : undefined;
  const max = input.MaxBuckets;
  if (max !== undefined && (max < 1 || max > 10000)) {
    throw new ServiceError('InvalidArgument', 'Argument max-buckets must be an integer between 1 and 10000', { fields: { ArgumentName: 'max-buckets', ArgumentValue: max } });
  }
  const mine: BucketRecord[] = [];
  let more = false;
  for (const [, b] of buckets(ctx).iterate({ prefix: input.Prefix, after })) {
    if (b.account !== ctx.account || (input.BucketRegion && b.region !== input.BucketRegion)) continue;
    if (max !== undefined && mine.length === max) {
      more = true;
      break;
    }
    mine.push(b);
  }
  return {
    Buckets: mine.map((b) => ({ Name: b.name, CreationDate: new Date(b.created), BucketRegion: b.region })),
    Owner: owner(ctx.account),
    Prefix: input.Prefix,
    ContinuationToken: more ? encodeToken(mine[mine.length - 1]!.name) : undefined,
  };
};

export const deleteBucket: Handler<S3.DeleteBucketRequest, Record<string, never>> = (input, ctx) => {
  const name = input.Bucket!;
  getBucket(ctx, name);
  if (objects(ctx).count(`${name}/`) > 0 || versions(ctx).count(`${name}/`) > 0) {
    throw new ServiceError('BucketNotEmpty', 'The bucket you tried to delete is not empty', { status: 409, fields: { BucketName: name } });
  }
  // Uploads still in progress go with the bucket.
  const unused = ctx.store.transaction(() => {
    const blobs = uploads(ctx).values({ prefix: `${name}/` }).flatMap((upload) => discardUpload(ctx, upload));
    buckets(ctx).delete(name);
    bucketConfigs(ctx).deletePrefix(`${name}/`);
    lifecycleBuckets(ctx).delete(name);
    return blobs;
  });
  for (const id of unused) freeBody(ctx, id);
  return {};
};

/** S3 answers the region as the document's root element itself; us-east-1 is the empty constraint. */
export const getBucketLocation: Handler<S3.GetBucketLocationRequest, { LocationConstraint: string }> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  const region = bucket.region === 'us-east-1' ? '' : bucket.region;
  return {
    LocationConstraint: region
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${XMLNS}">${region}</LocationConstraint>`
      : `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${XMLNS}"/>`,
  };
};
