// `npm test`: the four @myoseg packages as a user gets them from npm. It packs them (`npm pack`, so only what
// `files` lists), installs the tarballs in a new project outside the repository, trains a tiny model there with
// the installed `myoseg` command, then runs segment.mjs (ESM), test/require-check.cjs (CJS) and the example of
// each package's README against it. A broken `exports` map, a file missing from `files`, an undeclared
// dependency or a README example that no longer runs fails here, where the workspace's links would hide it.
// Needs the packages built (`npm run build`) and the npm registry.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const here = join(import.meta.dirname, '..');
const repo = join(here, '..', '..');
const PACKAGES = ['core', 'datasets', 'models', 'pretrained', 'node'];

// npm hands its config to scripts as npm_* variables (the workspace's prefix among them); the nested npm must
// only see the temporary project, keeping just where the cache, registry and certificates are
const KEEP = /^npm_config_(cache|userconfig|globalconfig|cafile|registry|.*proxy|strict_ssl)$/i;
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || KEEP.test(k)),
);
env.ONNXRUNTIME_NODE_INSTALL = 'skip';

/** Runs a command and returns its stdout; on failure, throws with its output. */
async function step(what, cwd, file, args) {
  const t0 = performance.now();
  try {
    const { stdout } = await exec(file, args, { cwd, env, maxBuffer: 64 << 20 });
    console.log(`ok ${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    return stdout;
  } catch (e) {
    throw new Error(`${what} failed: ${file} ${args.join(' ')}\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

/** The example of a package's README (its first js block under "## Example"), after checking its sections. */
function readmeExample(pkg, readme) {
  const name = `@myoseg/${pkg}`;
  for (const heading of ['## Install', '## Example', '## Docs'])
    assert.ok(readme.includes(`\n${heading}\n`), `${name} README: no "${heading}" section`);
  const api = `docs/api/modules/_myoseg_${pkg}.html`;
  assert.ok(readme.includes(api), `${name} README: does not say where its API docs are (${api})`);
  const section = readme.slice(readme.indexOf('\n## Example\n') + 1).split('\n## ')[0];
  const code = section.match(/```js\n([\s\S]*?)```/)?.[1];
  assert.ok(code, `${name} README: no js block under "## Example"`);
  return code;
}

/** The number that `pattern`'s first group captures in `text`, or undefined when it does not match. */
function numberIn(text, pattern) {
  const m = text.match(pattern);
  return m ? Number(m[1]) : undefined;
}

const DICE = /^Dice: (\S+)$/m;
const VOLUME = /^volume \(myoseg\): (\S+) ml$/m;
const TRUE_VOLUME = /^volume \(ground truth\): (\S+) ml$/m;

const t0 = performance.now();
const tmp = await mkdtemp(join(tmpdir(), 'myoseg-node-segment-'));
try {
  const packed = JSON.parse(
    await step('npm pack', repo, 'npm', [
      'pack',
      '--json',
      '--pack-destination',
      tmp,
      ...PACKAGES.flatMap((p) => ['-w', `packages/${p}`]),
    ]),
  );
  const project = join(tmp, 'project');
  await mkdir(project);
  const dependencies = Object.fromEntries(packed.map((p) => [p.name, `file:../${p.filename}`]));
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'myoseg-consumer', version: '0.0.0', private: true, dependencies }, null, 2),
  );
  await step('npm install (the tarballs)', project, 'npm', ['install', '--no-audit', '--no-fund']);
  // every @myoseg package in the tree, nested ones too, must be a tarball, never one fetched from the registry
  const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8'));
  const fromRegistry = Object.entries(lock.packages)
    .filter(([path, p]) => /node_modules\/@myoseg\//.test(path) && !p.resolved?.startsWith('file:'))
    .map(([path]) => path);
  assert.deepEqual(fromRegistry, [], '@myoseg packages not installed from the tarballs');

  for (const file of ['segment.mjs', 'test/require-check.cjs', 'test/tiny-preset.json'])
    await copyFile(join(here, file), join(project, file.replace(/^test\//, '')));
  const myoseg = join(project, 'node_modules', '.bin', 'myoseg');
  // the layout `myoseg demo` writes, which the README examples use
  await step('myoseg synth', project, myoseg, [
    'synth',
    '--patients',
    '5',
    '--out',
    'myoseg-demo/data',
    '--seed',
    '3',
  ]);
  await step('myoseg train (tiny preset)', project, myoseg, [
    'train',
    '--data',
    'myoseg-demo/data',
    '--preset',
    'tiny-preset.json',
    '--out',
    'myoseg-demo/model',
    '--seed',
    '2',
  ]);

  const model = join('myoseg-demo', 'model');
  const image = join('myoseg-demo', 'data', 'training', 'patient001', 'patient001_frame01.nii.gz');
  const esm = await step('segment.mjs (ESM)', project, process.execPath, ['segment.mjs', model, image]);
  console.log(esm.replace(/^/gm, '    ').trimEnd());
  const found = esm.match(/^myocardium found on (\d+) of (\d+) slices/m);
  assert.ok(found && Number(found[1]) > 0, `segment.mjs found no myocardium:\n${esm}`);
  const diceValue = numberIn(esm, DICE);
  assert.ok(diceValue >= 0 && diceValue <= 1, `segment.mjs: Dice should lie in [0, 1]:\n${esm}`);
  assert.ok(numberIn(esm, VOLUME) > 0, `segment.mjs: no predicted volume:\n${esm}`);
  assert.ok(numberIn(esm, TRUE_VOLUME) > 0, `segment.mjs: no true volume:\n${esm}`);

  // without a _gt file beside the image: the volume only
  await copyFile(join(project, image), join(project, 'no-labels.nii.gz'));
  const alone = await step('segment.mjs without labels', project, process.execPath, [
    'segment.mjs',
    model,
    'no-labels.nii.gz',
  ]);
  assert.equal(numberIn(alone, VOLUME), numberIn(esm, VOLUME));
  assert.equal(numberIn(alone, DICE), undefined, `Dice printed without labels:\n${alone}`);

  const cjs = JSON.parse(
    await step('require-check.cjs (CJS)', project, process.execPath, ['require-check.cjs', model, image]),
  );
  console.log(`    ${JSON.stringify(cjs)}`);
  assert.equal(cjs.backend, esm.match(/^backend: ([\w-]+)/m)?.[1], 'CJS and ESM chose different backends');
  assert.ok(cjs.found && cjs.areaMm2 > 0, 'the CJS build found no myocardium on the middle slice');
  assert.ok(cjs.dice >= 0 && cjs.dice <= 1, `CJS Dice should lie in [0, 1], got ${cjs.dice}`);

  for (const name of PACKAGES) {
    const readme = await readFile(join(project, 'node_modules', '@myoseg', name, 'README.md'), 'utf8');
    await writeFile(join(project, `readme-${name}.mjs`), readmeExample(name, readme));
    const out = await step(`README example of @myoseg/${name}`, project, process.execPath, [
      `readme-${name}.mjs`,
    ]);
    console.log(out.trimEnd().replace(/^/gm, '    '));
  }
  console.log(`node-segment: passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  await rm(tmp, { recursive: true, force: true });
}
