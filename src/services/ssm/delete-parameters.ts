// DeleteParameter and DeleteParameters: a parameter goes with all its versions, labels and tags.

import type * as SSM from '@aws-sdk/client-ssm';
import type { Handler } from '../types.js';
import { parameterNotFound } from './errors.js';
import { checkName } from './names.js';
import { deleteParameter as deleteStored } from './state.js';

export const deleteParameter: Handler<SSM.DeleteParameterRequest, SSM.DeleteParameterResult> = (input, ctx) => {
  const name = checkName(input.Name!);
  if (!deleteStored(ctx, name)) throw parameterNotFound(input.Name!.trim());
  return {};
};

export const deleteParameters: Handler<SSM.DeleteParametersRequest, SSM.DeleteParametersResult> = (input, ctx) => {
  const deleted: string[] = [];
  const invalid: string[] = [];
  for (const asked of new Set(input.Names!)) {
    let name: string | undefined;
    try {
      name = checkName(asked);
    } catch {
      name = undefined;
    }
    if (name !== undefined && deleteStored(ctx, name)) deleted.push(asked);
    else invalid.push(asked);
  }
  return { DeletedParameters: deleted, InvalidParameters: invalid };
};
