// `npm run train:pretrained`: trains the model that @myoseg/pretrained ships, seeded, from synthetic data only,
// and writes it into packages/pretrained/model/ with its digest in packages/pretrained/src/pretrained-model.ts.
// `npm run train:pretrained -- --evaluate` then scores it (scripts/evaluate-pretrained.mjs) for the model card.
// Needs the build (`npm run build`) and onnxruntime-node (installed by `npm ci` here); about 2 hours on 2 cores.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cli = join(root, 'packages/node/dist/cli.js');

/** What the shipped model is trained on and with: change these and the model's version together. */
export const RECIPE = {
  version: '0.11.0',
  // `standard` with the localizer at ½ width (the segmenter keeps ¼): 111 min of training on 2 cores (0.11.0), spent
  // once here so that users get the wider localizer without training it (docs/decisions/0008-standard-preset.md);
  // both networks rotated by up to ±180°, so that any in-plane orientation of the heart is one they saw, and trained
  // on noisier images than the twin draws, the segmenter for one more unfrozen epoch (0.11.0; docs/decisions/0017)
  preset: {
    base: 'standard',
    widthMultiplier: 0.5,
    augment: { flip: false, rotateDeg: 180, noise: true },
    segmenter: { widthMultiplier: 0.25, epochs: 3, augment: { flip: false, rotateDeg: 180, noise: true } },
  },
  presetLabel: 'standard, localizer at ½ width, rotation ±180°, noise, segmenter 1 + 3 epochs',
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

/** Every file under `dir`, by its path relative to `dir`, in sorted order. */
function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

const digestFolder = (dir) =>
  Object.fromEntries(
    filesUnder(dir).map((p) => [
      p,
      createHash('sha256')
        .update(readFileSync(join(dir, p)))
        .digest('hex'),
    ]),
  );

if (values.evaluate) {
  await import('./evaluate-pretrained.mjs');
} else {
  if (!existsSync(cli)) throw new Error('run `npm run build` first');
  mkdirSync(work, { recursive: true });
  const data = join(work, 'train-data');
  // the cohort a work folder holds is named by the recipe's data, so that a stale one is never trained on
  const stamp = join(data, 'recipe-data.json');
  if (existsSync(data) && (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== JSON.stringify(RECIPE.data)))
    throw new Error(
      `${data} holds another cohort than RECIPE.data; delete it (or pass another --work) to synthesize`,
    );
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
    writeFileSync(stamp, JSON.stringify(RECIPE.data));
  }
  const presetFile = join(work, 'preset.json');
  writeFileSync(presetFile, JSON.stringify(RECIPE.preset));
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
      presetFile,
      '--no-filters',
      '--seed',
      String(RECIPE.trainSeed),
      '--weights',
      RECIPE.weights,
      '--out',
      trained,
      ...(existsSync(`${trained}.checkpoint`) ? ['--resume'] : []),
    );
  // each network's weights stored once, in its .onnx file (tfjs reads them from there): half the package
  const { withTfjsWeightsFromOnnx } = await import('@myoseg/models');
  const written = Object.fromEntries(
    filesUnder(trained)
      .filter((p) => !p.endsWith('.myoseg-output.json'))
      .map((p) => [p, new Uint8Array(readFileSync(join(trained, p)))]),
  );
  const shipped = await withTfjsWeightsFromOnnx(written, trained);
  const staging = `${modelDir}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  for (const [path, content] of Object.entries(shipped)) {
    mkdirSync(dirname(join(staging, path)), { recursive: true });
    writeFileSync(join(staging, path), content);
  }
  rmSync(modelDir, { recursive: true, force: true });
  renameSync(staging, modelDir);
  const files = digestFolder(modelDir);
  const { patients, seed, appearance } = RECIPE.data;
  writeFileSync(
    join(root, 'packages/pretrained/src/pretrained-model.ts'),
    `import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by \`npm run train:pretrained\`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '${RECIPE.version}',
  manifestSha256: '${files['myoseg.json']}',
  preset: '${RECIPE.presetLabel}',
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
