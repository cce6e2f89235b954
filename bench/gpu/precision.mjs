// float16 against float32 on onnxruntime-node's WebGPU provider, on a GPU: `node bench/gpu/precision.mjs '<spec>'`
// (bundled by bench/gpu/pack.sh; bench/gpu/webgpu.sh runs it). One JSON line per measurement on stdout.
//   cohort: @myoseg/pretrained's frame Dice (all slices, ED and ES) on the cohorts it is judged on
//           (scripts/pretrained-cohorts.mjs), in float32 and in float16 (toFloat16Compute), and the Dice between the
//           two precisions' masks;
//   study:  ms per study (bench/lib/study.mjs) in each precision, interleaved;
//   unet:   the full-width ResNet-34 U-Net (41 M parameters) at 64²×16 and 256²×4, inference in each precision.
// spec: { parts?: string[], cohorts?: number[] (indices into COHORTS), patients?: number, runs?: number, warmup?: number,
//         runtime?: 'webgpu' (default) | 'onnxruntime', precisions?: [a, b] } (the last two for a smoke test on a CPU)
import { dice, MYOCARDIUM_LABELS, selectLabels } from '@myoseg/core';
import { synthesizePatient } from '@myoseg/datasets';
import { buildUNet, scoreVolume } from '@myoseg/models';
import { exportOnnx, toFloat16Compute } from '@myoseg/models/onnx';
import { initBackend, loadOnnxRuntime, loadPipelineFolder, ortStage } from '@myoseg/node';
import { pretrainedModelDir } from '@myoseg/pretrained/node';
import ndarray from 'ndarray';
import { COHORTS } from '../../scripts/pretrained-cohorts.mjs';
import { median } from '../lib/stats.mjs';
import { benchStudy, time } from '../lib/study.mjs';

const spec = JSON.parse(process.argv[2] ?? '{}');
const { parts = ['cohort', 'unet', 'study'], runs = 5, warmup = 2, runtime = 'webgpu' } = spec;
const PRECISIONS = spec.precisions ?? ['float32', 'float16'];
const print = (label, value) => process.stdout.write(`${JSON.stringify({ label, ...value })}\n`);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The pretrained folder in each precision, loaded one after the other. */
async function loadBoth() {
  const folders = [];
  for (const precision of PRECISIONS)
    folders.push(await loadPipelineFolder(pretrainedModelDir(), { runtime, precision }));
  return folders;
}

async function cohort(c) {
  const folders = await loadBoth();
  const frames = [];
  const count = Math.min(spec.patients ?? c.patients, c.patients);
  for (let i = 0; i < count; i++) {
    const patient = synthesizePatient(i, { patients: c.patients, seed: c.seed, params: c.params });
    for (const phase of ['ED', 'ES']) {
      const { image, label } = patient.frames[phase];
      const volume = ndarray(Float32Array.from(image.data), image.shape);
      const truth = selectLabels(label, MYOCARDIUM_LABELS);
      const masks = [];
      for (const f of folders)
        masks.push((await f.pipeline.segmentVolume(volume, { spacing: patient.spacing })).mask);
      const [d32, d16] = masks.map((m) => scoreVolume(m, truth, patient.spacing).dice);
      frames.push({ d32, d16, agreement: dice(masks[0], masks[1]) });
    }
  }
  for (const f of folders) f.dispose();
  const diffs = frames.map((f) => Math.abs(f.d16 - f.d32));
  print(`cohort ${c.name}`, {
    notes: folders.map((f) => f.runtimeNote),
    frames: frames.length,
    precisions: PRECISIONS,
    frameDice: [mean(frames.map((f) => f.d32)), mean(frames.map((f) => f.d16))],
    meanAbsDiceDiff: mean(diffs),
    maxAbsDiceDiff: Math.max(...diffs),
    maskAgreement: {
      mean: mean(frames.map((f) => f.agreement)),
      min: Math.min(...frames.map((f) => f.agreement)),
    },
  });
}

async function study() {
  const { volume, spacing } = benchStudy();
  const folders = await loadBoth();
  const all = [[], []];
  for (let round = 0; round < 3; round++)
    for (const [k, f] of folders.entries()) {
      const t = await time(() => f.pipeline.segmentVolume(volume, { spacing }), {
        runs,
        warmup: round ? 0 : warmup,
      });
      all[k].push(...t.runs);
    }
  for (const f of folders) f.dispose();
  print('pretrained study (10 slices of 256², segmentVolume), ms', {
    precisions: PRECISIONS,
    median: all.map(median),
    runs: all,
  });
}

async function unet(size, batch) {
  const model = buildUNet({ encoder: 'resnet34', inputShape: [size, size, 3], numClasses: 2, seed: 0 });
  const bytes = exportOnnx(model);
  model.dispose();
  const ort = (await loadOnnxRuntime()).runtime;
  const x = Float32Array.from({ length: batch * size * size * 3 }, (_, i) => Math.sin(i));
  const ms = [];
  const outputs = [];
  for (const precision of PRECISIONS) {
    const stage = await ortStage(precision === 'float16' ? toFloat16Compute(bytes) : bytes, {
      executionProvider: runtime === 'webgpu' ? 'webgpu' : 'cpu',
    });
    const feed = { [stage.session.inputNames[0]]: new ort.Tensor('float32', x, [batch, size, size, 3]) };
    let y;
    const t = await time(
      async () => {
        y = await stage.session.run(feed);
      },
      { runs, warmup },
    );
    outputs.push(y[stage.session.outputNames[0]].data);
    ms.push(t.ms);
    stage.release();
  }
  let max = 0;
  for (let i = 0; i < outputs[0].length; i++) max = Math.max(max, Math.abs(outputs[0][i] - outputs[1][i]));
  print(`unet inference ${size}²×${batch} on ${runtime}, ms (median of ${runs})`, {
    precisions: PRECISIONS,
    ms,
    maxAbsSoftmaxDiff: max,
  });
}

await initBackend({ prefer: 'cpu' });
for (const part of parts) {
  try {
    if (part === 'cohort') for (const i of spec.cohorts ?? [0, 2]) await cohort(COHORTS[i]);
    else if (part === 'study') await study();
    else if (part === 'unet')
      for (const [s, b] of [
        [64, 16],
        [256, 4],
      ])
        await unet(s, b);
    else throw new Error(`unknown part ${part}`);
  } catch (e) {
    print(`${part} failed`, { error: String(e?.message ?? e).split('\n')[0] });
  }
}
process.exit(0);
