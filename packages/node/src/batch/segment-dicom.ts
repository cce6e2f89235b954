import { join } from 'node:path';
import { finiteIntensities } from '@myoseg/core';
import { listDicomSeries, readDicomSeries, writeDicomSeg } from '@myoseg/datasets';
import { dicomFilesIn, writeFileAtomic } from '@myoseg/datasets/node';
import type { MyocardiumPipeline } from '@myoseg/models';
import ndarray from 'ndarray';
import type { CliIo } from '../cli/io';
import { warnIntensities } from '../cli/segment-inputs';
import { myosegVersion } from '../package-version';
import { slicesFound, stackedMasks, writeStudyLabels } from './label-outputs';
import { chosenFrames, type StudyOutputOptions, type WrittenMask } from './segment-study';

/**
 * Segments a DICOM study (a folder as it comes off the scanner): its short-axis cine series (`series`: a
 * SeriesInstanceUID, or `auto`, listed on stderr when there are several), all frames localized together, written
 * as one label map `<stem>_myo.nii.gz`: 4D `[T, D, H, W]` for a cine, 3D for one frame, with the series' affine
 * (and the label tables and measures of `writeStudyLabels`), and/or (`formats`) as a DICOM SEG `<stem>_seg.dcm`
 * that references the segmented images.
 */
export async function segmentDicomStudy(
  folder: string,
  stem: string,
  pipeline: MyocardiumPipeline,
  options: StudyOutputOptions & { series?: string },
  io: Pick<CliIo, 'err'>,
): Promise<{ masks: WrittenMask[]; files: string[] }> {
  const files = await dicomFilesIn(folder);
  const candidates = listDicomSeries(files);
  const study = readDicomSeries(files, { series: options.series ?? 'auto' });
  if (candidates.length > 1)
    io.err(
      `${folder}: ${candidates.length} series (${candidates
        .map((c) => `${c.seriesInstanceUids[0]} "${c.description}" ${c.positions}×${c.phases}`)
        .join('; ')}); segmenting ${study.seriesInstanceUids[0]} (choose with --series UID)`,
    );
  const [t, d, h, w] = study.volume.shape;
  const frames = chosenFrames(folder, options.frames, t, 'the series has', 'phases');
  const size = d * h * w;
  const chosen = new Float32Array(frames.length * size);
  let replaced = 0;
  frames.forEach((f, k) => {
    const finite = finiteIntensities(
      ndarray(study.volume.data.subarray(f * size, (f + 1) * size), [d, h, w]),
    );
    replaced += finite.replaced;
    chosen.set(finite.image.data, k * size);
  });
  warnIntensities(io, folder, replaced, 1);
  const results = await pipeline.segmentCine(ndarray(chosen, [frames.length, d, h, w]), {
    spacing: study.spacing,
    affine: study.affine,
  });
  const formats = options.formats ?? ['nifti'];
  const written = await writeStudyLabels({
    out: options.out,
    stem,
    results,
    frames,
    affine: study.affine,
    spacing: study.spacing,
    labelMap: formats.includes('nifti'),
  });
  const outputs = [...written.files];
  if (formats.includes('seg')) {
    const seg = join(options.out, `${stem}_seg.dcm`);
    await writeFileAtomic(
      seg,
      writeDicomSeg(study, stackedMasks(results), {
        phases: frames,
        software: { name: 'myoseg', version: myosegVersion() },
      }),
    );
    outputs.unshift(seg);
  }
  const masks = results.map((r, k) => ({
    file: formats.includes('nifti') ? written.files[0] : outputs[0],
    slices: d,
    found: slicesFound(r.mask),
    volumeMl: r.volumeMl,
    nonFiniteVoxels: 0,
    intensityScale: 1,
    measures: written.measures[k],
  }));
  return { masks, files: outputs };
}
