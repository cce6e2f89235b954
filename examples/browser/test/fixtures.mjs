// The end-to-end test's data: a tiny synthetic ACDC cohort and a tiny model trained on its training patients,
// made with the built packages in Node (wasm backend), plus a 4D cine of one test patient.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { easyTwinParams, filterSlices, toCohortSlices, writeNifti } from '@myoseg/datasets';
import { loadAcdc, synthesizeAcdc } from '@myoseg/datasets/node';
import { pipelineFolderFiles } from '@myoseg/models';
import { registerWasmTrainingKernels } from '@myoseg/models/kernels';
import { trainPipeline } from '@myoseg/models/training';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';

/** Small U-Nets that learn the easy twin in seconds on two cores. */
const TINY_PRESET = {
  base: 'quick',
  encoder: 'resnet18',
  widthMultiplier: 0.125,
  localizerSize: [64, 64],
  segmenterSize: [32, 32],
  frozenEpochs: 1,
  epochs: 3,
  batchSize: 8,
  baseLr: 1e-2,
  zoomCopies: 0,
  jitterCopies: 0,
};

async function writeFolder(dir, files) {
  const temp = `${dir}.partial`;
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(temp, path)), { recursive: true });
    await writeFile(join(temp, path), content);
  }
  await rename(temp, dir);
}

/**
 * Writes `dir/data` (8 synthetic patients), `dir/model` (trained on them) and `dir/cine-ed-es.nii.gz` (the ED
 * and ES frames of the patient the page is tested on, as a 2-frame cine).
 *
 * @returns that patient's id, the paths of its ED image, ED labels and Info.cfg, the cine's path and the model
 *   folder.
 */
export async function makeFixtures(dir) {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await synthesizeAcdc({ outDir: join(dir, 'data'), patients: 8, seed: 1, params: easyTwinParams });
  const cohort = await loadAcdc(join(dir, 'data'));
  const { kept } = filterSlices((await toCohortSlices(cohort.patients, { labels: 'all' })).samples);
  const trained = await trainPipeline(kept, { seed: 0, preset: TINY_PRESET });
  // A patient the networks trained on: a model this small may find nothing on a new one, and the test is of the
  // page, not of the model.
  const test = cohort.patients.find((p) => p.id === trained.split.train[0]);
  const model = join(dir, 'model');
  await writeFolder(model, await pipelineFolderFiles(trained));

  const [edImage, esImage] = await Promise.all([test.frames.ED.image(), test.frames.ES.image()]);
  const cineData = new Int16Array(edImage.data.length * 2);
  cineData.set(edImage.data);
  cineData.set(esImage.data, edImage.data.length);
  const cine = join(dir, 'cine-ed-es.nii.gz');
  const cineVolume = ndarray(cineData, [2, ...edImage.shape]);
  await writeFile(cine, writeNifti(cineVolume, { spacing: [25, ...edImage.spacing], level: 1 }));
  return {
    patient: test.id,
    image: test.frames.ED.imageFile,
    labels: test.frames.ED.labelFile,
    info: join(dirname(test.frames.ED.imageFile), 'Info.cfg'),
    cine,
    model,
  };
}
