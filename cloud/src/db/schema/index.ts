// One file per table (or small family of tables); this index is what drizzle-kit and the client read.
export * from './organisations';
