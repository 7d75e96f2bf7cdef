// Service rules AWS checks beyond the model's own constraints (those run generically first).

import { validationError } from '../../errors.js';
import { invalidParameter } from './errors.js';

/** Runtimes Fogbank runs as host processes, by language. */
export const SUPPORTED_RUNTIMES: Record<string, 'nodejs' | 'python' | 'provided'> = {
  'nodejs18.x': 'nodejs',
  'nodejs20.x': 'nodejs',
  'nodejs22.x': 'nodejs',
  'python3.9': 'python',
  'python3.10': 'python',
  'python3.11': 'python',
  'python3.12': 'python',
  'python3.13': 'python',
  'provided.al2': 'provided',
  'provided.al2023': 'provided',
};

/** Runtimes AWS no longer accepts for new or updated functions. */
const DEPRECATED = new Set([
  'nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x',
  'python2.7', 'python3.6', 'python3.7', 'python3.8', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'dotnet6',
  'ruby2.5', 'ruby2.7', 'java8', 'go1.x', 'provided',
]);

export function checkRuntime(runtime: string): void {
  if (DEPRECATED.has(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  if (!SUPPORTED_RUNTIMES[runtime]) {
    throw invalidParameter(`The runtime parameter of ${runtime} is not supported by Fogbank: it runs Node.js (nodejs18.x-22.x), Python (python3.9-3.13) and custom (provided.al2, provided.al2023) runtimes.`);
  }
}

/** Variables Lambda sets itself; a function may not define them. */
const RESERVED_VARIABLES = [
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
];

/** AWS's 4 KB limit, measured on the variables as JSON. */
const MAX_ENVIRONMENT_BYTES = 4096;

export function checkEnvironment(variables: Record<string, string> | undefined): void {
  if (!variables) return;
  const reserved = Object.keys(variables).filter((k) => RESERVED_VARIABLES.includes(k));
  if (reserved.length) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > MAX_ENVIRONMENT_BYTES) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}

export function checkRuntimeAndHandler(runtime: string | undefined, handler: string | undefined): void {
  if (!runtime || !handler) throw invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  checkRuntime(runtime);
}

/** Limits AWS enforces beyond the model's (which allows up to 32768 MB and any timeout >= 1). */
export function checkLimits(timeout: number | undefined, memorySize: number | undefined): void {
  if (timeout !== undefined && timeout > 900) {
    throw validationError(`1 validation error detected: Value '${timeout}' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900`);
  }
  if (memorySize !== undefined && memorySize > 10240) {
    throw invalidParameter(`'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to 10240`);
  }
}
