import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

/**
 * Tests import sibling packages from their sources, so a test run needs no build and sees the
 * current code; the built entry points are checked by publint, attw and the examples.
 */
export const sharedTestConfig = defineConfig({
  resolve: {
    alias: {
      '@myoseg/core': pkg('core'),
      '@myoseg/datasets': pkg('datasets'),
      '@myoseg/models': pkg('models'),
      '@myoseg/node': pkg('node'),
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    testTimeout: 60_000,
    pool: 'forks',
  },
});
