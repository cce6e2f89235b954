// Checks that what each package publishes resolves in every consumer setup (publint, attw).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const packages = readdirSync('packages', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `packages/${d.name}`);

for (const dir of packages) {
  console.log(`\n== ${dir}`);
  execFileSync('npx', ['publint', '--strict', dir], { stdio: 'inherit' });
  execFileSync('npx', ['attw', '--pack', dir, '--profile', 'node16'], { stdio: 'inherit' });
}
