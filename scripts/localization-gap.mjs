// `node scripts/localization-gap.mjs [--model DIR] [--localizer DIR] [--per-group N]`: how much of @myoseg/pretrained's loss on its
// evaluation cohorts (scripts/pretrained-cohorts.mjs) is the localizer's. For up to N patients per cohort and contrast
// family it scores each frame (ED, ES; every slice with ground truth) twice: as the pipeline segments it, and with
// the localizer replaced by the truth (myocardium ∪ LV cavity) while the crop, segmenter, σ and refinement stay.
// `--localizer DIR` scores another model folder's localizer with this model's segmenter (localizer experiments).
import { parseArgs } from 'node:util';
import { dice, resize } from '@myoseg/core';
import { synthesizePatient } from '@myoseg/datasets';
import { MyocardiumPipeline } from '@myoseg/models';
import { loadPipelineFolder } from '@myoseg/node';
import ndarray from 'ndarray';
import { COHORTS } from './pretrained-cohorts.mjs';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: new URL('../packages/pretrained/model', import.meta.url).pathname },
    localizer: { type: 'string' },
    'per-group': { type: 'string', default: '10' },
  },
});
const perGroup = Number(values['per-group']);
const folder = await loadPipelineFolder(values.model);
const other = values.localizer && (await loadPipelineFolder(values.localizer));
const pipeline = other
  ? new MyocardiumPipeline({ ...folder.pipeline, localizer: other.pipeline.localizer })
  : folder.pipeline;
/** The truth's region of each slice of the stack being segmented, at the localizer's input size. */
let truth = [];
const truthLocalizer = {
  inputSize: pipeline.localizer.inputSize,
  predict: async (images) => images.map((img, z) => resize(truth[z], img.shape, { method: 'bilinear' })),
};
const withTruth = new MyocardiumPipeline({ ...pipeline, localizer: truthLocalizer });

const rows = [];
for (const cohort of COHORTS) {
  const seen = new Map();
  for (let i = 0; i < cohort.patients; i++) {
    const patient = synthesizePatient(i, {
      patients: cohort.patients,
      seed: cohort.seed,
      params: cohort.params,
    });
    const family = patient.anatomy.look?.contrast ?? cohort.params.appearance;
    if ((seen.get(family) ?? 0) >= perGroup) continue;
    seen.set(family, (seen.get(family) ?? 0) + 1);
    for (const phase of ['ED', 'ES']) {
      const { image, label } = patient.frames[phase];
      const [d, h, w] = image.shape;
      const volume = ndarray(Float32Array.from(image.data), [d, h, w]);
      const myocardium = ndarray(
        Uint8Array.from(label.data, (v) => (v === 2 ? 1 : 0)),
        [d, h, w],
      );
      truth = Array.from({ length: d }, (_, z) =>
        ndarray(
          Float32Array.from(label.data.subarray(z * h * w, (z + 1) * h * w), (v) =>
            v === 2 || v === 3 ? 1 : 0,
          ),
          [h, w],
        ),
      );
      const actual = await pipeline.segmentVolume(volume);
      // the truth answers for whole slices only, so no second look (it would ask for windows)
      const ideal = await withTruth.segmentVolume(volume, { refocus: false });
      rows.push({
        cohort: cohort.name,
        family,
        actual: dice(actual.mask, myocardium),
        ideal: dice(ideal.mask, myocardium),
      });
    }
  }
}
folder.dispose?.();
if (other) other.dispose?.();
const groups = new Map();
for (const r of rows) {
  const key = `${r.cohort} | ${r.family}`;
  groups.set(key, [...(groups.get(key) ?? []), r]);
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log('| cohort | contrast | frames | frame Dice | with the true region | gap |');
console.log('|---|---|---|---|---|---|');
for (const [key, g] of groups) {
  const [a, b] = [mean(g.map((r) => r.actual)), mean(g.map((r) => r.ideal))];
  console.log(`| ${key} | ${g.length} | ${a.toFixed(3)} | ${b.toFixed(3)} | ${(b - a).toFixed(3)} |`);
}
