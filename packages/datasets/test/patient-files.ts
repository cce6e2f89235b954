import ndarray from 'ndarray';
import { formatInfoCfg } from '../src/acdc/info-cfg';
import type { AcdcInfo } from '../src/acdc/types';
import { writeNifti } from '../src/nifti/write';

/** Image voxel (i, j, k) of the hand-made patients: distinct, so that orientation errors show. */
export const voxelValue = (i: number, j: number, k: number) => i + 10 * j + 100 * k;

/**
 * A hand-made ACDC patient folder in memory: image voxel (i, j, k) = {@link voxelValue}, labels from `label`
 * (default: a 3×3 LV cavity ring of myocardium in the middle of every slice), spacing [dz, dy, dx].
 */
export function patientFiles(
  options: {
    id?: string;
    shape?: [number, number, number];
    spacing?: [number, number, number];
    info?: Partial<AcdcInfo>;
    label?: (i: number, j: number, k: number) => number;
    gzip?: boolean;
  } = {},
): Record<string, Uint8Array> {
  const id = options.id ?? 'patient001';
  const [d, h, w] = options.shape ?? [3, 6, 7];
  const spacing = options.spacing ?? [10, 1.5, 1.25];
  const info: AcdcInfo = {
    ed: 1,
    es: 5,
    group: 'NOR',
    height: 170,
    weight: 70,
    nbFrames: 20,
    ...options.info,
  };
  const label =
    options.label ??
    ((i: number, j: number) => {
      const [ci, cj] = [Math.floor(w / 2), Math.floor(h / 2)];
      const r = Math.max(Math.abs(i - ci), Math.abs(j - cj));
      return r === 0 ? 3 : r === 1 ? 2 : 0;
    });
  const image = new Int16Array(d * h * w);
  const labels = new Uint8Array(d * h * w);
  for (let k = 0; k < d; k++) {
    for (let j = 0; j < h; j++) {
      for (let i = 0; i < w; i++) {
        image[(k * h + j) * w + i] = voxelValue(i, j, k);
        labels[(k * h + j) * w + i] = label(i, j, k);
      }
    }
  }
  const ext = options.gzip === false ? '.nii' : '.nii.gz';
  const write = (data: Int16Array | Uint8Array) =>
    writeNifti(ndarray(data, [d, h, w]), { spacing, gzip: options.gzip !== false });
  const files: Record<string, Uint8Array> = { 'Info.cfg': new TextEncoder().encode(formatInfoCfg(info)) };
  for (const frame of [info.ed, info.es]) {
    const stem = `${id}_frame${String(frame).padStart(2, '0')}`;
    files[stem + ext] = write(image);
    files[`${stem}_gt${ext}`] = write(labels);
  }
  return files;
}
