import type { AcdcInfo } from '../acdc/types';
import { createRandom, deriveSeed, type Random } from '../random';
import { drawTwinLook, type TwinLook, withLook } from './appearance';
import type { TwinSlot } from './cohort';
import type { MeanSd, Range, TwinIntensities, TwinParams } from './params';

/** An ellipse in the heart frame (mm): centre and semi-axes. */
export interface Ellipse {
  /** Centre, x (mm). */
  cx: number;
  /** Centre, y (mm). */
  cy: number;
  /** Semi-axis along x (mm). */
  a: number;
  /** Semi-axis along y (mm). */
  b: number;
}

/** The body outline (mm) with its wall. */
export interface TwinBody extends Ellipse {
  /** Thickness of subcutaneous fat. */
  fat: number;
  /** Thickness of chest-wall muscle under the fat. */
  muscle: number;
}

/** A disc in the heart frame (mm). */
export interface Disc {
  /** Centre, x (mm). */
  cx: number;
  /** Centre, y (mm). */
  cy: number;
  /** Radius (mm). */
  r: number;
}

/** The left ventricle of a synthetic patient at end-diastole (mm, radians). */
export interface TwinLeftVentricle {
  /** Endocardial radius at the base. */
  radius: number;
  /** Wall thickness. */
  wall: number;
  /** Base-to-apex length of the cavity. */
  length: number;
  /** Fraction by which the cavity radius shrinks at end-systole. */
  contraction: number;
  /** Extra septal thickness. */
  septalExtra: number;
  /** Wall thickness in the infarct (0: no infarct). */
  infarctWall: number;
  /** Direction of the infarct's centre. */
  infarctAngle: number;
  /** Half the infarct's angular width. */
  infarctHalfWidth: number;
  /** Long/short axis ratio (≥ 1) of the cross-section. */
  ellipseRatio: number;
  /** Direction of the cross-section's long axis. */
  ellipseAngle: number;
  /** How far the valve plane descends towards the apex at end-systole. */
  baseDescent: number;
}

/** The right ventricle of a synthetic patient (mm, radians). */
export interface TwinRightVentricle {
  /** Direction of the septum (the RV's side) from the LV centre. */
  angle: number;
  /** Cavity depth at the base, end-diastole. */
  depth: number;
  /** How far the crescent wraps around the LV. */
  wrap: number;
  /** Fraction by which the depth shrinks at end-systole. */
  contraction: number;
}

/** A smooth coil bias field: `exp(amplitude · (gradient · ramp along angle − curvature · r²))`. */
export interface TwinBiasField {
  /** Direction of the intensity ramp (radians). */
  angle: number;
  /** Strength of the ramp. */
  gradient: number;
  /** Strength of the darkening away from the centre. */
  curvature: number;
  /** Overall strength (0: no bias). */
  amplitude: number;
}

/**
 * One synthetic patient, drawn from its seed: image geometry, heart shape, surroundings and artefacts.
 * Lengths in mm; the heart frame has its origin at the LV centre and is rotated by `rotation` in the image.
 */
export interface TwinAnatomy {
  /** The patient's seed (every frame's noise derives from it). */
  seed: number;
  /** Where the patient goes in the layout. */
  slot: TwinSlot;
  /** `Info.cfg` content. */
  info: AcdcInfo;
  /** Image size `[H, W]`, pixels. */
  size: [number, number];
  /** Voxel size `[dz, dy, dx]`, mm (dz is the slice gap). */
  spacing: [number, number, number];
  /** Depth of each slice below the end-diastolic valve plane, mm (slice 0 is the most basal). */
  sliceDepthMm: number[];
  /** Anatomy rotation in the image, radians. */
  rotation: number;
  /** LV centre, mm from the image's top-left corner `[x, y]`. */
  center: [number, number];
  /** The left ventricle. */
  lv: TwinLeftVentricle;
  /** The right ventricle. */
  rv: TwinRightVentricle;
  /** Angles of the two papillary muscles (radians), or null when not drawn. */
  papillary: [number, number] | null;
  /** Phase of the trabeculae pattern. */
  trabeculaPhase: number;
  /** Body outline and wall. */
  body: TwinBody;
  /** Left and right lung. */
  lungs: [Ellipse, Ellipse];
  /** Liver (shown below `liverFromDepthMm`). */
  liver: Ellipse;
  /** Depth below which the liver appears. */
  liverFromDepthMm: number;
  /** Descending aorta. */
  aorta: Disc;
  /** Vertebral body. */
  spine: Disc;
  /** Tissue intensities of this patient (jittered). */
  intensities: TwinIntensities;
  /** Rician noise standard deviation, intensity units. */
  noiseSigma: number;
  /** Coil bias field. */
  bias: TwinBiasField;
  /** Intensity factor of each slice (1, or far from 1 for a badly exposed slice). */
  exposure: number[];
  /** Partial-volume blur, Gaussian σ in pixels. */
  blurSigmaPx: number;
  /** Rendering settings copied from the params. */
  render: Pick<TwinParams, 'texture' | 'trabeculae' | 'maxIntensity'>;
  /** The patient's own look, drawn under `appearance: 'varied'` only. */
  look?: TwinLook;
}

function sample(rng: Random, [mean, sd]: MeanSd, scale = 1): number {
  const z = Math.max(-2.5, Math.min(2.5, rng.normal()));
  return Math.max(0, (mean + sd * z) * scale);
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
const inRange = (rng: Random, [lo, hi]: Range) => rng.uniform(lo, hi);
const intIn = (rng: Random, [lo, hi]: Range) => rng.int(lo, hi);
const DEG = Math.PI / 180;

/**
 * Draws one synthetic patient's anatomy and acquisition from `(seed, slot.index)`: independent of the other
 * patients, so any patient can be generated alone.
 */
export function sampleTwinAnatomy(slot: TwinSlot, seed: number, shared: TwinParams): TwinAnatomy {
  // a varied look comes from its own stream, so every other draw is the standard twin's
  const look = shared.appearance === 'varied' ? drawTwinLook(seed, slot.index, shared) : undefined;
  const params = look ? withLook(shared, look) : shared;
  const patientSeed = deriveSeed(seed, 'patient', slot.index);
  const rng = createRandom(patientSeed);
  const g = params.anatomy[slot.group];
  const k = params.heartScale;

  const [h, w] = rng.pick(params.imageSizes);
  const fov = inRange(rng, params.fieldOfViewMm);
  const pixel = clamp(fov / Math.max(h, w), params.pixelSpacingMm[0], params.pixelSpacingMm[1]);

  const lv: TwinLeftVentricle = {
    radius: sample(rng, g.lvRadiusMm, k),
    wall: Math.max(2, sample(rng, g.wallMm, k)),
    length: sample(rng, g.lvLengthMm, k),
    contraction: clamp(sample(rng, g.lvContraction), 0, 0.8),
    septalExtra: sample(rng, g.septalExtraMm, k),
    infarctWall: g.infarctWallMm[0] > 0 ? Math.max(2, sample(rng, g.infarctWallMm, k)) : 0,
    infarctAngle: 0,
    infarctHalfWidth: rng.uniform(35, 60) * DEG,
    ellipseRatio: rng.uniform(1, 1.12),
    ellipseAngle: rng.uniform(0, Math.PI),
    baseDescent: 0,
  };
  lv.baseDescent = rng.uniform(0.05, 0.1) * lv.length;
  const rv: TwinRightVentricle = {
    angle: (200 + rng.uniform(-15, 15)) * DEG,
    depth: sample(rng, g.rvDepthMm, k),
    wrap: sample(rng, g.rvWrap),
    contraction: clamp(sample(rng, g.rvContraction), 0, 0.8),
  };
  // Infarcts sit away from the septum (anterior, lateral or inferior wall).
  lv.infarctAngle = rv.angle + rng.uniform(90, 270) * DEG;

  // Slices: enough to cover base to apex at the drawn gap, give or take.
  // Most ACDC stacks are 10 mm apart, some 5–8 mm: skew the gap towards the top of its range.
  const [gapLo, gapHi] = params.sliceGapMm;
  const gap = gapHi - (gapHi - gapLo) * rng.next() ** 2;
  const cover = lv.length + lv.wall + 10;
  const count = clamp(Math.round(cover / gap) + rng.int(-3, 0), params.sliceCount[0], params.sliceCount[1]);
  const first = rng.uniform(-0.3, 0.5) * gap;
  const sliceDepthMm = Array.from({ length: count }, (_, i) => first + i * gap);

  const extent = lv.radius + lv.wall + lv.septalExtra + rv.depth + 12;
  const width = w * pixel;
  const height = h * pixel;
  const place = (size: number) => {
    const c = size / 2 + rng.uniform(-1, 1) * params.offsetFraction * fov;
    return size > 2 * extent ? clamp(c, extent, size - extent) : size / 2;
  };
  const center: [number, number] = [place(width), place(height)];

  const nbFrames = intIn(rng, params.frameCount);
  const es = clamp(Math.round(nbFrames * rng.uniform(0.3, 0.42)), 2, nbFrames);
  const info: AcdcInfo = {
    ed: 1,
    es,
    group: slot.group,
    height: Math.round(clamp(170 + 9 * rng.normal(), 145, 200)),
    weight: Math.round(clamp(76 + 14 * rng.normal(), 42, 135)),
    nbFrames,
  };

  const jitter = (v: number) => v * Math.max(0.3, 1 + params.intensityJitter * rng.normal());
  const intensities = Object.fromEntries(
    Object.entries(params.intensities).map(([name, v]) => [name, jitter(v)]),
  ) as unknown as TwinIntensities;
  const bodyA = rng.uniform(150, 185);
  const bodyB = rng.uniform(105, 130);
  const body = { cx: -45, cy: 55, a: bodyA, b: bodyB, fat: rng.uniform(6, 18), muscle: rng.uniform(8, 16) };
  const exposure = sliceDepthMm.map(() => {
    const u = rng.next();
    if (u < params.badExposureRate / 2) return rng.uniform(0.2, 0.4);
    if (u < params.badExposureRate) return rng.uniform(2.6, 4);
    return 1;
  });

  return {
    seed: patientSeed,
    slot,
    info,
    size: [h, w],
    spacing: [gap, pixel, pixel],
    sliceDepthMm,
    rotation: rng.uniform(-1, 1) * params.rotationDeg * DEG,
    center,
    lv,
    rv,
    papillary: params.papillaryMuscles
      ? [rv.angle + rng.uniform(130, 160) * DEG, rv.angle + rng.uniform(210, 240) * DEG]
      : null,
    trabeculaPhase: rng.uniform(0, 2 * Math.PI),
    body,
    lungs: [
      { cx: rng.uniform(50, 70), cy: rng.uniform(20, 45), a: rng.uniform(40, 55), b: rng.uniform(70, 90) },
      {
        cx: rng.uniform(-125, -105),
        cy: rng.uniform(30, 50),
        a: rng.uniform(42, 55),
        b: rng.uniform(75, 92),
      },
    ],
    liver: {
      cx: rng.uniform(-85, -60),
      cy: rng.uniform(25, 45),
      a: rng.uniform(65, 85),
      b: rng.uniform(55, 70),
    },
    liverFromDepthMm: lv.length * rng.uniform(0.35, 0.6),
    aorta: {
      cx: rng.uniform(-28, -12),
      cy: lv.radius + lv.wall + rng.uniform(22, 32),
      r: rng.uniform(9, 13),
    },
    spine: {
      cx: body.cx + rng.uniform(-8, 8),
      cy: body.cy + bodyB - rng.uniform(38, 48),
      r: rng.uniform(14, 19),
    },
    intensities,
    // noise is relative to blood, the brightest tissue of bSSFP; a varied look's brightest may be another
    noiseSigma:
      inRange(rng, params.noise) * (look ? Math.max(...Object.values(intensities)) : intensities.blood),
    bias: {
      angle: rng.uniform(0, 2 * Math.PI),
      gradient: rng.uniform(0.4, 1),
      curvature: rng.uniform(0, 1),
      amplitude: params.biasField,
    },
    exposure,
    blurSigmaPx: inRange(rng, params.blurSigmaPx),
    render: { texture: params.texture, trabeculae: params.trabeculae, maxIntensity: params.maxIntensity },
    ...(look && { look }),
  };
}
