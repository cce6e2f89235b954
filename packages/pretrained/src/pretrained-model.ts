import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.2.0',
  manifestSha256: 'dd75f5a2519961f485bd0819299bd72759aaf063496e621813d95548d6954bdf',
  preset: 'standard',
  trainingData: 'synthesizeAcdc: 640 patients, appearance varied, seed 2026; all slices',
};
