// S3's own errors, with the extra elements S3 puts beside Code and Message.

import { ServiceError } from '../../errors.js';

export const noSuchBucket = (bucket: string) =>
  new ServiceError('NoSuchBucket', 'The specified bucket does not exist', { status: 404, fields: { BucketName: bucket } });

export const noSuchKey = (key: string) => new ServiceError('NoSuchKey', 'The specified key does not exist.', { status: 404, fields: { Key: key } });

export const noSuchUpload = (uploadId: string) =>
  new ServiceError('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {
    status: 404,
    fields: { UploadId: uploadId },
  });

export const invalidBucketName = (bucket: string) => new ServiceError('InvalidBucketName', 'The specified bucket is not valid.', { fields: { BucketName: bucket } });

export const invalidArgument = (message: string, name: string, value: string | number | undefined) =>
  new ServiceError('InvalidArgument', message, { fields: { ArgumentName: name, ArgumentValue: value ?? '' } });

export const malformedXml = () =>
  new ServiceError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');

export const preconditionFailed = (condition: string) =>
  new ServiceError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { status: 412, fields: { Condition: condition } });

export const notModified = () => new ServiceError('NotModified', 'Not Modified', { status: 304 });

export const badDigest = (expected: string, calculated: string) =>
  new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', { fields: { ExpectedDigest: expected, CalculatedDigest: calculated } });

export const invalidDigest = (contentMd5: string) =>
  new ServiceError('InvalidDigest', 'The Content-MD5 you specified was invalid.', { fields: { 'Content-MD5': contentMd5 } });

export const invalidObjectState = (storageClass: string) =>
  new ServiceError('InvalidObjectState', "The operation is not valid for the object's storage class", { status: 403, fields: { StorageClass: storageClass } });
