// Bucket configurations: policy, CORS (applied in cors.ts), lifecycle (applied in lifecycle.ts),
// public access block, ownership controls, encryption. Each is kept as the document the
// client sent, under "<bucket>/<kind>"; Get answers S3's own "not found" error when none is set.
// New buckets carry S3's defaults since 2023: all public access blocked, BucketOwnerEnforced,
// SSE-S3 encryption.

import type * as S3 from '@aws-sdk/client-s3';
import { ServiceError } from '../../errors.js';
import type { Collection } from '../../store/store.js';
import type { Handler, RequestContext } from '../types.js';
import { armLifecycle, lifecycleBuckets } from './lifecycle.js';
import { owner } from './owner.js';
import { malformedXml } from './errors.js';
import { getBucket } from './state.js';

type Kind = 'policy' | 'cors' | 'lifecycle' | 'publicAccessBlock' | 'ownershipControls' | 'encryption';

const NOT_FOUND: Record<Kind, [string, string]> = {
  policy: ['NoSuchBucketPolicy', 'The bucket policy does not exist'],
  cors: ['NoSuchCORSConfiguration', 'The CORS configuration does not exist'],
  lifecycle: ['NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'],
  publicAccessBlock: ['NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found'],
  ownershipControls: ['OwnershipControlsNotFoundError', 'The bucket ownership controls were not found'],
  encryption: ['ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found'],
};

export function bucketConfigs(ctx: RequestContext): Collection<unknown> {
  return ctx.store.collection<unknown>('s3', 'bucket-configs', { account: 's3', region: '' });
}

/** The configurations S3 gives every new bucket. */
export function defaultConfigs(objectOwnership: string | undefined): Array<[Kind, unknown]> {
  return [
    ['publicAccessBlock', { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }],
    ['ownershipControls', { Rules: [{ ObjectOwnership: objectOwnership ?? 'BucketOwnerEnforced' }] }],
    ['encryption', { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] }],
  ];
}

function read<T>(ctx: RequestContext, bucket: string, kind: Kind): T {
  getBucket(ctx, bucket);
  const value = bucketConfigs(ctx).get(`${bucket}/${kind}`);
  if (value === undefined) {
    const [code, message] = NOT_FOUND[kind];
    throw new ServiceError(code, message, { status: 404, fields: { BucketName: bucket } });
  }
  return value as T;
}

function write(ctx: RequestContext, bucket: string, kind: Kind, value: unknown): Record<string, never> {
  getBucket(ctx, bucket);
  if (value === undefined) throw malformedXml();
  bucketConfigs(ctx).put(`${bucket}/${kind}`, value);
  return {};
}

function remove(ctx: RequestContext, bucket: string, kind: Kind): Record<string, never> {
  getBucket(ctx, bucket);
  bucketConfigs(ctx).delete(`${bucket}/${kind}`);
  return {};
}

export const putBucketPolicy: Handler<S3.PutBucketPolicyRequest> = (input, ctx) => {
  let document: unknown;
  try {
    document = input.Policy?.trimStart().startsWith('{') ? JSON.parse(input.Policy) : undefined;
  } catch {
    document = undefined;
  }
  if (document === undefined) throw new ServiceError('MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'");
  return write(ctx, input.Bucket!, 'policy', input.Policy);
};
export const getBucketPolicy: Handler<S3.GetBucketPolicyRequest, S3.GetBucketPolicyOutput> = (input, ctx) => ({ Policy: read<string>(ctx, input.Bucket!, 'policy') });
export const deleteBucketPolicy: Handler<S3.DeleteBucketPolicyRequest> = (input, ctx) => remove(ctx, input.Bucket!, 'policy');

const CORS_METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);

export const putBucketCors: Handler<S3.PutBucketCorsRequest> = (input, ctx) => {
  const rules = input.CORSConfiguration?.CORSRules;
  if (!rules?.length) throw malformedXml();
  for (const rule of rules) {
    if (!rule.AllowedMethods?.length || !rule.AllowedOrigins?.length) throw malformedXml();
    const bad = rule.AllowedMethods.find((m) => !CORS_METHODS.has(m));
    if (bad) throw new ServiceError('InvalidRequest', `Found unsupported HTTP method in CORS config. Unsupported method is ${bad}`);
  }
  return write(ctx, input.Bucket!, 'cors', rules);
};
export const getBucketCors: Handler<S3.GetBucketCorsRequest, S3.GetBucketCorsOutput> = (input, ctx) => ({ CORSRules: read(ctx, input.Bucket!, 'cors') });
export const deleteBucketCors: Handler<S3.DeleteBucketCorsRequest> = (input, ctx) => remove(ctx, input.Bucket!, 'cors');

export const putBucketLifecycleConfiguration: Handler<S3.PutBucketLifecycleConfigurationRequest> = (input, ctx) => {
  const rules = input.LifecycleConfiguration?.Rules;
  if (!rules?.length) throw malformedXml();
  write(ctx, input.Bucket!, 'lifecycle', rules);
  lifecycleBuckets(ctx).put(input.Bucket!, true);
  armLifecycle(ctx);
  return {};
};
export const getBucketLifecycleConfiguration: Handler<S3.GetBucketLifecycleConfigurationRequest, S3.GetBucketLifecycleConfigurationOutput> = (input, ctx) => ({
  Rules: read(ctx, input.Bucket!, 'lifecycle'),
});
export const deleteBucketLifecycle: Handler<S3.DeleteBucketLifecycleRequest> = (input, ctx) => {
  lifecycleBuckets(ctx).delete(input.Bucket!);
  return remove(ctx, input.Bucket!, 'lifecycle');
};

export const putPublicAccessBlock: Handler<S3.PutPublicAccessBlockRequest> = (input, ctx) => write(ctx, input.Bucket!, 'publicAccessBlock', input.PublicAccessBlockConfiguration);
export const getPublicAccessBlock: Handler<S3.GetPublicAccessBlockRequest, S3.GetPublicAccessBlockOutput> = (input, ctx) => ({
  PublicAccessBlockConfiguration: read(ctx, input.Bucket!, 'publicAccessBlock'),
});
export const deletePublicAccessBlock: Handler<S3.DeletePublicAccessBlockRequest> = (input, ctx) => remove(ctx, input.Bucket!, 'publicAccessBlock');

export const putBucketOwnershipControls: Handler<S3.PutBucketOwnershipControlsRequest> = (input, ctx) => write(ctx, input.Bucket!, 'ownershipControls', input.OwnershipControls);
export const getBucketOwnershipControls: Handler<S3.GetBucketOwnershipControlsRequest, S3.GetBucketOwnershipControlsOutput> = (input, ctx) => ({
  OwnershipControls: read(ctx, input.Bucket!, 'ownershipControls'),
});
export const deleteBucketOwnershipControls: Handler<S3.DeleteBucketOwnershipControlsRequest> = (input, ctx) => remove(ctx, input.Bucket!, 'ownershipControls');

export const putBucketEncryption: Handler<S3.PutBucketEncryptionRequest> = (input, ctx) => write(ctx, input.Bucket!, 'encryption', input.ServerSideEncryptionConfiguration);
export const getBucketEncryption: Handler<S3.GetBucketEncryptionRequest, S3.GetBucketEncryptionOutput> = (input, ctx) => ({
  ServerSideEncryptionConfiguration: read(ctx, input.Bucket!, 'encryption'),
});
export const deleteBucketEncryption: Handler<S3.DeleteBucketEncryptionRequest> = (input, ctx) => remove(ctx, input.Bucket!, 'encryption');

/** ACLs are not modelled: the owner holds FULL_CONTROL, as with BucketOwnerEnforced. */
export const getBucketAcl: Handler<S3.GetBucketAclRequest, S3.GetBucketAclOutput> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  const id = owner(bucket.account);
  return { Owner: id, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: id.ID }, Permission: 'FULL_CONTROL' }] };
};
