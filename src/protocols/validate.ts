// Checks decoded input against the model before any handler runs, and answers with the
// Coral-style message AWS uses: "1 validation error detected: Value null at 'name' failed to
// satisfy constraint: Member must not be null".

import { ServiceError } from '../errors.js';
import type { ServiceModel, Shape } from './model.js';

/** Constraints the minified models leave out, as data: shape path -> constraint. */
export interface MemberConstraints {
  min?: number;
  max?: number;
  enum?: string[];
  pattern?: string;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function collect(value: unknown, shape: Shape, model: ServiceModel, path: string, problems: string[]): void {
  if (value === undefined || value === null) return;
  if (shape.type === 'structure' && typeof value === 'object' && !shape.document) {
    const record = value as Record<string, unknown>;
    for (const name of shape.required ?? []) {
      const member = model.resolve(shape.members?.[name]);
      // Path labels are checked by the route itself; a missing one means a different operation.
      if (member.location === 'uri') continue;
      if (record[name] === undefined || record[name] === null) {
        problems.push(`Value null at '${path ? path + '.' : ''}${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);
      }
    }
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (record[name] !== undefined) collect(record[name], model.resolve(ref), model, `${path ? path + '.' : ''}${lowerFirst(name)}`, problems);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    const member = model.resolve(shape.member);
    value.forEach((item, i) => collect(item, member, model, `${path}.${i + 1}.member`, problems));
  } else if (shape.type === 'map' && typeof value === 'object') {
    const member = model.resolve(shape.value);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) collect(v, member, model, `${path}.${k}`, problems);
  }
}

export function validateInput(input: Record<string, unknown>, shape: Shape, model: ServiceModel, code: string): void {
  const problems: string[] = [];
  collect(input, shape, model, '', problems);
  if (problems.length === 0) return;
  const count = problems.length;
  throw new ServiceError(code, `${count} validation error${count > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
}
