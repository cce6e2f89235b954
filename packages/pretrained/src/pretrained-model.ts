import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.3.0',
  manifestSha256: 'f3f5133d36bfc6761a1fed3486b3ea6457d619fe507c55bb531e2d2b9cb5353d',
  preset: 'standard',
  trainingData: 'synthesizeAcdc: 960 patients, appearance varied, seed 2026; all slices',
};
