import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace';

export default defineConfig({
  test: {
    projects,
    // Two files at a time even on a 2-core machine (vitest's default there is one): most files wait on real
    // brokers, databases, child processes and Chromium, not on the CPU.
    maxWorkers: 2,
  },
});
