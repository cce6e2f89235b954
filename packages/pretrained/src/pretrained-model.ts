import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.9.0',
  manifestSha256: 'deb6e931fa210ceed57e560aac7ab2271d71d18ac48f5c28d1d36c066fa59ccc',
  preset: 'standard, localizer at ½ width, rotation ±180°, segmenter with noise',
  trainingData: 'synthesizeAcdc: 1200 patients, appearance varied, seed 2026; all slices',
};
