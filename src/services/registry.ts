// Every AWS service Fogbank answers for, with the facts needed to route a request to it before its
// model or code is loaded. A service with no `load` is known to the edge (so its requests get
// AWS's unsupported-operation error) but not yet implemented.

import type { ProtocolName } from '../protocols/index.js';
import type { ServiceImplementation } from './types.js';

export interface ServiceDescriptor {
  /** Fogbank's name for the service: the endpoint prefix, as AWS SDKs and LocalStack use it. */
  name: string;
  /** The model's uid in aws-sdk/apis. */
  modelUid: string;
  protocol: ProtocolName;
  /** SigV4 signing names that may mean this service. */
  signingName: string;
  targetPrefix?: string;
  /** The Version parameter of query-protocol requests. */
  queryVersion?: string;
  /** AWS keeps this service's state per account, not per region. */
  global?: boolean;
  load?: () => Promise<ServiceImplementation>;
  /**
   * Collections whose records mean the service has work to resume when Fogbank starts (timers of
   * scheduled rules, pending retries): if the store holds any, the service is loaded at start and
   * its resume() runs with every scope that holds one.
   */
  resumeFrom?: string | readonly string[];
}

export const SERVICES: readonly ServiceDescriptor[] = [
  { name: 'sts', modelUid: 'sts-2011-06-15', protocol: 'query', signingName: 'sts', queryVersion: '2011-06-15', load: async () => (await import('./sts/index.js')).sts },
  { name: 'iam', modelUid: 'iam-2010-05-08', protocol: 'query', signingName: 'iam', queryVersion: '2010-05-08', global: true, load: async () => (await import('./iam/index.js')).iam },
  { name: 'secretsmanager', modelUid: 'secretsmanager-2017-10-17', protocol: 'json', signingName: 'secretsmanager', targetPrefix: 'secretsmanager', load: async () => (await import('./secretsmanager/index.js')).secretsManager },
  { name: 'ssm', modelUid: 'ssm-2014-11-06', protocol: 'json', signingName: 'ssm', targetPrefix: 'AmazonSSM', load: async () => (await import('./ssm/index.js')).ssm },
  { name: 'logs', modelUid: 'logs-2014-03-28', protocol: 'json', signingName: 'logs', targetPrefix: 'Logs_20140328', load: async () => (await import('./logs/index.js')).logs },
  { name: 'dynamodb', modelUid: 'dynamodb-2012-08-10', protocol: 'json', signingName: 'dynamodb', targetPrefix: 'DynamoDB_20120810', load: async () => (await import('./dynamodb/index.js')).dynamodb },
  { name: 'dynamodbstreams', modelUid: 'streams.dynamodb-2012-08-10', protocol: 'json', signingName: 'dynamodb', targetPrefix: 'DynamoDBStreams_20120810', load: async () => (await import('./dynamodbstreams/index.js')).dynamodbStreams },
  { name: 's3', modelUid: 's3-2006-03-01', protocol: 'rest-xml', signingName: 's3', resumeFrom: 'lifecycle-buckets', load: async () => (await import('./s3/index.js')).s3 },
  { name: 'sqs', modelUid: 'sqs-2012-11-05', protocol: 'json', signingName: 'sqs', targetPrefix: 'AmazonSQS', queryVersion: '2012-11-05', load: async () => (await import('./sqs/index.js')).sqs },
  { name: 'sns', modelUid: 'sns-2010-03-31', protocol: 'query', signingName: 'sns', queryVersion: '2010-03-31', load: async () => (await import('./sns/index.js')).sns },
  { name: 'lambda', modelUid: 'lambda-2015-03-31', protocol: 'rest-json', signingName: 'lambda', resumeFrom: ['event-source-mappings', 'async-invocations'], load: async () => (await import('./lambda/index.js')).lambda },
  { name: 'apigateway', modelUid: 'apigateway-2015-07-09', protocol: 'rest-json', signingName: 'apigateway', load: async () => (await import('./apigateway/index.js')).apigateway },
  { name: 'apigatewayv2', modelUid: 'apigatewayv2-2018-11-29', protocol: 'rest-json', signingName: 'apigateway', load: async () => (await import('./apigatewayv2/index.js')).apigatewayV2 },
  { name: 'events', modelUid: 'events-2015-10-07', protocol: 'json', signingName: 'events', targetPrefix: 'AWSEvents', resumeFrom: ['rules', 'retries', 'replays'], load: async () => (await import('./events/index.js')).events },
  { name: 'scheduler', modelUid: 'scheduler-2021-06-30', protocol: 'rest-json', signingName: 'scheduler', resumeFrom: ['schedules', 'retries'], load: async () => (await import('./scheduler/index.js')).scheduler },
  { name: 'states', modelUid: 'states-2016-11-23', protocol: 'json', signingName: 'states', targetPrefix: 'AWSStepFunctions', resumeFrom: 'running', load: async () => (await import('./states/index.js')).states },
];

export const SERVICES_BY_NAME: ReadonlyMap<string, ServiceDescriptor> = new Map(SERVICES.map((s) => [s.name, s]));
