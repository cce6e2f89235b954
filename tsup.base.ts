import type { Options } from 'tsup';

/** The build every @myoseg package shares: ESM + CJS + types + sourcemaps from `src/index.ts`. */
export const baseBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  treeshake: true,
  splitting: false,
};
