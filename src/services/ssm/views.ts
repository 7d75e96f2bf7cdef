// How a stored version looks in each kind of answer: GetParameter's Parameter, DescribeParameters'
// ParameterMetadata, GetParameterHistory's ParameterHistory.

import type * as SSM from '@aws-sdk/client-ssm';
import type { RequestContext } from '../types.js';
import { parameterArn } from './names.js';
import { policiesView } from './policies.js';
import type { StoredVersion } from './state.js';

/** SecureString values show as ciphertext unless the caller asked for decryption. */
export function shownValue(version: StoredVersion, decrypt: boolean | undefined): string {
  return version.Type === 'SecureString' && !decrypt ? version.Ciphertext! : version.Value;
}

export function parameterView(version: StoredVersion, ctx: RequestContext, decrypt: boolean | undefined, selector?: string): SSM.Parameter {
  return {
    Name: version.Name,
    Type: version.Type as SSM.ParameterType,
    Value: shownValue(version, decrypt),
    Version: version.Version,
    Selector: selector,
    LastModifiedDate: new Date(version.LastModifiedDate),
    ARN: parameterArn(version.Name, ctx.account, ctx.region),
    DataType: version.DataType,
  };
}

export function metadataView(version: StoredVersion, ctx: RequestContext): SSM.ParameterMetadata {
  return {
    Name: version.Name,
    ARN: parameterArn(version.Name, ctx.account, ctx.region),
    Type: version.Type as SSM.ParameterType,
    KeyId: version.KeyId,
    LastModifiedDate: new Date(version.LastModifiedDate),
    LastModifiedUser: version.LastModifiedUser,
    Description: version.Description,
    AllowedPattern: version.AllowedPattern,
    Version: version.Version,
    Tier: version.Tier as SSM.ParameterTier,
    Policies: policiesView(version.Policies),
    DataType: version.DataType,
  };
}

export function historyView(version: StoredVersion, decrypt: boolean | undefined): SSM.ParameterHistory {
  return {
    Name: version.Name,
    Type: version.Type as SSM.ParameterType,
    KeyId: version.KeyId,
    LastModifiedDate: new Date(version.LastModifiedDate),
    LastModifiedUser: version.LastModifiedUser,
    Description: version.Description,
    Value: shownValue(version, decrypt),
    AllowedPattern: version.AllowedPattern,
    Version: version.Version,
    Labels: version.Labels,
    Tier: version.Tier as SSM.ParameterTier,
    Policies: policiesView(version.Policies),
    DataType: version.DataType,
  };
}
