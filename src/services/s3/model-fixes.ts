// Corrections to the aws-sdk v2 minified S3 model, as data: the XML root element of each
// operation's output document (the minified model drops them), and output members newer than
// that model (CRC64NVME checksums, ChecksumType) or that only S3 needs (GetObject's 206 status).

import { loadModel, type ShapeRef } from '../../protocols/model.js';

const XMLNS = { uri: 'http://s3.amazonaws.com/doc/2006-03-01/' };

const ROOT_ELEMENTS: Record<string, string> = {
  ListBuckets: 'ListAllMyBucketsResult',
  ListObjects: 'ListBucketResult',
  ListObjectsV2: 'ListBucketResult',
  ListObjectVersions: 'ListVersionsResult',
  CreateMultipartUpload: 'InitiateMultipartUploadResult',
  CompleteMultipartUpload: 'CompleteMultipartUploadResult',
  ListParts: 'ListPartsResult',
  ListMultipartUploads: 'ListMultipartUploadsResult',
  DeleteObjects: 'DeleteResult',
  GetObjectTagging: 'Tagging',
  GetBucketTagging: 'Tagging',
  GetBucketCors: 'CORSConfiguration',
  GetBucketLifecycleConfiguration: 'LifecycleConfiguration',
  GetBucketVersioning: 'VersioningConfiguration',
  GetBucketAcl: 'AccessControlPolicy',
  GetObjectAttributes: 'GetObjectAttributesResponse',
  GetBucketNotificationConfiguration: 'NotificationConfiguration',
};

const header = (name: string): ShapeRef => ({ location: 'header', locationName: name });
const STATUS: Record<string, ShapeRef> = { StatusCode: { location: 'statusCode', type: 'integer' } };
const CHECKSUM_HEADERS: Record<string, ShapeRef> = { ChecksumCRC64NVME: header('x-amz-checksum-crc64nvme'), ChecksumType: header('x-amz-checksum-type') };

const EXTRA_MEMBERS: Record<string, Record<string, ShapeRef>> = {
  PutObject: CHECKSUM_HEADERS,
  GetObject: { ...CHECKSUM_HEADERS, ...STATUS },
  HeadObject: { ...CHECKSUM_HEADERS, ...STATUS },
  UploadPart: { ChecksumCRC64NVME: header('x-amz-checksum-crc64nvme') },
  CompleteMultipartUpload: { ChecksumCRC64NVME: {}, ChecksumType: {} },
};

function buildFixes(): Record<string, Partial<ShapeRef>> {
  const model = loadModel('s3-2006-03-01');
  const fixes: Record<string, Partial<ShapeRef>> = {};
  for (const [op, root] of Object.entries(ROOT_ELEMENTS)) fixes[op] = { locationName: root, xmlNamespace: XMLNS };
  for (const [op, extra] of Object.entries(EXTRA_MEMBERS)) {
    const members = model.output(model.operations[op]!).members ?? {};
    fixes[op] = { ...fixes[op], members: { ...members, ...extra } };
  }
  // The location document's root element is the value itself: the handler writes the document.
  fixes['GetBucketLocation'] = { payload: 'LocationConstraint' };
  return fixes;
}

export const OUTPUT_FIXES = buildFixes();
