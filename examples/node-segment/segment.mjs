#!/usr/bin/env node
// Segments the myocardium in a 3D NIfTI image with a trained model folder, then prints the myocardial volume
// and, when ACDC's ground truth `<image>_gt.nii[.gz]` lies beside the image, the Dice and the true volume.
//
//   node segment.mjs MODEL_DIR IMAGE.nii.gz
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { dice, MYOCARDIUM_LABELS, selectLabels, volumeMl } from '@myoseg/core';
import { readNifti } from '@myoseg/datasets';
import { initBackend, loadPipelineFolder } from '@myoseg/node';

const [modelDir, imageFile] = process.argv.slice(2);
if (!modelDir || !imageFile) {
  console.error('usage: node segment.mjs MODEL_DIR IMAGE.nii[.gz]');
  process.exit(2);
}

// Node's gunzip is several times faster than the built-in fallback
const read = async (file) => readNifti(await readFile(file), { name: file, gunzip: (b) => gunzipSync(b) });

const backend = await initBackend(); // tfjs-node-gpu → tfjs-node → wasm → cpu
const model = await loadPipelineFolder(modelDir); // the folder `myoseg train` or `myoseg demo` writes
const image = await read(imageFile);
if (image.shape.length !== 3) {
  throw new Error(`${imageFile}: expected a 3D [D, H, W] image, got shape [${image.shape.join(', ')}]`);
}
const spacing = image.spacing; // [dz, dy, dx] in mm
const [d, h, w] = image.shape;
console.log(`backend: ${backend.choice}, inference: ${model.runtime}`); // onnxruntime-node when installed
console.log(`image: ${d} slices of ${h}×${w}, spacing ${spacing.map((s) => s.toFixed(2)).join(' × ')} mm`);

const result = await model.pipeline.segmentVolume(image.volume, { spacing });
const found = result.slices.filter((s) => s.found).length;
const msPerSlice = result.slices.reduce((t, s) => t + s.timings.totalMs, 0) / d;
console.log(`myocardium found on ${found} of ${d} slices, ${msPerSlice.toFixed(0)} ms per slice`);
console.log(`volume (myoseg): ${volumeMl(result.mask, spacing).toFixed(2)} ml`);

const gtFile = imageFile.replace(/\.nii(\.gz)?$/, '_gt.nii$1');
if (gtFile !== imageFile && existsSync(gtFile)) {
  const truth = selectLabels((await read(gtFile)).volume, MYOCARDIUM_LABELS);
  console.log(`volume (ground truth): ${volumeMl(truth, spacing).toFixed(2)} ml`);
  console.log(`Dice: ${dice(result.mask, truth).toFixed(4)}`);
}
model.dispose();
