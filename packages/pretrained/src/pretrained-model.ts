import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.6.0',
  manifestSha256: 'cee7d69de30ead412bb9aabdf62dc4e02de70a77d58000ace67c0686a56b2db0',
  preset: 'standard',
  trainingData: 'synthesizeAcdc: 1200 patients, appearance varied, seed 2026; all slices',
};
