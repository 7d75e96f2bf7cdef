// Placeholder while the service is being built: every operation answers AWS's unsupported-operation error.

import type { ServiceImplementation } from '../types.js';

export const apigateway: ServiceImplementation = {
  operations: {},
};
