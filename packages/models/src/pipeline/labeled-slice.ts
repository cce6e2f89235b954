import type { NdArray } from 'ndarray';

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
