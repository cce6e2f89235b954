import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.8.0',
  manifestSha256: '0dfab8fc949014c0753bc3d31c6c8c00b4462f4e14720d339ac372141541e43e',
  preset: 'standard, localizer at ½ width, rotation ±180°',
  trainingData: 'synthesizeAcdc: 1200 patients, appearance varied, seed 2026; all slices',
};
