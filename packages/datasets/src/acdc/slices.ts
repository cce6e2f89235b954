import ndarray from 'ndarray';
import { AcdcFormatError, InvalidOptionError } from '../errors';
import type { NiftiImage } from '../nifti/read';
import { checkLabelMode, relabel } from './labels';
import type { AcdcPatient, CardiacPhase, LabelMode, SkippedItem, SliceSample } from './types';

/** Options of {@link toSlices}. */
export interface ToSlicesOptions {
  /** Which frames; default `['ED', 'ES']`. */
  phases?: readonly CardiacPhase[];
  /** How labels become `mask`; default `all`. */
  labels?: LabelMode;
}

function volumeShape(image: NiftiImage, file: string): [number, number, number] {
  const s = image.shape;
  if (s.length === 2) return [1, s[0], s[1]];
  if (s.length === 3 || (s.length === 4 && s[0] === 1)) return s.slice(-3) as [number, number, number];
  throw new AcdcFormatError(file, `expected a 3D volume, got shape [${s.join(', ')}]`);
}

function checkOptions(
  what: string,
  options: ToSlicesOptions,
): { phases: readonly CardiacPhase[]; labels: LabelMode } {
  const phases = options.phases ?? ['ED', 'ES'];
  const labels = options.labels ?? 'all';
  checkLabelMode(what, labels);
  if (!Array.isArray(phases) || phases.some((p) => p !== 'ED' && p !== 'ES')) {
    throw new InvalidOptionError(
      `${what}: phases is ${JSON.stringify(phases)} (expected a list of 'ED' and 'ES')`,
    );
  }
  return { phases, labels };
}

/** Slice `k`'s labels as uint8, checked to be 0–3. */
function sliceLabels(
  values: NiftiImage['data'],
  base: number,
  plane: number,
  w: number,
  k: number,
  file: string,
): Uint8Array {
  const out = new Uint8Array(plane);
  const fail = (p: number, v: number): never => {
    throw new AcdcFormatError(
      file,
      `label ${v} at voxel (i=${p % w}, j=${Math.floor(p / w)}, k=${k}) (expected 0, 1, 2 or 3)`,
    );
  };
  if (values instanceof Uint8Array) {
    out.set(values.subarray(base, base + plane));
    for (let p = 0; p < plane; p++) if (out[p] > 3) fail(p, out[p]);
    return out;
  }
  for (let p = 0; p < plane; p++) {
    const v = values[base + p];
    if (!(v === 0 || v === 1 || v === 2 || v === 3)) fail(p, v);
    out[p] = v;
  }
  return out;
}

/**
 * Cuts a patient's ED and/or ES frames into 2D short-axis samples, reading the files now (and not keeping them).
 *
 * Orientation: slice `k` is the volume's `(i, j)` plane transposed to `[H, W]` = `[dim[2], dim[1]]`, i.e. what
 * nibabel shows as `img.get_fdata()[:, :, k].T`; row `y` is `j`, column `x` is `i`.
 *
 * @returns one sample per slice and phase (phase order as given, then `k` ascending); image `[H, W]` float32,
 *   mask `[H, W]` uint8, spacing `[dy, dx]` mm.
 * @throws {@link AcdcFormatError} when image and labels differ in shape or a label is not 0–3;
 *   {@link NiftiFormatError} when a file cannot be read.
 */
export async function toSlices(patient: AcdcPatient, options: ToSlicesOptions = {}): Promise<SliceSample[]> {
  const { phases, labels } = checkOptions('toSlices', options);
  const out: SliceSample[] = [];
  for (const phase of phases) {
    const frame = patient.frames[phase];
    // Both files at once, so that one is read from disk while the other is decompressed.
    const [image, label] = await Promise.all([frame.image(), frame.label()]);
    const [d, h, w] = volumeShape(image, frame.imageFile);
    const labelShape = volumeShape(label, frame.labelFile);
    if (labelShape[0] !== d || labelShape[1] !== h || labelShape[2] !== w) {
      throw new AcdcFormatError(
        frame.labelFile,
        `shape [${labelShape.join(', ')}] differs from the image's [${[d, h, w].join(', ')}]`,
      );
    }
    const [dy, dx] = image.spacing.slice(-2);
    if (!(dy > 0 && dx > 0 && Number.isFinite(dy) && Number.isFinite(dx))) {
      throw new AcdcFormatError(frame.imageFile, `pixel spacing [${dy}, ${dx}] is not positive`);
    }
    const plane = h * w;
    for (let k = 0; k < d; k++) {
      const base = k * plane;
      const pixels = new Float32Array(plane);
      pixels.set(image.data.subarray(base, base + plane));
      const labelMap = sliceLabels(label.data, base, plane, w, k, frame.labelFile);
      const map = ndarray(labelMap, [h, w]);
      out.push({
        image: ndarray(pixels, [h, w]),
        mask: relabel(map, labels),
        labelMap: map,
        labels,
        patientId: patient.id,
        group: patient.group,
        phase,
        slice: k,
        sliceCount: d,
        spacing: [dy, dx],
      });
    }
  }
  return out;
}

/** The outcome of {@link toCohortSlices}. */
export interface CohortSlices {
  /** The samples of all readable patients, in patient order. */
  samples: SliceSample[];
  /** Patients left out by `onError: 'skip'`, with the file and reason. */
  skipped: SkippedItem[];
}

/** Options of {@link toCohortSlices}. */
export interface CohortSlicesOptions extends ToSlicesOptions {
  /** `throw` (default) stops at the first unreadable patient; `skip` leaves it out and reports it. */
  onError?: 'throw' | 'skip';
}

/**
 * {@link toSlices} over a cohort, one patient in memory at a time; with `onError: 'skip'` a patient whose
 * files cannot be read is left out and listed in `skipped` instead of failing the cohort.
 *
 * @returns the samples of all readable patients, in patient order, and the skipped patients with reasons.
 */
export async function toCohortSlices(
  patients: readonly AcdcPatient[],
  options: CohortSlicesOptions = {},
): Promise<CohortSlices> {
  const onError = options.onError ?? 'throw';
  if (onError !== 'throw' && onError !== 'skip') {
    throw new InvalidOptionError(
      `toCohortSlices: onError is ${JSON.stringify(onError)} (expected 'throw' or 'skip')`,
    );
  }
  checkOptions('toCohortSlices', options);
  const samples: SliceSample[] = [];
  const skipped: SkippedItem[] = [];
  for (const patient of patients) {
    try {
      samples.push(...(await toSlices(patient, options)));
    } catch (error) {
      if (onError === 'throw') throw error;
      skipped.push(skippedItem(patient.id, error));
    }
  }
  return { samples, skipped };
}

/** A {@link SkippedItem} from an error (its `file`/`source` when it names one). */
export function skippedItem(patient: string, error: unknown): SkippedItem {
  const named = error as { file?: string; source?: string };
  return {
    patient,
    file: named.file ?? named.source ?? patient,
    reason: error instanceof Error ? error.message : String(error),
  };
}
