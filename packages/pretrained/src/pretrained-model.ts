import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.7.0',
  manifestSha256: 'ba66203f3eb02da62b66e0c96906956264cb4c8d2722bc3ba325a7eeb2fe9d1a',
  preset: 'standard, localizer at ½ width',
  trainingData: 'synthesizeAcdc: 1200 patients, appearance varied, seed 2026; all slices',
};
