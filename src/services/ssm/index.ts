// AWS Systems Manager, Parameter Store part: String, StringList and SecureString parameters with
// versions, labels, tiers, tags, hierarchies, and /aws/reference/secretsmanager/ references read
// through Secrets Manager.
// Not yet:
// - the rest of Systems Manager: documents, Run Command (SendCommand...), Automation, State Manager
//   associations, maintenance windows, Patch Manager, inventory and compliance, OpsCenter and
//   OpsMetadata, Session Manager, managed instances and activations, resource data sync, service
//   settings, resource policies (parameter sharing), Change Calendar;
// - AWS's public parameters under /aws/service/... (reads find nothing there);
// - parameter policies are recorded and reported but never fire (no expiry or notifications);
// - SecureString uses no KMS: KeyId is recorded but not checked (InvalidKeyId never), and the
//   undecrypted value is an opaque stand-in for ciphertext; aws:ec2:image values get a format check
//   only (no AMI lookup), and the newer data types (integer, float, ...) are not accepted;
// - account limits: the 10,000 standard parameter quota (ParameterLimitExceeded), throughput
//   throttling, the 1011-character name limit that counts the ARN prefix; EventBridge events.

import type { ServiceImplementation } from '../types.js';
import { deleteParameter, deleteParameters } from './delete-parameters.js';
import { describeParameters } from './describe-parameters.js';
import { getParameters, getParameter } from './get-parameters.js';
import { getParametersByPath } from './get-parameters-by-path.js';
import { getParameterHistory } from './history.js';
import { labelParameterVersion, unlabelParameterVersion } from './labels.js';
import { putParameter } from './put-parameter.js';
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from './tags.js';

export const ssm: ServiceImplementation = {
  operations: {
    PutParameter: putParameter,
    GetParameter: getParameter,
    GetParameters: getParameters,
    GetParametersByPath: getParametersByPath,
    GetParameterHistory: getParameterHistory,
    DescribeParameters: describeParameters,
    DeleteParameter: deleteParameter,
    DeleteParameters: deleteParameters,
    LabelParameterVersion: labelParameterVersion,
    UnlabelParameterVersion: unlabelParameterVersion,
    AddTagsToResource: addTagsToResource,
    RemoveTagsFromResource: removeTagsFromResource,
    ListTagsForResource: listTagsForResource,
  },
};
