// AWS Secrets Manager: secrets, their versions and staging labels, scheduled deletion on
// Fogbank's clock, tags, resource policies, random passwords.
// Not yet:
// - RotateSecret and CancelRotateSecret (they need Lambda); no secret reports rotation fields.
// - Replication: ReplicateSecretToRegions, RemoveRegionsFromReplication, StopReplicationToReplica;
//   CreateSecret's AddReplicaRegions and ForceOverwriteReplicaSecret are ignored.
// - KMS: KmsKeyId is stored and reported, never checked or used; values are stored unencrypted.
// - Resource policies are not enforced, and ValidateResourcePolicy checks syntax, not broad access.
// - Cross-account access by ARN: an ARN for another account or region is not found.
// - Secrets managed by other services (OwningService), and ListSecrets' SortBy (absent from the
//   model Fogbank serves).

import type { Handler, ServiceImplementation } from '../types.js';
import { createSecret } from './operations/create-secret.js';
import { deleteSecret, restoreSecret } from './operations/delete-secret.js';
import { describeSecret, listSecrets, listSecretVersionIds } from './operations/describe.js';
import { getRandomPassword } from './operations/get-random-password.js';
import { batchGetSecretValue, getSecretValue } from './operations/get-secret-value.js';
import { putSecretValue, updateSecret } from './operations/put-secret-value.js';
import { deleteResourcePolicy, getResourcePolicy, putResourcePolicy, validateResourcePolicy } from './operations/resource-policy.js';
import { tagResource, untagResource } from './operations/tags.js';
import { updateSecretVersionStage } from './operations/update-version-stage.js';

type ImplementedOperation =
  | 'BatchGetSecretValue'
  | 'CreateSecret'
  | 'DeleteResourcePolicy'
  | 'DeleteSecret'
  | 'DescribeSecret'
  | 'GetRandomPassword'
  | 'GetResourcePolicy'
  | 'GetSecretValue'
  | 'ListSecretVersionIds'
  | 'ListSecrets'
  | 'PutResourcePolicy'
  | 'PutSecretValue'
  | 'RestoreSecret'
  | 'TagResource'
  | 'UntagResource'
  | 'UpdateSecret'
  | 'UpdateSecretVersionStage'
  | 'ValidateResourcePolicy';

const operations: Record<ImplementedOperation, Handler> = {
  BatchGetSecretValue: batchGetSecretValue,
  CreateSecret: createSecret,
  DeleteResourcePolicy: deleteResourcePolicy,
  DeleteSecret: deleteSecret,
  DescribeSecret: describeSecret,
  GetRandomPassword: getRandomPassword,
  GetResourcePolicy: getResourcePolicy,
  GetSecretValue: getSecretValue,
  ListSecretVersionIds: listSecretVersionIds,
  ListSecrets: listSecrets,
  PutResourcePolicy: putResourcePolicy,
  PutSecretValue: putSecretValue,
  RestoreSecret: restoreSecret,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateSecret: updateSecret,
  UpdateSecretVersionStage: updateSecretVersionStage,
  ValidateResourcePolicy: validateResourcePolicy,
};

export const secretsManager: ServiceImplementation = {
  operations,
  // Secrets Manager's error shapes name their member "Message".
  errorStyle: { messageKey: 'Message' },
};
