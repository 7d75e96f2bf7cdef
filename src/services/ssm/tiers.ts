// Parameter tiers: Standard (4 KB values, no policies), Advanced (8 KB, policies), and
// Intelligent-Tiering, which picks the cheaper tier that fits the request.

import { ServiceError } from '../../errors.js';
import { validation } from './errors.js';

export const STANDARD_MAX_VALUE = 4096;
export const ADVANCED_MAX_VALUE = 8192;

export interface TierRequest {
  requested?: string;
  /** The tier the parameter has now, when overwriting. */
  current?: string;
  valueBytes: number;
  hasPolicies: boolean;
}

/** The tier a write lands in, or AWS's error when the request does not fit it. */
export function resolveTier({ requested, current, valueBytes, hasPolicies }: TierRequest): string {
  let tier: string;
  if (requested === 'Intelligent-Tiering') {
    tier = valueBytes > STANDARD_MAX_VALUE || hasPolicies || current === 'Advanced' ? 'Advanced' : 'Standard';
  } else {
    // Without a Tier, an existing parameter keeps its own; a new one gets the default, Standard.
    tier = requested ?? current ?? 'Standard';
  }
  if (tier === 'Standard' && current === 'Advanced') {
    throw validation(
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter. Be aware that standard parameters have a value limit of 4096 characters.",
    );
  }
  if (tier === 'Standard' && valueBytes > STANDARD_MAX_VALUE) {
    throw validation(
      `Standard tier parameters support a maximum parameter value of ${STANDARD_MAX_VALUE} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html`,
    );
  }
  if (tier === 'Advanced' && valueBytes > ADVANCED_MAX_VALUE) {
    throw validation(`Advanced tier parameters support a maximum parameter value of ${ADVANCED_MAX_VALUE} characters.`);
  }
  if (tier === 'Standard' && hasPolicies) {
    throw new ServiceError('ValidationException', 'Parameter policies are only supported for advanced-parameter tier. To use parameter policies, upgrade the parameter to use the advanced-parameter tier.');
  }
  return tier;
}
