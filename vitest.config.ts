import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    // Child processes of the CLI run the sources under test, never a dist/ built earlier (bin/flowbridge.js).
    env: { FLOWBRIDGE_FROM_SOURCES: '1' },
  },
});
