import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { progressStage } from './progress-stage';

describe('progressStage', () => {
  it('predicts one image at a time, in order, reporting after each; keeps the stage shape', async () => {
    const calls: number[] = [];
    const stage = {
      inputSize: [2, 2] as const,
      channels: 1 as const,
      classes: 2,
      predict: async (images: readonly ndarray.NdArray[]) => {
        calls.push(images.length);
        return images.map((img) =>
          ndarray(
            Float32Array.from(img.data as Float32Array, (v) => v / 10),
            [2, 2],
          ),
        );
      },
    };
    const progress: string[] = [];
    const counted = progressStage(stage, (done, total) => progress.push(`${done}/${total}`));
    expect([counted.inputSize, counted.channels, counted.classes]).toEqual([[2, 2], 1, 2]);
    const images = [1, 2, 3].map((v) => ndarray(new Float32Array(4).fill(v), [2, 2]));
    const maps = await counted.predict(images);
    expect(maps.map((m) => m.data[0])).toEqual([0.1, 0.2, 0.3].map((v) => Math.fround(v)));
    expect(calls).toEqual([1, 1, 1]);
    expect(progress).toEqual(['1/3', '2/3', '3/3']);
    expect(await counted.predict([])).toEqual([]);
  });
});
