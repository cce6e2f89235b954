// What the pretrained-study measures share (bench/measure.mjs, bench/gpu/precision.mjs): the study and the timer.
import { synthesizePatient } from '@myoseg/datasets';
import ndarray from 'ndarray';
import { median } from './stats.mjs';

/** The pretrained-study bench's input: one 10-slice 256² short-axis stack of a twin patient the model never saw. */
export function benchStudy() {
  const patient = synthesizePatient(0, {
    patients: 1,
    seed: 31,
    params: { sliceCount: [10, 10], imageSizes: [[256, 256]] },
  });
  const { image } = patient.frames.ED;
  return { volume: ndarray(Float32Array.from(image.data), image.shape), spacing: patient.spacing };
}

/** Runs `fn` `warmup` times, then `runs` times timed; returns the median and every run, in ms. */
export async function time(fn, { runs, warmup }) {
  for (let i = 0; i < warmup; i++) await fn();
  const all = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    all.push(performance.now() - t0);
  }
  return { ms: median(all), runs: all };
}
