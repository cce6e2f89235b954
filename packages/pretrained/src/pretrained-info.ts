/** What the shipped model is, as `npm run train:pretrained` recorded it. */
export interface PretrainedModelInfo {
  /** The model's version (it changes whenever the networks do). */
  readonly version: string;
  /** SHA-256 (hex) of the shipped `model/myoseg.json`, which holds the digests of every other file. */
  readonly manifestSha256: string;
  /** The preset it was trained with, in words (e.g. `'standard'`, or `'standard, localizer at ½ width'`). */
  readonly preset: string;
  /** The training data: the twin generator's appearance setting, patients and seed (synthetic only). */
  readonly trainingData: string;
}
