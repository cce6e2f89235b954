import { createRandom, deriveSeed, type Random } from '../random';
import type { Range, TwinIntensities, TwinParams } from './params';

/**
 * How much the twin's look varies between patients: `'standard'` renders every patient with the default bSSFP
 * contrast and acquisition (today's twin, byte for byte); `'varied'` draws each patient's contrast family,
 * tissue intensities, bias strength and heart size, and widens the geometry and artefact ranges
 * ({@link variedTwinParams}), so that a network trained on it cannot rely on one generator's look.
 */
export type TwinAppearance = 'standard' | 'varied';

/** A family of cine and anatomical MR contrasts, drawn per patient under `'varied'`. */
export type TwinContrast = 'bssfp' | 'gradient-echo' | 'dark-blood' | 'random';

/**
 * The parameters `'varied'` starts from (an input's own values still win), with their sources:
 * - image sizes 128–512 px a side, square and not (ACDC: ~150–500 px);
 * - field of view 160–480 mm, from a tight cardiac crop (the heart with its RV spans ~120 mm) to the whole
 *   chest (~350 mm wide bodies, plus air), pixels 0.5–2.6 mm (ACDC's 0.7–1.9 mm, widened by a third);
 * - rotation ±90° and offset up to 25 % of the field (site conventions for the short-axis display; a rotation
 *   keeps the LV/RV arrangement, unlike a mirror);
 * - Rician noise σ 0.5–12 % of the brightest tissue (cine blood SNR from ~8 to ~200), blur σ 0.3–1.5 px
 *   (partial volume from sharp to SynthSeg-like low resolution), bias up to ±60 % (surface coils), tissue
 *   intensity spread 25 % (SynthSeg's class std of 5–25 on 0–255 is up to ~10 % of full scale, per pixel; this
 *   spread is per patient).
 */
export const variedTwinParams: Readonly<Partial<Omit<TwinParams, 'anatomy' | 'intensities' | 'appearance'>>> =
  Object.freeze<Partial<TwinParams>>({
    imageSizes: [
      [128, 128],
      [144, 176],
      [160, 160],
      [192, 192],
      [192, 256],
      [208, 256],
      [224, 224],
      [256, 208],
      [256, 256],
      [288, 320],
      [320, 320],
      [384, 384],
      [428, 512],
      [512, 512],
    ],
    fieldOfViewMm: [160, 480],
    pixelSpacingMm: [0.5, 2.6],
    rotationDeg: 90,
    offsetFraction: 0.25,
    noise: [0.005, 0.12],
    blurSigmaPx: [0.3, 1.5],
    biasField: 0.6,
    intensityJitter: 0.25,
  });

/** Chance of each contrast family under `'varied'`. */
const CONTRASTS: readonly [TwinContrast, number][] = [
  ['bssfp', 0.4],
  ['gradient-echo', 0.2],
  ['dark-blood', 0.2],
  ['random', 0.2],
];

/** Per-patient heart size factor under `'varied'`: adult LV diameters span about ±15 % around the mean. */
const HEART_SCALE: Range = [0.85, 1.2];

/**
 * The tissue intensities of one contrast family (air and unnamed tissues as `standard`), on the scale of the
 * default bSSFP twin (myocardium 230):
 * - `'bssfp'`: the defaults (signal ∝ √(T2/T1): blood ~3.7× myocardium, fat bright);
 * - `'gradient-echo'` (spoiled GRE / FLASH cine): blood brighter only by inflow, 1.3–2.2× myocardium; fat
 *   bright (short T1), liver close to myocardium;
 * - `'dark-blood'` (double-inversion T2-weighted TSE, HASTE): myocardium 300, blood nulled to 0.1–0.5× that, fat bright,
 *   liver darker than myocardium (shorter T2);
 * - `'random'`: every tissue but air uniform in [20, 900] (SynthSeg's any-contrast draw): any order at all.
 */
function contrastIntensities(
  contrast: TwinContrast,
  standard: TwinIntensities,
  rng: Random,
): TwinIntensities {
  const myo = standard.myocardium;
  switch (contrast) {
    case 'bssfp':
      return { ...standard };
    case 'gradient-echo':
      return {
        ...standard,
        blood: myo * rng.uniform(1.3, 2.2),
        fat: 600,
        muscle: 220,
        liver: 260,
        softTissue: 300,
      };
    case 'dark-blood':
      return {
        ...standard,
        lung: 20,
        blood: 300 * rng.uniform(0.1, 0.5),
        myocardium: 300,
        fat: 800,
        liver: 200,
        softTissue: 350,
      };
    case 'random': {
      const draw = () => rng.uniform(20, 900);
      return {
        air: rng.uniform(0, 20),
        lung: draw(),
        blood: draw(),
        myocardium: draw(),
        fat: draw(),
        muscle: draw(),
        liver: draw(),
        softTissue: draw(),
      };
    }
  }
}

/** One patient's draws under `'varied'`. */
export interface TwinLook {
  /** Contrast family. */
  contrast: TwinContrast;
  /** Tissue intensities before the per-tissue jitter. */
  intensities: TwinIntensities;
  /** Factor on every heart dimension. */
  heartScale: number;
  /** Fraction of the params' `biasField` strength (uniform in [0, 1]). */
  biasStrength: number;
}

/**
 * Draws patient `index`'s look from its own stream (`deriveSeed(seed, 'appearance', index)`), so that the
 * patient's other draws are those of `'standard'`.
 */
export function drawTwinLook(seed: number, index: number, params: TwinParams): TwinLook {
  const rng = createRandom(deriveSeed(seed, 'appearance', index));
  const u = rng.next();
  let contrast: TwinContrast = CONTRASTS[0][0];
  let edge = 0;
  for (const [family, p] of CONTRASTS) {
    edge += p;
    if (u < edge) {
      contrast = family;
      break;
    }
  }
  return {
    contrast,
    intensities: contrastIntensities(contrast, params.intensities, rng),
    heartScale: rng.uniform(HEART_SCALE[0], HEART_SCALE[1]),
    biasStrength: rng.next(),
  };
}

/** `params` as patient-specific ones for a look: its intensities, heart scale and bias strength. */
export function withLook(params: TwinParams, look: TwinLook): TwinParams {
  return {
    ...params,
    intensities: look.intensities,
    heartScale: params.heartScale * look.heartScale,
    biasField: params.biasField * look.biasStrength,
  };
}
