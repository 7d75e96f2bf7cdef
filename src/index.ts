// The programmatic API for test suites: start a Fogbank in-process, read its endpoint, move its
// clock, reset its state, stop it.

export { Fogbank, startFogbank, VERSION, type FogbankOptions } from './fogbank.js';
export { Clock } from './clock.js';
export { ServiceError } from './errors.js';
