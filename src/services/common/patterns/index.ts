// One event-pattern engine for every AWS service that filters JSON by pattern: EventBridge rules,
// SNS subscription filter policies, Lambda event-source filter criteria. Patterns compile once into
// a matcher; invalid patterns throw PatternError with the reason AWS's rule compiler gives, which
// each service wraps in its own words (the helpers below).
// Not yet: the Jackson source location AWS appends to EventBridge reasons ("at [Source: ...]");
// a plain-string IP address in a pattern matching other spellings of the same address.

export { compilePattern, type CompiledPattern, type CompileOptions } from './pattern.js';
export { PatternError, type Leaf } from './leaf.js';
export { checkSnsPolicyLimits } from './sns-limits.js';

/** EventBridge's InvalidEventPatternException message for a reason. */
export function eventBridgePatternMessage(reason: string): string {
  return `Event pattern is not valid. Reason: ${reason}`;
}
