/** What the shipped model is, as `npm run train:pretrained` recorded it. */
export interface PretrainedModelInfo {
  /** The model's version (it changes whenever the networks do). */
  readonly version: string;
  /** SHA-256 (hex) of the shipped `model/myoseg.json`, which holds the digests of every other file. */
  readonly manifestSha256: string;
  /** The preset it was trained with. */
  readonly preset: string;
  /** The training data: the twin generator's appearance setting, patients and seed (synthetic only). */
  readonly trainingData: string;
}

/** The shipped model (written by `npm run train:pretrained`; do not edit by hand). */
export const PRETRAINED_MODEL: PretrainedModelInfo = {
  version: '0.1.0',
  manifestSha256: '8b8f4ae15029e4970d8505ef383be1c475071e5dcdf53afbf054ebe61a305bce',
  preset: 'standard',
  trainingData: 'synthesizeAcdc: 80 patients, appearance varied, seed 2026; all slices',
};
