// `node scripts/robustness.mjs [--model DIR] [--per-group N] [--only a,b]`: how a model folder (default
// @myoseg/pretrained's) holds up when a study differs from the twin in ways real scans do. For up to N patients of
// each realistic group of the evaluation cohorts (scripts/pretrained-cohorts.mjs: A, B's bSSFP, gradient-echo and
// dark-blood looks, C) it changes each frame's stack (ED, ES) by one perturbation at a time, segments it as
// `myoseg evaluate` does (`segmentVolume`, spacing given) and prints the mean frame Dice per group, the truth changed
// with the image. Seeded: the same run prints the same table.
import { parseArgs } from 'node:util';
import { cropImage, dice, resize, seededRandom } from '@myoseg/core';
import { synthesizePatient } from '@myoseg/datasets';
import { loadPipelineFolder } from '@myoseg/node';
import ndarray from 'ndarray';
import { COHORTS } from './pretrained-cohorts.mjs';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: new URL('../packages/pretrained/model', import.meta.url).pathname },
    'per-group': { type: 'string', default: '6' },
    only: { type: 'string' },
  },
});

/** A stack: `slices` of `{ image, label }` 2D ndarrays (float32, uint8) and the spacing `[dz, dy, dx]` in mm. */
const packed = (a) => {
  const out = ndarray(new a.data.constructor(a.size), a.shape);
  for (let y = 0; y < a.shape[0]; y++) for (let x = 0; x < a.shape[1]; x++) out.set(y, x, a.get(y, x));
  return out;
};
const eachSlice = (f) => (stack, random) => ({
  ...stack,
  slices: stack.slices.map(({ image, label }) => f(image, label, stack.spacing, random)),
});
const both = (f) => eachSlice((image, label) => ({ image: f(image), label: f(label) }));
const sized = (factor) =>
  eachSlice((image, label) => {
    const size = [Math.round(image.shape[0] * factor), Math.round(image.shape[1] * factor)];
    return {
      image: resize(image, size, { method: 'bilinear' }),
      label: resize(label, size, { method: 'nearest' }),
    };
  });
/** Cuts (or, past the edges, pads with zeros) a box centred on `centre` of `[h, w]` pixels. */
const boxed = (image, label, [cy, cx], [h, w]) => {
  const y0 = Math.round(cy - h / 2);
  const x0 = Math.round(cx - w / 2);
  const box = { y0, x0, y1: y0 + h, x1: x0 + w };
  return { image: cropImage(image, box), label: cropImage(label, box) };
};
const maxOf = (stack) => {
  let top = Number.NEGATIVE_INFINITY;
  for (const { image } of stack.slices) for (const v of image.data) top = Math.max(top, v);
  return top;
};
/** The centre of the stack's myocardium, in pixels. */
const heartCentre = (stack) => {
  let [sy, sx, n] = [0, 0, 0];
  for (const { label } of stack.slices)
    for (let y = 0; y < label.shape[0]; y++)
      for (let x = 0; x < label.shape[1]; x++)
        if (label.get(y, x) === 2) [sy, sx, n] = [sy + y, sx + x, n + 1];
  return [sy / n, sx / n];
};
const gauss = (random) => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
/** Rician noise of `fraction` of the stack's maximum, on top of the twin's own. */
const rician = (fraction) => (s, random) => {
  const sd = fraction * maxOf(s);
  return eachSlice((image, label) => ({
    image: mapped(image, (v) => Math.hypot(v + sd * gauss(random), sd * gauss(random))),
    label,
  }))(s);
};

/** The perturbations, each `(stack, random) => stack`. */
const PERTURBATIONS = {
  none: (s) => s,
  // raw scanner units: an affine map of the intensities
  'scanner units': eachSlice((image, label) => ({ image: mapped(image, (v) => v * 37.5 + 1200), label })),
  // 0.05 % of the pixels at 8× the stack's maximum (flow, fat at the coil, RF spikes)
  'hot pixels': (s, random) => {
    const top = 8 * maxOf(s);
    return eachSlice((image, label) => ({
      image: mapped(image, (v) => (random() < 0.0005 ? top : v)),
      label,
    }))(s);
  },
  // Rician noise of 4 % and 8 % of the stack's maximum on top of the twin's own
  'noise 4 %': rician(0.04),
  'noise 8 %': rician(0.08),
  'quarter turn': both((a) => packed(a.transpose(1, 0).step(1, -1))),
  'half turn': both((a) => packed(a.step(-1, -1))),
  'slices reversed': (s) => ({ ...s, slices: [...s.slices].reverse() }),
  'every other slice': (s) => ({
    spacing: [2 * s.spacing[0], s.spacing[1], s.spacing[2]],
    slices: s.slices.filter((_, z) => z % 2 === 0),
  }),
  // zero-filled interpolation to twice the matrix, as scanners reconstruct; and half the matrix
  'matrix ×2': sized(2),
  'matrix ×½': sized(0.5),
  // the field of view widened to 420 mm by zero padding (whole chest), same pixel size
  'field of view 420 mm': (s) =>
    eachSlice((image, label, [, dy, dx]) => {
      const [h, w] = image.shape;
      const size = [Math.max(h, Math.round(420 / dy)), Math.max(w, Math.round(420 / dx))];
      return boxed(image, label, [h / 2, w / 2], size);
    })(s),
  // a tight 160 mm square about the heart (a cardiac field of view)
  'field of view 160 mm': (s) => {
    const centre = heartCentre(s);
    return eachSlice((image, label, [, dy]) => {
      const side = Math.min(...image.shape, Math.round(160 / dy));
      const [h, w] = image.shape;
      const c = centre.map((v, i) => Math.max(side / 2, Math.min([h, w][i] - side / 2, v)));
      return boxed(image, label, c, [side, side]);
    })(s);
  },
  // a matrix three quarters as wide (rectangular field of view)
  'rectangular matrix': eachSlice((image, label) => {
    const [h, w] = image.shape;
    return boxed(image, label, [h / 2, w / 2], [h, Math.round(0.75 * w)]);
  }),
};

function mapped(image, f) {
  return ndarray(Float32Array.from(image.data, f), image.shape);
}

const groups = [];
for (const [name, cohort, look] of [
  ['A', COHORTS[0]],
  ['B bSSFP', COHORTS[1], 'bssfp'],
  ['B gradient echo', COHORTS[1], 'gradient-echo'],
  ['B dark blood', COHORTS[1], 'dark-blood'],
  ['C', COHORTS[2]],
]) {
  const patients = [];
  for (let i = 0; i < cohort.patients && patients.length < Number(values['per-group']); i++) {
    const p = synthesizePatient(i, { patients: cohort.patients, seed: cohort.seed, params: cohort.params });
    if (!look || p.anatomy.look?.contrast === look) patients.push(p);
  }
  groups.push({ name, patients });
}

const folder = await loadPipelineFolder(values.model);
const names = values.only ? values.only.split(',') : Object.keys(PERTURBATIONS);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`| perturbation | ${groups.map((g) => g.name).join(' | ')} | mean |`);
console.log(`|---|${groups.map(() => '---|').join('')}---|`);
for (const name of names) {
  if (!(name in PERTURBATIONS)) throw new Error(`unknown perturbation '${name}'`);
  const row = [];
  for (const group of groups) {
    const scores = [];
    for (const patient of group.patients)
      for (const phase of ['ED', 'ES']) {
        const { image, label } = patient.frames[phase];
        const [d, h, w] = image.shape;
        const at = (a, z) => packed(a.pick(z, null, null));
        const stack = {
          spacing: patient.spacing,
          slices: Array.from({ length: d }, (_, z) => ({ image: at(image, z), label: at(label, z) })),
        };
        const s = PERTURBATIONS[name](stack, seededRandom(d * h * w));
        const [sh, sw] = s.slices[0].image.shape;
        const volume = ndarray(new Float32Array(s.slices.length * sh * sw), [s.slices.length, sh, sw]);
        const truth = ndarray(new Uint8Array(volume.size), volume.shape);
        s.slices.forEach(({ image: im, label: lb }, z) => {
          volume.data.set(im.data, z * sh * sw);
          truth.data.set(
            Uint8Array.from(lb.data, (v) => (v === 2 ? 1 : 0)),
            z * sh * sw,
          );
        });
        const result = await folder.pipeline.segmentVolume(volume, { spacing: s.spacing });
        scores.push(dice(result.mask, truth));
      }
    row.push(mean(scores));
  }
  console.log(`| ${name} | ${row.map((x) => x.toFixed(3)).join(' | ')} | ${mean(row).toFixed(3)} |`);
}
folder.dispose?.();
