import { gaussianBlur } from '@myoseg/core';
import ndarray, { type NdArray } from 'ndarray';
import type { AcdcGroup, AcdcInfo, CardiacPhase } from '../acdc/types';
import { InvalidOptionError } from '../errors';
import { createRandom, deriveSeed } from '../random';
import { sampleTwinAnatomy, type TwinAnatomy } from './anatomy';
import { twinCohortLayout } from './cohort';
import { biasField, normalTable, ricianNoise, smoothField } from './effects';
import { resolveTwinParams, type TwinParamsInput } from './params';
import { drawScene } from './scene';

/** Options shared by the twin generators. */
export interface TwinOptions {
  /** Cohort size (the layout, hence each patient's group and subset, depends on it); 1–9 999. */
  patients: number;
  /** Seed: the same seed and options give byte-identical patients. */
  seed: number;
  /** Intensity, shape and artefact parameters (defaults: `defaultTwinParams`). */
  params?: TwinParamsInput;
}

/** One rendered frame: image and labels, both `[D, H, W]` (slice 0 basal). */
export interface TwinFrame {
  /** Frame number (1-based). */
  frame: number;
  /** Intensities, int16, clipped to [0, maxIntensity]. */
  image: NdArray<Int16Array>;
  /** ACDC labels 0–3, exact by construction. */
  label: NdArray<Uint8Array>;
}

/** A synthetic ACDC patient in memory: its anatomy and `Info.cfg`, and the ED and ES frames. */
export interface SyntheticPatient {
  /** Folder name, `patient001`… */
  id: string;
  /** `training` or `testing`. */
  subset: 'training' | 'testing';
  /** Diagnostic group. */
  group: AcdcGroup;
  /** `Info.cfg` content. */
  info: AcdcInfo;
  /** Voxel size `[dz, dy, dx]` in mm. */
  spacing: [number, number, number];
  /** Everything drawn for this patient (render other cine frames from it with {@link renderTwinFrame}). */
  anatomy: TwinAnatomy;
  /** The ED and ES frames. */
  frames: Record<CardiacPhase, TwinFrame>;
}

/**
 * The contraction (0 at end-diastole, 1 at end-systole) of cine frame `frame` (1-based): a raised cosine from
 * ED (frame `ed`) to ES and back over the `nbFrames` frames of the cycle.
 */
export function contractionAt(info: AcdcInfo, frame: number): number {
  const t = (((frame - info.ed) % info.nbFrames) + info.nbFrames) % info.nbFrames;
  const es = (((info.es - info.ed) % info.nbFrames) + info.nbFrames) % info.nbFrames;
  if (es === 0) return 0;
  if (t <= es) return 0.5 * (1 - Math.cos((Math.PI * t) / es));
  return 0.5 * (1 + Math.cos((Math.PI * (t - es)) / (info.nbFrames - es)));
}

/** Partial-volume blur: a Gaussian of σ `sigma` pixels (edges replicated); σ 0 returns `values` itself. */
function partialVolume(values: Float32Array, h: number, w: number, sigma: number): Float32Array {
  return sigma > 0 ? gaussianBlur(ndarray(values, [h, w]), sigma, { mode: 'nearest' }).data : values;
}

/** Multiplies `values` by the bias field and by `1 + texture × field` (when a field is given), in place. */
function modulate(
  values: Float32Array,
  bias: Float32Array,
  field: Float32Array | null,
  texture: number,
): void {
  if (field) for (let i = 0; i < values.length; i++) values[i] *= (1 + texture * field[i]) * bias[i];
  else for (let i = 0; i < values.length; i++) values[i] *= bias[i];
}

/** Stores `values × gain`, rounded and clipped to [0, max], into `out` from `offset` (values are ≥ 0). */
function quantize(values: Float32Array, gain: number, max: number, out: Int16Array, offset: number): void {
  for (let i = 0; i < values.length; i++) {
    out[offset + i] = Math.min(max, (values[i] * gain + 0.5) | 0);
  }
}

/**
 * Renders cine frame `frame` (1-based) of a synthetic patient: the analytic heart at that frame's contraction,
 * tissue texture, partial-volume smoothing, coil bias, Rician noise and per-slice exposure. Deterministic: the
 * ED and ES frames equal those of {@link synthesizePatient}.
 */
export function renderTwinFrame(anatomy: TwinAnatomy, frame: number): TwinFrame {
  const { info } = anatomy;
  if (!Number.isInteger(frame) || frame < 1 || frame > info.nbFrames) {
    throw new InvalidOptionError(
      `renderTwinFrame: frame must be an integer 1–${info.nbFrames}, got ${frame}`,
    );
  }
  const [h, w] = anatomy.size;
  const depth = anatomy.sliceDepthMm.length;
  const plane = h * w;
  const c = contractionAt(info, frame);
  const image = new Int16Array(depth * plane);
  const label = new Uint8Array(depth * plane);
  const bias = biasField(h, w, anatomy.bias);
  const noise = createRandom(deriveSeed(anatomy.seed, 'noise', frame));
  const table = anatomy.noiseSigma > 0 ? normalTable(noise, anatomy.noiseSigma) : null;
  const { texture, maxIntensity } = anatomy.render;
  const cellPx = Math.max(2, 12 / anatomy.spacing[2]);
  for (let k = 0; k < depth; k++) {
    const scene = drawScene(anatomy, k, c);
    const values = scene.intensity;
    // Bias is smooth, so applying it before the partial-volume smoothing changes nothing visible.
    const field =
      texture > 0 ? smoothField(createRandom(deriveSeed(anatomy.seed, 'texture', k)), h, w, cellPx) : null;
    modulate(values, bias, field, texture);
    const blurred = partialVolume(values, h, w, anatomy.blurSigmaPx);
    if (table) ricianNoise(blurred, table, noise);
    const gain = anatomy.exposure[k];
    const offset = k * plane;
    quantize(blurred, gain, maxIntensity, image, offset);
    label.set(scene.labels, offset);
  }
  return { frame, image: ndarray(image, [depth, h, w]), label: ndarray(label, [depth, h, w]) };
}

/**
 * Generates patient `index` (0-based) of a synthetic ACDC cohort in memory (browser-safe): its group and subset
 * from the cohort layout, its anatomy from `(seed, index)`, and its ED and ES frames.
 *
 * @throws {@link InvalidOptionError} for a bad index, cohort size, seed or parameter.
 */
export function synthesizePatient(index: number, options: TwinOptions): SyntheticPatient {
  const layout = twinCohortLayout(options.patients);
  if (!Number.isInteger(index) || index < 0 || index >= layout.length) {
    throw new InvalidOptionError(
      `synthesizePatient: index must be an integer 0–${layout.length - 1}, got ${index}`,
    );
  }
  deriveSeed(options.seed);
  const params = resolveTwinParams(options.params);
  const slot = layout[index];
  const anatomy = sampleTwinAnatomy(slot, options.seed, params);
  return {
    id: slot.id,
    subset: slot.subset,
    group: slot.group,
    info: anatomy.info,
    spacing: anatomy.spacing,
    anatomy,
    frames: {
      ED: renderTwinFrame(anatomy, anatomy.info.ed),
      ES: renderTwinFrame(anatomy, anatomy.info.es),
    },
  };
}
