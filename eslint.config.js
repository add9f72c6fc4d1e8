// ESLint flat config: typescript-eslint's recommended rules for every package, React hooks rules for the
// dashboard. Type-aware rules are left to `pnpm typecheck` to keep lint fast on a 2-core machine.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
  {
    // Scripts and tests may print; daemons log through pino.
    files: ['scripts/**', '**/test/**', '**/bin/**'],
    rules: { 'no-console': 'off' },
  },
);
