// `npm run typecheck` in a package: `tsc --noEmit` on its tsconfig.json (sources and tests), with the repository's
// TypeScript. Not the `tsc` on PATH: tslab (examples/notebook) brings a TypeScript 5.0 fork that also names its bin
// `tsc`, and npm may link that one into node_modules/.bin.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
} catch {
  process.exit(1);
}
