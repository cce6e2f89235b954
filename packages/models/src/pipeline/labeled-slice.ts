import type { NdArray } from 'ndarray';

/** ACDC's labels: 0 background, 1 RV cavity, 2 myocardium, 3 LV cavity. */
export const ACDC_LABELS = Object.freeze({
  background: 0,
  rightVentricle: 1,
  myocardium: 2,
  leftVentricle: 3,
});

/** The localizer's target: myocardium ∪ LV cavity (the paper merges them). */
export const LOCALIZATION_LABELS: readonly number[] = Object.freeze([
  ACDC_LABELS.myocardium,
  ACDC_LABELS.leftVentricle,
]);

/** The segmenter's target: the myocardium alone. */
export const MYOCARDIUM_LABELS: readonly number[] = Object.freeze([ACDC_LABELS.myocardium]);

/**
 * One annotated 2D slice as the pipeline trains and evaluates on it (what `toSlices(..., { labels: 'all' })` of
 * `@myoseg/datasets` gives).
 */
export interface LabeledSlice {
  /** Intensities `[H, W]`, any units. */
  image: NdArray<Float32Array>;
  /** ACDC label map `[H, W]`: 0 background, 1 RV, 2 myocardium, 3 LV cavity. */
  mask: NdArray<Uint8Array>;
  /** Patient id: splits never put one patient on two sides. */
  patientId: string;
  /** ACDC group (NOR, MINF, DCM, HCM, RV), for stratified splits and per-group results. */
  group?: string;
  /** In-plane spacing `[dy, dx]` in mm, for HD95 in mm (default 1). */
  spacing?: readonly [number, number];
}
