// The CommonJS builds as a `require()` user gets them, run by test/run.mjs in the project that installed the
// packed tarballs: each entry point resolves to a .cjs file inside that project, the pipeline segments a slice
// through require(), and every name the ESM build exports is there too. Prints one JSON line.
//
//   node require-check.cjs MODEL_DIR IMAGE.nii.gz
const assert = require('node:assert/strict');
const { readFileSync, realpathSync } = require('node:fs');
const { join, sep } = require('node:path');
const { gunzipSync } = require('node:zlib');
const { dice, MYOCARDIUM_LABELS, selectLabels } = require('@myoseg/core');
const { readNifti } = require('@myoseg/datasets');
const { initBackend, loadPipelineFolder } = require('@myoseg/node');

const ENTRIES = [
  '@myoseg/core',
  '@myoseg/datasets',
  '@myoseg/datasets/node',
  '@myoseg/models',
  '@myoseg/node',
];

async function main() {
  const [modelDir, imageFile] = process.argv.slice(2);
  const installed = join(realpathSync(process.cwd()), 'node_modules') + sep;
  for (const name of ENTRIES) {
    const file = realpathSync(require.resolve(name));
    assert.ok(file.startsWith(installed) && file.endsWith('.cjs'), `${name} resolved to ${file}`);
  }

  const backend = await initBackend();
  const model = await loadPipelineFolder(modelDir);
  const read = (file) => readNifti(readFileSync(file), { name: file, gunzip: (b) => gunzipSync(b) });
  const image = read(imageFile);
  const labels = read(imageFile.replace(/\.nii(\.gz)?$/, '_gt.nii$1'));
  const z = Math.floor(image.shape[0] / 2);
  const result = await model.pipeline.segment(image.volume.pick(z, null, null), {
    spacing: [image.spacing[1], image.spacing[2]],
  });
  const truth = selectLabels(labels.volume.pick(z, null, null), MYOCARDIUM_LABELS);
  model.dispose();

  // last, so that loading the ESM builds cannot affect the run above
  const missing = [];
  for (const name of ENTRIES) {
    const cjs = require(name);
    const esm = await import(name);
    for (const key of Object.keys(esm))
      if (key !== 'default' && !(key in cjs)) missing.push(`${name}: ${key}`);
  }
  assert.deepEqual(missing, [], 'names the CJS builds lack');

  console.log(
    JSON.stringify({
      backend: backend.choice,
      slice: z,
      found: result.found,
      areaMm2: result.areaMm2,
      dice: dice(result.mask, truth),
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
