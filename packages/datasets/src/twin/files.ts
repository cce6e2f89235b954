import ndarray, { type NdArray } from 'ndarray';
import { formatInfoCfg } from '../acdc/info-cfg';
import { writeNifti } from '../nifti/write';
import { renderTwinFrame, type SyntheticPatient } from './patient';

/** Options of {@link encodePatientFiles}. */
export interface EncodeOptions {
  /** Also render every cine frame into `patientNNN_4d.nii.gz` (slow and large); default false. */
  with4d?: boolean;
  /** Gzip level 0–9; default 1 (fast; the twin's noise compresses little at any level). */
  level?: number;
  /**
   * Gzips an uncompressed `.nii` (e.g. Node's `zlib.gzipSync`, faster than the default fflate); it must return
   * a complete gzip stream.
   */
  gzip?: (nii: Uint8Array) => Uint8Array;
}

/**
 * The files of a synthetic patient's ACDC folder, by name: `Info.cfg`, `patientNNN_frameNN.nii.gz` and
 * `patientNNN_frameNN_gt.nii.gz` for ED and ES, and `patientNNN_4d.nii.gz` when asked. Browser-safe.
 */
export function encodePatientFiles(
  patient: SyntheticPatient,
  options: EncodeOptions = {},
): Record<string, Uint8Array> {
  const level = options.level ?? 1;
  const gzip = options.gzip;
  const encode = (volume: NdArray<Int16Array | Uint8Array>, spacing: number[]) =>
    gzip ? gzip(writeNifti(volume, { spacing, gzip: false })) : writeNifti(volume, { spacing, level });
  const [dz, dy, dx] = patient.spacing;
  const files: Record<string, Uint8Array> = {
    'Info.cfg': new TextEncoder().encode(formatInfoCfg(patient.info)),
  };
  for (const phase of ['ED', 'ES'] as const) {
    const { frame, image, label } = patient.frames[phase];
    const stem = `${patient.id}_frame${String(frame).padStart(2, '0')}`;
    files[`${stem}.nii.gz`] = encode(image, [dz, dy, dx]);
    files[`${stem}_gt.nii.gz`] = encode(label, [dz, dy, dx]);
  }
  if (options.with4d) {
    const { nbFrames } = patient.info;
    const [d, h, w] = patient.frames.ED.image.shape;
    const cine = new Int16Array(nbFrames * d * h * w);
    for (let t = 1; t <= nbFrames; t++) {
      const frame =
        t === patient.info.ed
          ? patient.frames.ED
          : t === patient.info.es
            ? patient.frames.ES
            : renderTwinFrame(patient.anatomy, t);
      cine.set(frame.image.data, (t - 1) * d * h * w);
    }
    files[`${patient.id}_4d.nii.gz`] = encode(ndarray(cine, [nbFrames, d, h, w]), [1, dz, dy, dx]);
  }
  return files;
}
