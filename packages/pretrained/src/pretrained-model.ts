import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.4.0',
  manifestSha256: 'afb4ec3258f07265e21c4f57bf9a7aeb908c5a53ad173a155e2285ccb60b6fa7',
  preset: 'standard',
  trainingData: 'synthesizeAcdc: 960 patients, appearance varied, seed 2026; all slices',
};
