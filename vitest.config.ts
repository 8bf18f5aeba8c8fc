import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    clearMocks: true,
    restoreMocks: true,
    // Server-backed suites (PostgreSQL, the Snowflake emulator, the Pulumi CLI) take seconds to start.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
