import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'edge-agent',
    include: ['test/**/*.test.ts'],
  },
});
