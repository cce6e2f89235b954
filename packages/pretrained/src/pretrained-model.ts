import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.10.0',
  manifestSha256: '82610040d93206cd5d44c3f6f9943a385b449885e0785bb11bacc35eba317dc5',
  preset: 'standard, localizer at ½ width, rotation ±180°, noise',
  trainingData: 'synthesizeAcdc: 1200 patients, appearance varied, seed 2026; all slices',
};
