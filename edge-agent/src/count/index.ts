/** Counting rules and the geometry they share with drawing code. */
export * from './geometry';
export { LineCrossing, type LineCrossingOptions } from './line-crossing';
export { Zone, type ZoneOptions } from './zone';
export { RuleEngine, RULE_DEFAULTS, type RuleEngineOptions } from './rule-engine';
