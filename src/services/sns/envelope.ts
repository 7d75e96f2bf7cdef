// The JSON envelope SNS wraps a notification in for SQS (and HTTP) subscribers, signed as AWS
// signs it (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) with a key Fogbank makes at start.

import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type * as SNS from '@aws-sdk/client-sns';

// A parsed key object: signing with PEM text would parse the key again for every message.
let privateKey: KeyObject | undefined;

function signingKey(): KeyObject {
  privateKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return privateKey;
}

/** SNS's links back to itself. Fogbank adds Version so its edge knows an unsigned GET is for SNS. */
export function actionUrl(baseUrl: string, action: string, params: Record<string, string>): string {
  const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%3A/g, ':')}`).join('&');
  return `${baseUrl}/?Action=${action}&${query}&Version=2010-03-31`;
}

export function signingCertUrl(region: string): string {
  return `https://sns.${region}.amazonaws.com/SimpleNotificationService-fogbank.pem`;
}

export interface Notification {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  timestamp: string;
  sequenceNumber?: string;
  attributes?: Record<string, SNS.MessageAttributeValue>;
}

export function sign(fields: Array<[string, string | undefined]>, version: string): string {
  let text = '';
  for (const [name, value] of fields) if (value !== undefined) text += `${name}\n${value}\n`;
  return createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1').update(text).sign(signingKey(), 'base64');
}

/** The envelope's fields in AWS's order; FIFO topics carry SequenceNumber and are not signed. */
export function envelope(n: Notification, options: { baseUrl: string; region: string; subscriptionArn: string; signatureVersion: string; fifo: boolean }): Record<string, unknown> {
  const unsubscribeUrl = actionUrl(options.baseUrl, 'Unsubscribe', { SubscriptionArn: options.subscriptionArn });
  const out: Record<string, unknown> = { Type: 'Notification', MessageId: n.messageId };
  if (options.fifo) out.SequenceNumber = n.sequenceNumber;
  out.TopicArn = n.topicArn;
  if (n.subject !== undefined) out.Subject = n.subject;
  out.Message = n.message;
  out.Timestamp = n.timestamp;
  if (!options.fifo) {
    out.SignatureVersion = options.signatureVersion;
    out.Signature = sign(
      [['Message', n.message], ['MessageId', n.messageId], ['Subject', n.subject], ['Timestamp', n.timestamp], ['TopicArn', n.topicArn], ['Type', 'Notification']],
      options.signatureVersion,
    );
    out.SigningCertURL = signingCertUrl(options.region);
  }
  out.UnsubscribeURL = unsubscribeUrl;
  const attributes = Object.entries(n.attributes ?? {});
  if (attributes.length) {
    out.MessageAttributes = Object.fromEntries(
      attributes.map(([name, a]) => [name, { Type: a.DataType, Value: a.DataType!.startsWith('Binary') ? Buffer.from(a.BinaryValue!).toString('base64') : a.StringValue }]),
    );
  }
  return out;
}

/** The event a Lambda subscriber is invoked with: one record holding the notification. */
export function lambdaEvent(n: Notification, options: { baseUrl: string; region: string; subscriptionArn: string; signatureVersion: string }): Record<string, unknown> {
  const enveloped = envelope(n, { ...options, fifo: false });
  return {
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: options.subscriptionArn,
      Sns: {
        Type: 'Notification',
        MessageId: n.messageId,
        TopicArn: n.topicArn,
        Subject: n.subject ?? null,
        Message: n.message,
        Timestamp: n.timestamp,
        SignatureVersion: enveloped.SignatureVersion,
        Signature: enveloped.Signature,
        SigningCertUrl: enveloped.SigningCertURL,
        UnsubscribeUrl: enveloped.UnsubscribeURL,
        MessageAttributes: enveloped.MessageAttributes ?? {},
      },
    }],
  };
}
