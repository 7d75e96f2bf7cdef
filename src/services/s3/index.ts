// Amazon S3 over rest-xml: buckets, objects, listing, copy, multipart uploads, tagging and stored
// bucket configurations, with bodies streamed to and from the blob store. S3 checks its own input
// (required.ts), with S3's errors.
//
// Not yet done here (AWS does):
// - a multipart object's body is written once more on completion (parts are copied into one blob)
// - versioning: MFA delete, object lock; GetObjectAttributes, tagging and UploadPartCopy act on the current version only;
//   version ids are not checked for form (an unknown one is NoSuchVersion)
// - ACLs (GetBucketAcl answers owner FULL_CONTROL) and policy enforcement
// - policy, public access block, ownership and encryption are stored, not acted on; website,
//   replication, logging configs
// - lifecycle: expiration only (no transitions), swept at midnight UTC, without LifecycleExpiration
//   event notifications
// - event notifications: EventBridge events beyond Object Created/Deleted, and they go to the
//   requester's default bus (the bucket owner's on AWS); destination permission
//   checks on queue/topic policies (the function's resource policy is checked); ObjectTagging/ObjectAcl/restore/
//   lifecycle events; delivery runs as the requesting caller, not the bucket owner, in the background
//   of the request (a delivery pending at shutdown is lost; AWS retries and keeps it)
// - the default CRC64NVME checksum S3 computes for uploads that send none
// - SelectObjectContent, restore, S3 Express directory buckets
// - cross-account access checks: any account may read and write any bucket

import type { Handler, ServiceImplementation } from '../types.js';
import * as config from './bucket-config.js';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './buckets.js';
import { deleteObject, deleteObjects } from './delete-objects.js';
import { getObject, headObject } from './get-object.js';
import { OUTPUT_FIXES } from './model-fixes.js';
import { getObjectAttributes } from './object-attributes.js';
import { copyObject } from './copy-object.js';
import { preflight, responseHeaders } from './cors.js';
import { listMultipartUploads, listParts } from './list-uploads.js';
import { resumeLifecycle } from './lifecycle.js';
import { listObjects, listObjectsV2 } from './list-objects.js';
import { listObjectVersions } from './list-versions.js';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, uploadPart } from './multipart.js';
import { getBucketNotificationConfiguration, putBucketNotificationConfiguration } from './notifications.js';
import { checkPresignedExpiry } from './presigned.js';
import { checkRequired } from './required.js';
import { putObject } from './put-object.js';
import { uploadPartCopy } from './upload-part-copy.js';
import { getBucketVersioning, putBucketVersioning } from './versioning.js';
import { deleteBucketTagging, deleteObjectTagging, getBucketTagging, getObjectTagging, putBucketTagging, putObjectTagging } from './tagging.js';
import { streamsUpload } from './streaming.js';
import { rewriteVirtualHost } from './virtual-host.js';

const OPERATIONS: ServiceImplementation['operations'] = {
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  ListBuckets: listBuckets,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  GetObjectAttributes: getObjectAttributes,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  CopyObject: copyObject,
  ListObjectsV2: listObjectsV2,
  ListObjects: listObjects,
  ListObjectVersions: listObjectVersions,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
  PutBucketPolicy: config.putBucketPolicy,
  GetBucketPolicy: config.getBucketPolicy,
  DeleteBucketPolicy: config.deleteBucketPolicy,
  PutBucketCors: config.putBucketCors,
  GetBucketCors: config.getBucketCors,
  DeleteBucketCors: config.deleteBucketCors,
  PutBucketLifecycleConfiguration: config.putBucketLifecycleConfiguration,
  GetBucketLifecycleConfiguration: config.getBucketLifecycleConfiguration,
  DeleteBucketLifecycle: config.deleteBucketLifecycle,
  PutPublicAccessBlock: config.putPublicAccessBlock,
  GetPublicAccessBlock: config.getPublicAccessBlock,
  DeletePublicAccessBlock: config.deletePublicAccessBlock,
  PutBucketOwnershipControls: config.putBucketOwnershipControls,
  GetBucketOwnershipControls: config.getBucketOwnershipControls,
  DeleteBucketOwnershipControls: config.deleteBucketOwnershipControls,
  PutBucketEncryption: config.putBucketEncryption,
  GetBucketEncryption: config.getBucketEncryption,
  DeleteBucketEncryption: config.deleteBucketEncryption,
  PutBucketVersioning: putBucketVersioning,
  GetBucketVersioning: getBucketVersioning,
  GetBucketAcl: config.getBucketAcl,
  PutBucketNotificationConfiguration: putBucketNotificationConfiguration,
  GetBucketNotificationConfiguration: getBucketNotificationConfiguration,
  PutBucketTagging: putBucketTagging,
  GetBucketTagging: getBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  PutObjectTagging: putObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
};

/** Every operation first refuses an expired presigned URL, as S3 does before anything else, then checks its required members. */
function checked(operations: ServiceImplementation['operations']): ServiceImplementation['operations'] {
  return Object.fromEntries(
    Object.entries(operations).map(([name, handler]) => [
      name,
      ((input, ctx) => {
        checkPresignedExpiry(ctx);
        checkRequired(name, input);
        return handler(input, ctx);
      }) as Handler,
    ]),
  );
}

export const s3: ServiceImplementation = {
  operations: checked(OPERATIONS),
  // Required members are checked by S3's own rules (required.ts); the models carry no other constraints for S3.
  validatesOwnInput: true,
  outputFixes: OUTPUT_FIXES,
  streamsRequest: streamsUpload,
  cors: { preflight, responseHeaders },
  rewriteRequest: rewriteVirtualHost,
  resume: resumeLifecycle,
};
