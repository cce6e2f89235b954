import type { SegmentationStage } from '@myoseg/models';

/**
 * `stage`, predicting one image at a time and calling `onDone(done, total)` after each, so that a stack's progress
 * can be shown per slice.
 */
export function progressStage(
  stage: SegmentationStage,
  onDone: (done: number, total: number) => void,
): SegmentationStage {
  return {
    inputSize: stage.inputSize,
    channels: stage.channels,
    classes: stage.classes,
    async predict(images) {
      const out = [];
      for (const image of images) {
        out.push(...(await stage.predict([image])));
        onDone(out.length, images.length);
      }
      return out;
    },
  };
}
