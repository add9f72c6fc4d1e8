/**
 * The test projects, one per package. The root vitest.config.ts reads this list (vitest 4 takes projects from
 * `test.projects` and ignores workspace files by themselves).
 */
export default [
  'proto/vitest.config.ts',
  'edge-agent/vitest.config.ts',
  'cloud/vitest.config.ts',
  'dashboard/vitest.config.ts',
  'scripts/vitest.config.ts',
];
