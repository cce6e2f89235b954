import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.1.0',
  manifestSha256: '8b8f4ae15029e4970d8505ef383be1c475071e5dcdf53afbf054ebe61a305bce',
  preset: 'standard',
  trainingData: 'synthesizeAcdc: 80 patients, appearance varied, seed 2026; all slices',
};
