// `npm run train:pretrained`: trains the model that @myoseg/pretrained ships, seeded, from synthetic data only,
// and writes it into packages/pretrained/model/ with its digest in packages/pretrained/src/pretrained-model.ts.
// `npm run train:pretrained -- --evaluate` then scores it (scripts/evaluate-pretrained.mjs) for the model card.
// Needs the build (`npm run build`) and onnxruntime-node (installed by `npm ci` here); about an hour on 2 cores.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cli = join(root, 'packages/node/dist/cli.js');

/** What the shipped model is trained on and with: change these and the model's version together. */
export const RECIPE = {
  version: '0.6.0',
  preset: 'standard',
  data: { patients: 1200, seed: 2026, appearance: 'varied' },
  trainSeed: 0,
  weights: 'float16',
};

const { values } = parseArgs({
  options: {
    work: { type: 'string', default: join(root, '.pretrained-work') },
    evaluate: { type: 'boolean' },
  },
});
const work = resolve(values.work);
const modelDir = join(root, 'packages/pretrained/model');

const myoseg = (...args) => execFileSync(process.execPath, [cli, ...args], { stdio: 'inherit' });

function digestFolder(dir) {
  const out = {};
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

if (values.evaluate) {
  await import('./evaluate-pretrained.mjs');
} else {
  if (!existsSync(cli)) throw new Error('run `npm run build` first');
  mkdirSync(work, { recursive: true });
  const data = join(work, 'train-data');
  if (!existsSync(data)) {
    const { patients, seed, appearance } = RECIPE.data;
    myoseg(
      'synth',
      '--patients',
      String(patients),
      '--seed',
      String(seed),
      '--appearance',
      appearance,
      '--out',
      data,
    );
  }
  const trained = join(work, 'model');
  // a finished model in the work folder is kept (delete it to train again); an interrupted run resumes
  const complete =
    existsSync(join(trained, 'myoseg.json')) &&
    JSON.parse(readFileSync(join(trained, 'myoseg.json'), 'utf8')).complete !== false;
  if (!complete)
    myoseg(
      'train',
      '--data',
      data,
      '--preset',
      RECIPE.preset,
      '--no-filters',
      '--seed',
      String(RECIPE.trainSeed),
      '--weights',
      RECIPE.weights,
      '--out',
      trained,
      ...(existsSync(`${trained}.checkpoint`) ? ['--resume'] : []),
    );
  rmSync(modelDir, { recursive: true, force: true });
  cpSync(trained, modelDir, { recursive: true, filter: (src) => !src.endsWith('.myoseg-output.json') });
  const files = digestFolder(modelDir);
  const { patients, seed, appearance } = RECIPE.data;
  writeFileSync(
    join(root, 'packages/pretrained/src/pretrained-model.ts'),
    `import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by \`npm run train:pretrained\`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '${RECIPE.version}',
  manifestSha256: '${files['myoseg.json']}',
  preset: '${RECIPE.preset}',
  trainingData: 'synthesizeAcdc: ${patients} patients, appearance ${appearance}, seed ${seed}; all slices',
};
`,
  );
  const card = join(root, 'packages/pretrained/MODEL_CARD.md');
  const list = Object.entries(files)
    .map(([path, digest]) => `| \`${path}\` | ${statSync(join(modelDir, path)).size} | \`${digest}\` |`)
    .join('\n');
  writeFileSync(
    card,
    readFileSync(card, 'utf8').replace(
      /<!-- FILES:BEGIN[\s\S]*?FILES:END -->/,
      `<!-- FILES:BEGIN (written by npm run train:pretrained) -->\n| file | bytes | sha256 |\n|---|---|---|\n${list}\n<!-- FILES:END -->`,
    ),
  );
  console.log(
    `wrote ${relative(root, modelDir)} (${Object.keys(files).length} files); now: npm run train:pretrained -- --evaluate`,
  );
}
