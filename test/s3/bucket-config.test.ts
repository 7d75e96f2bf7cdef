import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { useFogbank } from '../support/fogbank.js';
import { createBucket, rejectsWith, s3Client } from './support.js';

const env = useFogbank();

describe('S3 bucket configurations', () => {
  it('new buckets carry S3\'s defaults: public access blocked, BucketOwnerEnforced, SSE-S3, not versioned', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const pab = await s3.send(new GetPublicAccessBlockCommand({ Bucket }));
    assert.deepEqual(pab.PublicAccessBlockConfiguration, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    const ownership = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }));
    assert.deepEqual(ownership.OwnershipControls, { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    assert.equal(encryption.ServerSideEncryptionConfiguration!.Rules![0]!.ApplyServerSideEncryptionByDefault!.SSEAlgorithm, 'AES256');
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket }));
    assert.equal(versioning.Status, undefined);
    const acl = await s3.send(new GetBucketAclCommand({ Bucket }));
    assert.equal(acl.Grants![0]!.Permission, 'FULL_CONTROL');
    assert.equal(acl.Grants![0]!.Grantee!.ID, acl.Owner!.ID);
    const other = await createBucket(s3, { ObjectOwnership: 'ObjectWriter' });
    assert.deepEqual((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: other }))).OwnershipControls, { Rules: [{ ObjectOwnership: 'ObjectWriter' }] });
  });

  it('stores a bucket policy, refusing one that is not JSON', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await rejectsWith(s3.send(new GetBucketPolicyCommand({ Bucket })), { code: 'NoSuchBucketPolicy', status: 404, message: 'The bucket policy does not exist' });
    const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }] });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
    assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy, Policy);
    await rejectsWith(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: 'not json' })), {
      code: 'MalformedPolicy',
      status: 400,
      message: "Policies must be valid JSON and the first byte must be '{'",
    });
    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    await rejectsWith(s3.send(new GetBucketPolicyCommand({ Bucket })), { code: 'NoSuchBucketPolicy', status: 404 });
  });

  it('stores CORS rules and checks their methods', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await rejectsWith(s3.send(new GetBucketCorsCommand({ Bucket })), { code: 'NoSuchCORSConfiguration', status: 404, message: 'The CORS configuration does not exist' });
    const rule = { AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://example.com'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 300 };
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [rule] } }));
    assert.deepEqual((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules, [rule]);
    await rejectsWith(s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ ...rule, AllowedMethods: ['PATCH'] }] } })), {
      code: 'InvalidRequest',
      status: 400,
      message: 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH',
    });
    await s3.send(new DeleteBucketCorsCommand({ Bucket }));
    await rejectsWith(s3.send(new GetBucketCorsCommand({ Bucket })), { code: 'NoSuchCORSConfiguration', status: 404 });
  });

  it('stores lifecycle rules', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await rejectsWith(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), {
      code: 'NoSuchLifecycleConfiguration',
      status: 404,
      message: 'The lifecycle configuration does not exist',
    });
    const Rules = [{ ID: 'expire-tmp', Status: 'Enabled' as const, Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } }];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
    assert.deepEqual((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules, Rules);
  });

  it('stores public access block and ownership controls, which go with their bucket', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
    assert.equal((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration!.BlockPublicPolicy, false);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    await rejectsWith(s3.send(new GetPublicAccessBlockCommand({ Bucket })), {
      code: 'NoSuchPublicAccessBlockConfiguration',
      status: 404,
      message: 'The public access block configuration was not found',
    });
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
    assert.deepEqual((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls!.Rules, [{ ObjectOwnership: 'BucketOwnerPreferred' }]);
    // Configurations go with their bucket.
    await s3.send(new DeleteBucketCommand({ Bucket }));
    await createBucket(s3, { Bucket });
    assert.deepEqual((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls!.Rules, [{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    await rejectsWith(s3.send(new GetBucketCorsCommand({ Bucket: 'no-such-bucket-x' })), { code: 'NoSuchBucket', status: 404 });
  });
});
