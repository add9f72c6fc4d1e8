import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [react()],
  test: {
    name: 'dashboard',
    include: ['test/**/*.test.{ts,tsx}'],
    // Component tests render into happy-dom (a DOM in Node); the end-to-end run in real Chromium lives in
    // scripts/test/dashboard-e2e.test.ts.
    environment: 'happy-dom',
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 20_000,
  },
});
