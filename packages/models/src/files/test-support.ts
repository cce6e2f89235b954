import { fitSigmaRegression } from '@myoseg/core';
import { buildUNet } from '../architecture/unet';
import { MyocardiumPipeline } from '../pipeline/pipeline';
import { resolvePreset } from '../pipeline/presets';
import { tfStage } from '../pipeline/stage';
import type { TrainedPipeline } from '../pipeline/train-pipeline';

/**
 * An untrained but complete pipeline (32² localizer, 24² segmenter): enough for save/load round trips.
 *
 * @param widthMultiplier - both networks' width (default 1/16; ¼ gives the channel counts that the ONNX export pads).
 */
export function tinyPipeline(widthMultiplier = 1 / 16): TrainedPipeline {
  const preset = resolvePreset({
    base: 'quick',
    localizerSize: [32, 32],
    segmenterSize: [24, 24],
    widthMultiplier,
  });
  const net = (size: number, seed: number) =>
    buildUNet({
      encoder: 'resnet18',
      inputShape: [size, size, 1],
      numClasses: 2,
      widthMultiplier,
      seed,
    });
  const localizerModel = net(32, 1);
  const segmenterModel = net(24, 2);
  const sigma = fitSigmaRegression([
    { width: 30, sigma: 0.2 },
    { width: 60, sigma: 0.7 },
  ]);
  const phase = { lrMax: [1e-3], fit: { history: [{ epoch: 0, loss: 0.5, lr: 1e-3 }], stoppedEarly: false } };
  return {
    pipeline: new MyocardiumPipeline({
      localizer: tfStage(localizerModel),
      cropSegmenter: tfStage(segmenterModel),
      sigma,
    }),
    localizerModel,
    segmenterModel,
    sigma,
    sigmaSamples: [],
    split: { train: ['patient001'], sigma: ['patient002'], validation: ['patient003'] },
    preset,
    history: { localizer: { frozen: phase, unfrozen: phase }, segmenter: { frozen: phase, unfrozen: phase } },
  };
}

/** A reader over an in-memory folder that fails like Node's `fs` (code `ENOENT`) for absent files. */
export function memoryReader(
  files: Record<string, Uint8Array | string>,
): (path: string) => Promise<Uint8Array> {
  return async (path) => {
    const content = files[path];
    if (content === undefined) throw Object.assign(new Error(`no ${path}`), { code: 'ENOENT' });
    return typeof content === 'string' ? new TextEncoder().encode(content) : content;
  };
}

/** Frees both networks of a pipeline made by {@link tinyPipeline}. */
export function disposePipeline(p: TrainedPipeline): void {
  p.localizerModel.dispose();
  p.segmenterModel.dispose();
}
