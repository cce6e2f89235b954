// Benchmark of @myoseg/datasets (run after `npx tsup`; `npm run bench` does both through turbo):
//   1. synthesizeAcdc: time to write a synthetic ACDC twin (default 30 patients; --patients 150 for ACDC's size);
//   2. loadAcdc + toSlices over the whole twin: 2D samples per second;
//   3. the same with nibabel in Python (bench/nibabel_baseline.py), when python3 with nibabel is found;
// and prints ours / nibabel as a ratio (> 1: we are faster). Best of --repeat runs each (default 2).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { toSlices } from '../dist/index.js';
import { loadAcdc, synthesizeAcdc } from '../dist/node.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    repeat: { type: 'string', default: '2' },
    out: { type: 'string', default: join(here, '..', '.bench-out') },
  },
});
const patients = Number(values.patients);
const repeat = Math.max(1, Number(values.repeat));
const root = join(values.out, `twin-${patients}`);

rmSync(root, { recursive: true, force: true });
const t0 = performance.now();
await synthesizeAcdc({ patients, seed: Number(values.seed), outDir: root });
const generation = (performance.now() - t0) / 1000;
console.log(
  `twin: ${patients} patients written in ${generation.toFixed(1)} s ` +
    `(${(patients / generation).toFixed(1)} patients/s; 150 patients ≈ ${((150 * generation) / patients).toFixed(0)} s)`,
);

async function ours() {
  const start = performance.now();
  const { patients: list } = await loadAcdc(root);
  let slices = 0;
  for (const patient of list) slices += (await toSlices(patient)).length;
  return { slices, seconds: (performance.now() - start) / 1000 };
}

function nibabel() {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import nibabel'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const run = spawnSync(python, [join(here, 'nibabel_baseline.py'), root], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`nibabel baseline failed: ${run.stderr}`);
    return JSON.parse(run.stdout.trim().split('\n').pop());
  }
  return null;
}

const best = (runs) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const mine = [];
const theirs = [];
for (let i = 0; i < repeat; i++) {
  mine.push(await ours());
  const run = nibabel();
  if (run) theirs.push(run);
}
const m = best(mine);
const rate = (r) => r.slices / r.seconds;
console.log(
  `loadAcdc + toSlices: ${m.slices} slices in ${m.seconds.toFixed(2)} s = ${rate(m).toFixed(0)} slices/s`,
);
if (theirs.length === 0) {
  console.log(
    'nibabel baseline: skipped (no python3 with nibabel found; Debian: apt-get install python3-nibabel)',
  );
} else {
  const n = best(theirs);
  if (n.slices !== m.slices) throw new Error(`nibabel cut ${n.slices} slices, we cut ${m.slices}`);
  console.log(
    `nibabel ${n.nibabel}: ${n.slices} slices in ${n.seconds.toFixed(2)} s = ${rate(n).toFixed(0)} slices/s`,
  );
  console.log(`ratio ours / nibabel (slices per second): ${(rate(m) / rate(n)).toFixed(2)}`);
}
