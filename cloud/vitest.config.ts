import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cloud',
    include: ['test/**/*.test.ts'],
    // Real brokers, databases, ffmpeg and the ONNX model: generous timeouts on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
