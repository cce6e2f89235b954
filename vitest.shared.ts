import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * Tests import sibling packages from their sources, so a test run needs no build and sees the
 * current code; the built entry points are checked by publint, attw and the examples.
 */
export const sharedTestConfig = defineConfig({
  resolve: {
    alias: [
      { find: /^@myoseg\/datasets\/node$/, replacement: src('datasets/src/node.ts') },
      ...['core', 'datasets', 'models', 'node'].map((name) => ({
        find: new RegExp(`^@myoseg/${name}$`),
        replacement: src(`${name}/src/index.ts`),
      })),
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    testTimeout: 60_000,
    pool: 'forks',
  },
});
