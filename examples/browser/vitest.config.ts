import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// Only the page's pure logic has unit tests; the page itself is tested end to end by test/e2e.mjs.
export default defineConfig({
  ...sharedTestConfig,
  test: { ...sharedTestConfig.test, include: ['src/**/*.test.ts'] },
});
