/** ACDC's label values: 0 background, 1 RV cavity, 2 myocardium, 3 LV cavity. */
export const ACDC_LABELS = Object.freeze({
  /** Everything else: 0. */
  background: 0,
  /** Right-ventricle cavity: 1. */
  rvCavity: 1,
  /** Left-ventricle myocardium: 2. */
  myocardium: 2,
  /** Left-ventricle cavity (papillary muscles included): 3. */
  lvCavity: 3,
} as const);

/** The method's localization target: myocardium ∪ LV cavity (the paper merges them). */
export const LOCALIZATION_LABELS: readonly number[] = Object.freeze([
  ACDC_LABELS.myocardium,
  ACDC_LABELS.lvCavity,
]);

/** The method's segmentation target: the myocardium alone. */
export const MYOCARDIUM_LABELS: readonly number[] = Object.freeze([ACDC_LABELS.myocardium]);
