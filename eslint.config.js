// ESLint flat config: typescript-eslint's recommended rules for every package, React hooks rules for the
// dashboard. Type-aware rules are left to `pnpm typecheck` to keep lint fast on a 2-core machine.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The dashboard's layering (bulletproof-react): app/ may import features; a feature imports only itself, lib/,
 * components/ and packages, never another feature; lib/ and components/ import no feature.
 */
const FEATURES = readdirSync(new URL('./dashboard/src/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const featureImports = (names) =>
  names.flatMap((n) => [`**/features/${n}`, `**/features/${n}/**`, `../../${n}`, `../../${n}/**`]);
const dashboardLayers = [
  ...FEATURES.map((feature) => ({
    files: [`dashboard/src/features/${feature}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: featureImports(FEATURES.filter((f) => f !== feature)),
              message: 'features do not import each other: move what both need to src/lib or src/components',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['dashboard/src/lib/**', 'dashboard/src/components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/features/**'], message: 'shared code does not import features' }] },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.data/**',
      'cloud/migrations/**',
      'edge-agent/migrations/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['dashboard/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...dashboardLayers,
  {
    // Scripts and tests may print; daemons log through pino.
    files: ['scripts/**', '**/test/**', '**/bin/**'],
    rules: { 'no-console': 'off' },
  },
);
