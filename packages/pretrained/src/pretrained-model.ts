import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.11.0',
  manifestSha256: '9660ca73e1f908864780c0b499fc8fc09172de4cd4940416ceb60f4b0ec195b0',
  preset: 'standard, localizer at ½ width, rotation ±180°, noise, segmenter 1 + 3 epochs',
  trainingData: 'synthesizeAcdc: 1200 patients, appearance varied, seed 2026; all slices',
};
