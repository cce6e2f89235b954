// API reports: one etc/<package>[-<subpath>].api.md per entry of every packages/*/package.json "exports" map
// (`@myoseg/core` → etc/core.api.md, `@myoseg/datasets/node` → etc/datasets-node.api.md), written by API Extractor
// from the built `.d.ts` with the shared settings of api-extractor.json. A new subpath entry gets its report without
// any change here.
//   node scripts/api-report.mjs          rewrite the reports (npm run api)
//   node scripts/api-report.mjs --check  fail when a report differs from what the code exports (npm run api:check)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const template = join(root, 'api-extractor.json');
const reportFolder = join(root, 'etc');
const tempFolder = join(root, 'node_modules', '.cache', 'api-extractor');

/** The `.d.ts` an `exports` target gives to `import` (conditions nest), or undefined for non-code entries. */
function typesOf(target) {
  if (typeof target === 'string') return target.endsWith('.d.ts') ? target : undefined;
  if (target === null || typeof target !== 'object') return undefined;
  if (typeof target.types === 'string') return target.types;
  return typesOf(target.import) ?? typesOf(target.default);
}

/** Every entry point of every package: `{ name, packageFolder, typesPath }`. */
function entries() {
  const found = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const packageFolder = join(root, 'packages', dir);
    const packageJson = join(packageFolder, 'package.json');
    if (!existsSync(packageJson)) continue;
    const pkg = JSON.parse(readFileSync(packageJson, 'utf8'));
    if (pkg.private) continue;
    const unscoped = pkg.name.replace(/^@[^/]+\//, '');
    const exportsMap =
      typeof pkg.exports === 'object' && pkg.exports !== null && !Array.isArray(pkg.exports)
        ? pkg.exports
        : { '.': pkg.exports ?? { types: pkg.types } };
    for (const [subpath, target] of Object.entries(exportsMap)) {
      const types = typesOf(target);
      if (types === undefined) continue; // ./package.json and other files
      if (subpath.includes('*'))
        throw new Error(`${packageJson}: API reports need named entries, not ${subpath}`);
      const suffix = subpath === '.' ? '' : `-${subpath.replace(/^\.\//, '').replaceAll('/', '-')}`;
      found.push({
        name: `${unscoped}${suffix}`,
        entry: `${pkg.name}${subpath.slice(1)}`,
        packageFolder,
        types,
      });
    }
  }
  return found;
}

const all = entries();
mkdirSync(reportFolder, { recursive: true });
const problems = [];
for (const { name, entry, packageFolder, types } of all) {
  const typesPath = join(packageFolder, types);
  if (!existsSync(typesPath)) {
    problems.push(`${entry}: ${typesPath} is missing: run \`npm run build\` first`);
    continue;
  }
  const configObject = ExtractorConfig.loadFile(template);
  configObject.projectFolder = packageFolder;
  configObject.mainEntryPointFilePath = typesPath;
  configObject.apiReport.reportFileName = name;
  const config = ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: template,
    packageJsonFullPath: join(packageFolder, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false });
  const report = `etc/${name}.api.md`;
  if (check && result.apiReportChanged) {
    const state = existsSync(join(root, report)) ? 'is out of date' : 'is missing';
    problems.push(
      `${report} ${state} for ${entry}: run \`npm run api\` and commit it ` +
        `(what changed: diff -u ${report} ${join(tempFolder, `${name}.api.md`).slice(root.length + 1)})`,
    );
  } else if (!result.succeeded) {
    problems.push(`${entry}: ${result.errorCount} error(s), ${result.warningCount} warning(s) above`);
  } else {
    console.log(`${report}: ${check ? 'up to date' : 'written'} (${entry})`);
  }
}

// Reports of entries that no longer exist (a renamed or removed subpath).
const expected = new Set(all.map((e) => `${e.name}.api.md`));
for (const file of existsSync(reportFolder) ? readdirSync(reportFolder) : []) {
  if (!file.endsWith('.api.md') || expected.has(file)) continue;
  if (check) problems.push(`etc/${file} belongs to no package entry: run \`npm run api\` to remove it`);
  else {
    rmSync(join(reportFolder, file));
    console.log(`etc/${file}: removed (no entry exports it any more)`);
  }
}

if (problems.length > 0) {
  console.error(`\napi${check ? ':check' : ''}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
