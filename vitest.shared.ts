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
      // subpath entries: `@myoseg/<package>/<entry>` → `packages/<package>/src/<entry>.ts`
      ...[
        ['datasets', 'node'],
        ['models', 'training'],
        ['models', 'onnx'],
        ['models', 'kernels'],
        ['pretrained', 'node'],
        ['node', 'queue'],
      ].map(([name, entry]) => ({
        find: new RegExp(`^@myoseg/${name}/${entry}$`),
        replacement: src(`${name}/src/${entry}.ts`),
      })),
      ...['core', 'datasets', 'models', 'node', 'pretrained'].map((name) => ({
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
