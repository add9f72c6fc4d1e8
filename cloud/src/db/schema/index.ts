// One file per table (or small family of tables); this index is what drizzle-kit and the client read.
export * from './organisations';
export * from './users';
export * from './refresh-tokens';
export * from './sites';
export * from './devices';
export * from './models';
export * from './cameras';
export * from './rules';
export * from './config-versions';
export * from './claim-codes';
export * from './audit-log';
export * from './events';
export * from './rollups';
export * from './ingest';
export * from './alerts';
export * from './login-failures';
export * from './invitations';
