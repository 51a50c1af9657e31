import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Spawned binaries and PostgreSQL make some tests slower than unit tests on a busy 2-core box.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
