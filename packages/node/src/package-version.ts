import { createRequire } from 'node:module';

/** The version of `@myoseg/node` (as its package.json says), for what the CLI writes into its outputs. */
export function myosegVersion(): string {
  return (createRequire(import.meta.url)('@myoseg/node/package.json') as { version: string }).version;
}
