// Adds up the vitest JSON reports of every package into one closing line: "N passed, N failed". Suites skipped for
// missing system packages (scripts/system-deps.mjs) are named above it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const skippedSuites = [];
for (const root of ['packages', 'examples']) {
  if (!existsSync(root)) continue;
  for (const name of readdirSync(root)) {
    const skip = `${root}/${name}/.system-deps-skipped.json`;
    if (existsSync(skip)) skippedSuites.push(JSON.parse(readFileSync(skip, 'utf8')));
    const file = `${root}/${name}/.vitest-report.json`;
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
  }
}
for (const s of skippedSuites)
  console.log(
    `\nSKIPPED ${s.suite}: \`${s.command}\` (missing ${s.missing.join(', ')}; install: ${s.install})`,
  );
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
