// LabelParameterVersion and UnlabelParameterVersion. A label names one version of a parameter at
// a time (labeling another version moves it); a version carries at most ten.

import type * as SSM from '@aws-sdk/client-ssm';
import { ServiceError } from '../../errors.js';
import type { Handler, RequestContext } from '../types.js';
import { parameterNotFound, versionNotFound } from './errors.js';
import { parseReference } from './names.js';
import { parameters, versionKey, versions, versionsOf, type StoredParameter } from './state.js';

const MAX_LABELS = 10;

/** AWS's label rules: letters, digits, "." "-" "_"; not starting with a digit, "aws" or "ssm" (any case). */
function isValidLabel(label: string): boolean {
  return /^[a-zA-Z0-9_.-]+$/.test(label) && !/^[0-9]/.test(label) && !/^(aws|ssm)/i.test(label);
}

function labeledParameter(ctx: RequestContext, requested: string): StoredParameter {
  const asked = requested.trim();
  const reference = parseReference(asked, ctx.account, ctx.region);
  const parameter = reference && !reference.foreign && !reference.selector ? parameters(ctx).get(reference.name) : undefined;
  if (!parameter) throw parameterNotFound(asked);
  return parameter;
}

export const labelParameterVersion: Handler<SSM.LabelParameterVersionRequest, SSM.LabelParameterVersionResult> = (input, ctx) => {
  const parameter = labeledParameter(ctx, input.Name!);
  const versionNumber = input.ParameterVersion ?? parameter.Version;
  const all = versionsOf(ctx, parameter.Name);
  const target = all.find((v) => v.Version === versionNumber);
  if (!target) throw versionNotFound(parameter.Name, versionNumber);
  const invalid = input.Labels!.filter((l) => !isValidLabel(l));
  const valid = [...new Set(input.Labels!.filter(isValidLabel))];
  const labels = [...new Set([...target.Labels, ...valid])];
  if (labels.length > MAX_LABELS) {
    throw new ServiceError(
      'ParameterVersionLabelLimitExceeded',
      'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.',
    );
  }
  ctx.store.transaction(() => {
    for (const other of all) {
      if (other.Version === versionNumber || !other.Labels.some((l) => valid.includes(l))) continue;
      versions(ctx).put(versionKey(other.Name, other.Version), { ...other, Labels: other.Labels.filter((l) => !valid.includes(l)) });
    }
    versions(ctx).put(versionKey(target.Name, target.Version), { ...target, Labels: labels });
  });
  return { InvalidLabels: invalid, ParameterVersion: versionNumber };
};

export const unlabelParameterVersion: Handler<SSM.UnlabelParameterVersionRequest, SSM.UnlabelParameterVersionResult> = (input, ctx) => {
  const parameter = labeledParameter(ctx, input.Name!);
  const target = versions(ctx).get(versionKey(parameter.Name, input.ParameterVersion!));
  if (!target) throw versionNotFound(parameter.Name, input.ParameterVersion!);
  const asked = [...new Set(input.Labels!)];
  const removed = asked.filter((l) => target.Labels.includes(l));
  const invalid = asked.filter((l) => !target.Labels.includes(l));
  versions(ctx).put(versionKey(target.Name, target.Version), { ...target, Labels: target.Labels.filter((l) => !removed.includes(l)) });
  return { RemovedLabels: removed, InvalidLabels: invalid };
};
