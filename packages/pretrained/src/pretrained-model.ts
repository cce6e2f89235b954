import type { PretrainedModelInfo } from './pretrained-info';

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.5.0',
  manifestSha256: 'de8ebe608318046623d5bc05815f55a039a5d2593a890403b51bd99a46e5b694',
  preset: 'standard',
  trainingData: 'synthesizeAcdc: 960 patients, appearance varied, seed 2026; all slices',
};
