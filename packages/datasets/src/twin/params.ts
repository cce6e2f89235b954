import type { AcdcGroup } from '../acdc/types';
import { InvalidOptionError } from '../errors';
import { type TwinAppearance, variedTwinParams } from './appearance';

/** A normal distribution `[mean, standard deviation]`, clipped to ±2.5 SD when sampled. */
export type MeanSd = readonly [number, number];

/** A closed range `[min, max]`. */
export type Range = readonly [number, number];

/** Heart shape of one diagnostic group, at end-diastole unless stated (mm). */
export interface GroupAnatomy {
  /** LV endocardial radius at the base. */
  lvRadiusMm: MeanSd;
  /** LV wall thickness. */
  wallMm: MeanSd;
  /** Base-to-apex length of the LV cavity. */
  lvLengthMm: MeanSd;
  /** Fraction by which the LV cavity radius shrinks from ED to ES (0.33 gives an ejection fraction near 60%). */
  lvContraction: MeanSd;
  /** Extra septal thickness (asymmetric hypertrophy); 0 for none. */
  septalExtraMm: MeanSd;
  /** Wall thickness in an infarcted segment (which also does not contract); 0 for no infarct. */
  infarctWallMm: MeanSd;
  /** RV cavity depth (from the septum outwards) at the base. */
  rvDepthMm: MeanSd;
  /** How far the RV crescent wraps around the LV (1 = to the LV's sides). */
  rvWrap: MeanSd;
  /** Fraction by which the RV depth shrinks from ED to ES. */
  rvContraction: MeanSd;
}

/** Tissue intensities of the rendered bSSFP images, in scanner-like units (before bias, noise and exposure). */
export interface TwinIntensities {
  /** Outside the body. */
  air: number;
  /** Lungs. */
  lung: number;
  /** Blood pools (LV, RV, atria, aorta): the brightest. */
  blood: number;
  /** Myocardium, papillary muscles, trabeculae, RV free wall. */
  myocardium: number;
  /** Subcutaneous and pericardial fat. */
  fat: number;
  /** Chest-wall muscle. */
  muscle: number;
  /** Liver. */
  liver: number;
  /** Other soft tissue (mediastinum, spine). */
  softTissue: number;
}

/** Everything the twin generator draws from: image geometry, anatomy per group, intensities and artefacts. */
export interface TwinParams {
  /**
   * `'standard'` (default): one look for all patients; `'varied'`: per-patient contrast family, intensities, bias
   * and heart size, on the wider ranges of `variedTwinParams` (see {@link TwinAppearance}).
   */
  appearance: TwinAppearance;
  /** Image sizes `[H, W]` in pixels to choose from (uniformly; repeat an entry to weight it). */
  imageSizes: readonly (readonly [number, number])[];
  /** Field of view (the larger image side) in mm. */
  fieldOfViewMm: Range;
  /** In-plane pixel spacing limits in mm (the FOV / size is clamped to them). */
  pixelSpacingMm: Range;
  /** Number of short-axis slices. */
  sliceCount: Range;
  /** Distance between slices in mm. */
  sliceGapMm: Range;
  /** Number of cine frames (`NbFrame`). */
  frameCount: Range;
  /** Anatomy of each group. */
  anatomy: Record<AcdcGroup, GroupAnatomy>;
  /** Multiplies every heart dimension. */
  heartScale: number;
  /** Largest rotation of the anatomy in the image, degrees (each patient draws one in ±this). */
  rotationDeg: number;
  /** Largest offset of the heart from the image centre, as a fraction of the field of view. */
  offsetFraction: number;
  /** Tissue intensities. */
  intensities: TwinIntensities;
  /** Per-patient relative spread of each tissue intensity (standard deviation). */
  intensityJitter: number;
  /** Rician noise standard deviation as a fraction of the blood intensity (each patient draws one). */
  noise: Range;
  /** Strength of the smooth coil bias field (0: none; 0.3: up to about ±30%). */
  biasField: number;
  /** Partial-volume blur: Gaussian σ in pixels (each patient draws one; 0 for none). */
  blurSigmaPx: Range;
  /** Relative amplitude of smooth tissue texture (0: flat tissues). */
  texture: number;
  /** Strength 0–1 of dark trabeculae along the LV and RV walls inside the (labelled) cavities. */
  trabeculae: number;
  /** Draw two papillary muscles inside the (labelled) LV cavity. */
  papillaryMuscles: boolean;
  /** Fraction of slices that are too dark or too bright (half each). */
  badExposureRate: number;
  /** Intensities are clipped to [0, this] (saturation) and stored as int16. */
  maxIntensity: number;
}

/** A partial {@link TwinParams}: nested objects may be given in part too. */
export interface TwinParamsInput extends Partial<Omit<TwinParams, 'anatomy' | 'intensities'>> {
  /** Per-group anatomy overrides. */
  anatomy?: Partial<Record<AcdcGroup, Partial<GroupAnatomy>>>;
  /** Intensity overrides. */
  intensities?: Partial<TwinIntensities>;
}

const NORMAL: GroupAnatomy = {
  lvRadiusMm: [25, 2],
  wallMm: [8, 0.8],
  lvLengthMm: [85, 6],
  lvContraction: [0.33, 0.04],
  septalExtraMm: [0, 0],
  infarctWallMm: [0, 0],
  rvDepthMm: [17, 3],
  rvWrap: [1.15, 0.08],
  rvContraction: [0.38, 0.05],
};

/**
 * The default twin: ACDC-like sizes (mostly ~200–260 px, some up to 512), 0.7–1.9 mm pixels, 6–12 slices
 * 5–10 mm apart, group anatomy after ACDC's descriptions, bSSFP contrast, bias, Rician noise, partial volume,
 * trabeculae, papillary muscles and 4% badly exposed slices.
 */
export const defaultTwinParams: TwinParams = {
  appearance: 'standard',
  imageSizes: [
    [216, 256],
    [216, 256],
    [232, 256],
    [232, 256],
    [256, 256],
    [256, 256],
    [224, 256],
    [256, 216],
    [208, 256],
    [246, 256],
    [240, 240],
    [192, 256],
    [154, 224],
    [174, 208],
    [150, 180],
    [288, 320],
    [224, 224],
    [256, 232],
    [428, 512],
    [512, 512],
  ],
  fieldOfViewMm: [300, 400],
  pixelSpacingMm: [0.7, 1.9],
  sliceCount: [6, 12],
  sliceGapMm: [5, 10],
  frameCount: [12, 35],
  anatomy: {
    NOR: NORMAL,
    MINF: {
      ...NORMAL,
      lvRadiusMm: [28, 2.5],
      lvLengthMm: [90, 6],
      lvContraction: [0.16, 0.04],
      infarctWallMm: [3.5, 0.5],
    },
    DCM: {
      ...NORMAL,
      lvRadiusMm: [34, 3],
      wallMm: [6, 0.6],
      lvLengthMm: [100, 7],
      lvContraction: [0.09, 0.03],
    },
    HCM: {
      ...NORMAL,
      lvRadiusMm: [20, 2],
      wallMm: [14, 1.8],
      lvLengthMm: [80, 6],
      lvContraction: [0.45, 0.05],
      septalExtraMm: [4, 1.5],
      rvDepthMm: [14, 3],
    },
    RV: {
      ...NORMAL,
      lvRadiusMm: [23, 2],
      wallMm: [7.5, 0.8],
      rvDepthMm: [31, 4],
      rvWrap: [1.4, 0.1],
      rvContraction: [0.17, 0.05],
    },
  },
  heartScale: 1,
  rotationDeg: 35,
  offsetFraction: 0.12,
  intensities: {
    air: 4,
    lung: 35,
    blood: 850,
    myocardium: 230,
    fat: 760,
    muscle: 260,
    liver: 330,
    softTissue: 380,
  },
  intensityJitter: 0.12,
  noise: [0.015, 0.05],
  biasField: 0.3,
  blurSigmaPx: [0.5, 0.8],
  texture: 0.08,
  trabeculae: 0.6,
  papillaryMuscles: true,
  badExposureRate: 0.04,
  maxIntensity: 4095,
};

/**
 * An easy cohort: the same anatomy, no noise, bias, texture, trabeculae, papillary muscles, blur or bad exposure.
 * Merge with other inputs to make intermediate cohorts.
 */
export const easyTwinParams: TwinParamsInput = {
  noise: [0, 0],
  biasField: 0,
  blurSigmaPx: [0, 0],
  texture: 0,
  trabeculae: 0,
  papillaryMuscles: false,
  badExposureRate: 0,
  intensityJitter: 0,
  rotationDeg: 0,
  offsetFraction: 0,
};

function checkRange(name: string, range: Range, lo: number, hi: number, integer = false): void {
  const ok =
    Array.isArray(range) &&
    range.length === 2 &&
    range.every((v) => Number.isFinite(v) && v >= lo && v <= hi && (!integer || Number.isInteger(v))) &&
    range[0] <= range[1];
  if (!ok) {
    throw new InvalidOptionError(
      `twin params: ${name} must be ${integer ? 'integers' : 'numbers'} [min, max] within [${lo}, ${hi}], got ${JSON.stringify(range)}`,
    );
  }
}

function checkNumber(name: string, value: number, lo: number, hi: number): void {
  if (!(Number.isFinite(value) && value >= lo && value <= hi)) {
    throw new InvalidOptionError(`twin params: ${name} must be within [${lo}, ${hi}], got ${value}`);
  }
}

/**
 * {@link defaultTwinParams} with `input` merged in (one level deep for `anatomy` and `intensities`), checked.
 * With `appearance: 'varied'`, `variedTwinParams` is merged in first (the input's own fields still win).
 *
 * @throws {@link InvalidOptionError} naming the first parameter out of range.
 */
export function resolveTwinParams(input: TwinParamsInput = {}): TwinParams {
  if (input.appearance !== undefined && input.appearance !== 'standard' && input.appearance !== 'varied') {
    throw new InvalidOptionError(
      `twin params: appearance must be 'standard' or 'varied', got ${JSON.stringify(input.appearance)}`,
    );
  }
  const base: TwinParams =
    input.appearance === 'varied' ? { ...defaultTwinParams, ...variedTwinParams } : defaultTwinParams;
  const anatomy = { ...base.anatomy };
  for (const [group, over] of Object.entries(input.anatomy ?? {}) as [AcdcGroup, Partial<GroupAnatomy>][]) {
    if (!anatomy[group]) throw new InvalidOptionError(`twin params: anatomy has an unknown group ${group}`);
    anatomy[group] = { ...anatomy[group], ...over };
  }
  const params: TwinParams = {
    ...base,
    ...input,
    anatomy,
    intensities: { ...base.intensities, ...input.intensities },
  };
  if (
    params.imageSizes.length === 0 ||
    !params.imageSizes.every(
      (s) => s.length === 2 && s.every((n) => Number.isInteger(n) && n >= 32 && n <= 1024),
    )
  ) {
    throw new InvalidOptionError(
      'twin params: imageSizes must be a non-empty list of [H, W] with sides 32–1024',
    );
  }
  checkRange('fieldOfViewMm', params.fieldOfViewMm, 50, 1000);
  checkRange('pixelSpacingMm', params.pixelSpacingMm, 0.1, 10);
  checkRange('sliceCount', params.sliceCount, 1, 64, true);
  checkRange('sliceGapMm', params.sliceGapMm, 0.5, 30);
  checkRange('frameCount', params.frameCount, 2, 100, true);
  checkRange('noise', params.noise, 0, 1);
  checkNumber('heartScale', params.heartScale, 0.2, 3);
  checkNumber('rotationDeg', params.rotationDeg, 0, 180);
  checkNumber('offsetFraction', params.offsetFraction, 0, 0.4);
  checkNumber('intensityJitter', params.intensityJitter, 0, 0.5);
  checkNumber('biasField', params.biasField, 0, 1);
  checkRange('blurSigmaPx', params.blurSigmaPx, 0, 5);
  checkNumber('texture', params.texture, 0, 1);
  checkNumber('trabeculae', params.trabeculae, 0, 1);
  checkNumber('badExposureRate', params.badExposureRate, 0, 1);
  checkNumber('maxIntensity', params.maxIntensity, 1, 32767);
  for (const [name, value] of Object.entries(params.intensities))
    checkNumber(`intensities.${name}`, value, 0, 32767);
  for (const [group, a] of Object.entries(params.anatomy)) {
    for (const [name, [mean, sd]] of Object.entries(a) as [string, MeanSd][]) {
      checkNumber(`anatomy.${group}.${name}[0]`, mean, 0, 500);
      checkNumber(`anatomy.${group}.${name}[1]`, sd, 0, 100);
    }
    checkNumber(`anatomy.${group}.lvContraction[0]`, a.lvContraction[0], 0, 0.8);
    checkNumber(`anatomy.${group}.rvContraction[0]`, a.rvContraction[0], 0, 0.8);
  }
  return params;
}
