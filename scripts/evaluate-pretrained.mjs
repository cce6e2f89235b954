// `npm run train:pretrained -- --evaluate`: scores @myoseg/pretrained's model with `myoseg evaluate` (whole volumes,
// ED and ES, every slice with ground truth) on cohorts that training never saw, and writes the tables into
// packages/pretrained/MODEL_CARD.md (between its EVALUATION markers) and .pretrained-work/evaluation.json.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizePatient } from '@myoseg/datasets';
import { synthesizeAcdc } from '@myoseg/datasets/node';
import { COHORTS } from './pretrained-cohorts.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const work = join(root, '.pretrained-work');
const cli = join(root, 'packages/node/dist/cli.js');

const rows = [];
for (const c of COHORTS) {
  const data = join(work, `eval-${c.seed}-${c.patients}`);
  if (!existsSync(data))
    await synthesizeAcdc({ patients: c.patients, seed: c.seed, outDir: data, params: c.params });
  const out = join(work, `eval-${c.seed}-${c.patients}-out`);
  rmSync(out, { recursive: true, force: true });
  // no --model: the CLI's default, @myoseg/pretrained, digests checked
  const json = execFileSync(process.execPath, [cli, 'evaluate', '--data', data, '--out', out, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const s = JSON.parse(json.trim().split('\n').at(-1));
  rows.push({
    cohort: c.name,
    patients: s.patients,
    frames: s.frames,
    summary: s,
    byContrast: byContrast(c, out),
  });
}

/**
 * Mean frame Dice per contrast family of a 'varied' cohort (each patient's family drawn again by the generator),
 * or null for a cohort of one look. The families' shares are the generator's (40 % bSSFP, 20 % each of the others).
 */
function byContrast(c, out) {
  if (c.params.appearance !== 'varied') return null;
  const family = new Map();
  for (let i = 0; i < c.patients; i++) {
    const p = synthesizePatient(i, { patients: c.patients, seed: c.seed, params: c.params });
    family.set(p.id, p.anatomy.look.contrast);
  }
  const [header, ...lines] = readFileSync(join(out, 'frames.csv'), 'utf8').trim().split('\n');
  const column = header.split(',').indexOf('dice');
  const dice = {};
  for (const line of lines) {
    const cells = line.split(',');
    const key = family.get(cells[0]);
    dice[key] = [...(dice[key] ?? []), Number(cells[column])];
  }
  return Object.fromEntries(
    Object.entries(dice).map(([k, v]) => [
      k,
      { frames: v.length, dice: v.reduce((a, b) => a + b, 0) / v.length },
    ]),
  );
}

const f = (x, d = 3) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
const table = [
  '| cohort (unseen in training) | patients / frames | frame Dice | ED / ES Dice | HD95 (mm) | HD (mm) | mass error, mean / mean abs (g) | slice Dice |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(({ cohort, patients, frames, summary: s }) =>
    [
      cohort,
      `${patients} / ${frames}`,
      `**${f(s.meanFrameDice)}**`,
      `${f(s.byPhase?.ED?.dice)} / ${f(s.byPhase?.ES?.dice)}`,
      f(s.meanFrameHd95Mm, 1),
      f(s.meanFrameHdMm, 1),
      `${f(s.meanMassErrorG, 1)} / ${f(s.meanAbsMassErrorG, 1)}`,
      f(s.meanSliceDice),
    ]
      .join(' | ')
      .replace(/^/, '| ')
      .replace(/$/, ' |'),
  ),
].join('\n');
const byGroup = rows
  .map(({ cohort, summary: s }) => {
    const groups = Object.entries(s.byGroup ?? {})
      .map(([g, v]) => `${g} ${f(v.dice)}`)
      .join(', ');
    return `- ${cohort}: ${groups}`;
  })
  .join('\n');
const byFamily = rows
  .filter((r) => r.byContrast)
  .map(({ cohort, byContrast: b }) => {
    const families = Object.entries(b)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([k, v]) => `${k} ${f(v.dice)} (${v.frames} frames)`)
      .join(', ');
    return `- ${cohort}: ${families}`;
  })
  .join('\n');
const section = `<!-- EVALUATION:BEGIN (written by npm run train:pretrained -- --evaluate) -->
Measured with \`myoseg evaluate\` (whole volumes, ED and ES, every slice with ground truth, volume-consistent
localization with the localizer's second look, onnxruntime-node), on ${new Date().toISOString().slice(0, 10)}:

${table}

Frame Dice per ACDC group:
${byGroup}

Frame Dice per contrast family of the varied cohorts (bSSFP is the intended use; \`random\` is SynthSeg-style
arbitrary tissue intensities):
${byFamily}
<!-- EVALUATION:END -->`;
const card = join(root, 'packages/pretrained/MODEL_CARD.md');
const text = readFileSync(card, 'utf8');
writeFileSync(card, text.replace(/<!-- EVALUATION:BEGIN[\s\S]*?EVALUATION:END -->/, section));
writeFileSync(join(work, 'evaluation.json'), `${JSON.stringify(rows, null, 2)}\n`);
console.log(table);
console.log(byGroup);
console.log(byFamily);
