// The service-detection order, as a table: X-Amz-Target, then the SigV4 scope's service, then a
// form body's Action and Version, then host and path rules, then S3.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCredential } from '../../src/edge/auth.js';
import { detectService } from '../../src/edge/detect.js';
import type { WireRequest } from '../../src/protocols/wire.js';

function request(init: Partial<Omit<WireRequest, 'body'>> & { body?: string | Buffer }): WireRequest {
  const body = typeof init.body === 'string' ? Buffer.from(init.body) : (init.body ?? Buffer.alloc(0));
  return { method: init.method ?? 'POST', path: init.path ?? '/', query: init.query ?? [], headers: init.headers ?? {}, body };
}

const sigv4 = (service: string, region = 'us-east-1') =>
  `AWS4-HMAC-SHA256 Credential=test/20261127/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;
const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

const cases: Array<[string, WireRequest, string, string]> = [
  ['X-Amz-Target wins over everything', request({ headers: { 'x-amz-target': 'secretsmanager.GetSecretValue', authorization: sigv4('ssm') } }), 'secretsmanager', 'json'],
  ['X-Amz-Target for DynamoDB Streams, which signs as dynamodb', request({ headers: { 'x-amz-target': 'DynamoDBStreams_20120810.GetRecords', authorization: sigv4('dynamodb') } }), 'dynamodbstreams', 'json'],
  ['X-Amz-Target for SSM', request({ headers: { 'x-amz-target': 'AmazonSSM.GetParameter' } }), 'ssm', 'json'],
  ['X-Amz-Target for Logs', request({ headers: { 'x-amz-target': 'Logs_20140328.PutLogEvents' } }), 'logs', 'json'],
  ['SigV4 scope service', request({ headers: { authorization: sigv4('iam') }, body: 'Action=ListRoles' }), 'iam', 'query'],
  ['SigV4 scope apigateway with a /v2 path is the HTTP API control plane', request({ method: 'GET', path: '/v2/apis', headers: { authorization: sigv4('apigateway') } }), 'apigatewayv2', 'rest-json'],
  ['SigV4 scope apigateway with /restapis is the REST API control plane', request({ method: 'GET', path: '/restapis', headers: { authorization: sigv4('apigateway') } }), 'apigateway', 'rest-json'],
  ['presigned query credential', request({ method: 'GET', path: '/bucket/key', query: [['X-Amz-Credential', 'test/20261127/us-east-1/s3/aws4_request']] }), 's3', 'rest-xml'],
  ['SQS JSON by target', request({ headers: { 'x-amz-target': 'AmazonSQS.SendMessage', authorization: sigv4('sqs') } }), 'sqs', 'json'],
  ['SQS query protocol by form Action', request({ headers: { ...form, authorization: sigv4('sqs') }, body: 'Action=SendMessage&Version=2012-11-05' }), 'sqs', 'query'],
  ['unsigned form with Action and Version (STS)', request({ headers: form, body: 'Action=GetCallerIdentity&Version=2011-06-15' }), 'sts', 'query'],
  ['unsigned form with Action and Version (IAM)', request({ headers: form, body: 'Action=ListRoles&Version=2010-05-08' }), 'iam', 'query'],
  ['unsigned GET with Action in the query string (SNS)', request({ method: 'GET', query: [['Action', 'ListTopics'], ['Version', '2010-03-31']] }), 'sns', 'query'],
  ['an SNS unsubscribe link (unsigned, no Version)', request({ method: 'GET', query: [['Action', 'Unsubscribe'], ['SubscriptionArn', 'arn:aws:sns:us-east-1:000000000000:t:1']] }), 'sns', 'query'],
  ['unsigned SQS host form', request({ method: 'POST', path: '/000000000000/q', headers: { host: 'sqs.us-east-1.localhost.localstack.cloud:4566' } }), 'sqs', 'json'],
  ['unsigned SQS path form', request({ method: 'GET', path: '/000000000000/my-queue' }), 'sqs', 'json'],
  ['unsigned Lambda path', request({ method: 'GET', path: '/2015-03-31/functions/' }), 'lambda', 'rest-json'],
  ['unsigned virtual-host S3', request({ method: 'GET', path: '/key', headers: { host: 'bucket.s3.localhost.localstack.cloud:4566' } }), 's3', 'rest-xml'],
  ['unsigned scheduler path', request({ method: 'GET', path: '/schedules' }), 'scheduler', 'rest-json'],
  ['anything else is S3', request({ method: 'GET', path: '/some-bucket' }), 's3', 'rest-xml'],
];

describe('service detection', () => {
  for (const [name, req, service, protocol] of cases) {
    it(name, () => {
      const detection = detectService(req, readCredential(req));
      assert.equal(detection.service.name, service);
      assert.equal(detection.protocol, protocol);
    });
  }
});

describe('caller credential', () => {
  it('reads access key, region and service from a SigV4 header', () => {
    assert.deepEqual(readCredential(request({ headers: { authorization: sigv4('logs', 'eu-central-1') } })), { accessKeyId: 'test', region: 'eu-central-1', service: 'logs' });
  });
  it('reads a presigned URL credential', () => {
    assert.deepEqual(readCredential(request({ query: [['X-Amz-Credential', 'AKID/20261127/ap-south-1/s3/aws4_request']] })), { accessKeyId: 'AKID', region: 'ap-south-1', service: 's3' });
  });
  it('reads a legacy SigV2 header', () => {
    assert.deepEqual(readCredential(request({ headers: { authorization: 'AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' } })), { accessKeyId: 'AKIDEXAMPLE' });
  });
  it('is empty for unsigned requests', () => {
    assert.deepEqual(readCredential(request({})), {});
  });
});
