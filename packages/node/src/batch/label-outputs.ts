import { join } from 'node:path';
import { writeNifti } from '@myoseg/datasets';
import { writeFileAtomic } from '@myoseg/datasets/node';
import { MYOCARDIUM_DENSITY_G_PER_ML, type VolumeResult } from '@myoseg/models';
import ndarray, { type NdArray } from 'ndarray';

/** Cardiac measures of one frame of a study (a row of `<name>_measures.csv`). */
export interface FrameMeasure {
  /** The input's frame (0-based). */
  frame: number;
  /** `ED` or `ES` where the LV cavity curve puts them (cine only). */
  phase: 'ED' | 'ES' | '';
  /** Myocardial volume, ml. */
  myocardiumMl: number;
  /** Myocardial mass, g (1.05 g/ml). */
  myocardiumG: number;
  /** LV cavity volume, ml: the localizer's myocardium ∪ LV region less the myocardium. */
  lvCavityMl: number;
}

/** Slices of a `[D, H, W]` mask where the myocardium was found. */
export function slicesFound(mask: { data: ArrayLike<number>; shape: number[] }): number {
  const [d, h, w] = mask.shape;
  let found = 0;
  for (let z = 0; z < d; z++) {
    for (let i = z * h * w; i < (z + 1) * h * w; i++)
      if (mask.data[i]) {
        found++;
        break;
      }
  }
  return found;
}

/** The label of the masks, as the label tables give it (colour as the overlays draw it). */
const MYOCARDIUM = { value: 1, name: 'Myocardium', rgb: [230, 60, 40] } as const;

/** ITK-SNAP's label description file. */
const itkSnapLabels = () =>
  [
    '################################################',
    '# ITK-SnAP Label Description File',
    '# IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL',
    '################################################',
    '    0     0    0    0        0  0  0    "Clear Label"',
    `    ${MYOCARDIUM.value}   ${MYOCARDIUM.rgb.join('   ')}        1  1  1    "${MYOCARDIUM.name}"`,
    '',
  ].join('\n');

/** 3D Slicer's color table (`.ctbl`). */
const slicerColorTable = () =>
  `# Color table file (myoseg)\n0 Background 0 0 0 0\n${MYOCARDIUM.value} ${MYOCARDIUM.name} ${MYOCARDIUM.rgb.join(' ')} 255\n`;

/**
 * Per-frame measures: myocardial volume and mass, and the LV cavity volume from the localizer's region; with two
 * frames or more, ED and ES at the largest and smallest cavity (none when the cavity never changes).
 */
export function frameMeasures(
  results: readonly VolumeResult[],
  frames: readonly number[],
  spacing: readonly [number, number, number],
): FrameMeasure[] {
  const voxelMl = (spacing[0] * spacing[1] * spacing[2]) / 1000;
  const count = (data: ArrayLike<number>) => {
    let n = 0;
    for (let i = 0; i < data.length; i++) if (data[i]) n++;
    return n;
  };
  const rows: FrameMeasure[] = results.map((r, k) => {
    const myo = count(r.mask.data);
    const region = r.slices.reduce((a, s) => a + count(s.regionMask.data), 0);
    const myocardiumMl = myo * voxelMl;
    return {
      frame: frames[k],
      phase: '',
      myocardiumMl,
      myocardiumG: myocardiumMl * MYOCARDIUM_DENSITY_G_PER_ML,
      lvCavityMl: Math.max(0, region - myo) * voxelMl,
    };
  });
  const cavities = rows.map((r) => r.lvCavityMl);
  // a flat curve (no LV found, or a still heart) names no phase
  if (rows.length >= 2 && Math.max(...cavities) > Math.min(...cavities)) {
    const by = (better: (a: number, b: number) => boolean) =>
      rows.reduce((best, r) => (better(r.lvCavityMl, best.lvCavityMl) ? r : best));
    by((a, b) => a > b).phase = 'ED';
    by((a, b) => a < b).phase = 'ES';
  }
  return rows;
}

/** The frames' `[D, H, W]` masks as one `[T, D, H, W]` 0/1 array, frames in order. */
export function stackedMasks(results: readonly VolumeResult[]): NdArray<Uint8Array> {
  const [d, h, w] = results[0].mask.shape;
  const data = new Uint8Array(results.length * d * h * w);
  results.forEach((r, k) => {
    data.set(r.mask.data, k * d * h * w);
  });
  return ndarray(data, [results.length, d, h, w]);
}

/**
 * Writes a study's masks as one label map `<stem>_myo.nii.gz` (4D `[T, D, H, W]` for several frames, else 3D) with
 * the input's affine and NIfTI's label intent, its label tables beside it (`<stem>_myo.txt` for ITK-SNAP,
 * `<stem>_myo.ctbl` for 3D Slicer), and `<stem>_measures.csv`; with `labelMap: false`, only the measures. Returns
 * the files written and the measures.
 */
export async function writeStudyLabels(args: {
  out: string;
  stem: string;
  results: readonly VolumeResult[];
  frames: readonly number[];
  affine: number[][];
  spacing: readonly [number, number, number];
  labelMap?: boolean;
}): Promise<{ files: string[]; measures: FrameMeasure[] }> {
  const { out, stem, results, frames, affine, spacing, labelMap = true } = args;
  const measures = frameMeasures(results, frames, spacing);
  const csv = join(out, `${stem}_measures.csv`);
  const rows = measures.map((m) =>
    [m.frame, m.phase, m.myocardiumMl.toFixed(2), m.myocardiumG.toFixed(2), m.lvCavityMl.toFixed(2)].join(
      ',',
    ),
  );
  await writeFileAtomic(csv, `frame,phase,myocardium_ml,myocardium_g,lv_cavity_ml\n${rows.join('\n')}\n`);
  if (!labelMap) return { files: [csv], measures };
  const labels = stackedMasks(results);
  const cine = results.length > 1;
  const mask = join(out, `${stem}_myo.nii.gz`);
  await writeFileAtomic(
    mask,
    writeNifti(cine ? labels : ndarray(labels.data, labels.shape.slice(1)), {
      datatype: 'uint8',
      affine,
      spacing: cine ? [1, ...spacing] : spacing,
      intent: 'label',
    }),
  );
  const txt = join(out, `${stem}_myo.txt`);
  const ctbl = join(out, `${stem}_myo.ctbl`);
  await writeFileAtomic(txt, itkSnapLabels());
  await writeFileAtomic(ctbl, slicerColorTable());
  return { files: [mask, txt, ctbl, csv], measures };
}
