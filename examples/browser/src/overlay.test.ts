import { describe, expect, it } from 'vitest';
import { compositeOverlay } from './overlay';

describe('compositeOverlay', () => {
  it('is the grey image in RGBA without layers', () => {
    expect(Array.from(compositeOverlay([0, 128], []))).toEqual([0, 0, 0, 255, 128, 128, 128, 255]);
  });

  it('blends each colour over its mask only', () => {
    const out = compositeOverlay([100, 100, 200], [{ mask: [1, 0, 7], color: [255, 0, 50], opacity: 0.5 }]);
    // 100 + (255 − 100)·0.5 = 177.5 → 178; 100·0.5 = 50; 100 + (50 − 100)·0.5 = 75; pixel 3: 227.5, 100, 125.
    expect(Array.from(out)).toEqual([178, 50, 75, 255, 100, 100, 100, 255, 228, 100, 125, 255]);
  });

  it('shows both colours where two layers overlap, the later on top', () => {
    const out = compositeOverlay(
      [0],
      [
        { mask: [1], color: [200, 0, 0], opacity: 1 },
        { mask: [1], color: [0, 0, 200], opacity: 0.25 },
      ],
    );
    expect(Array.from(out)).toEqual([150, 0, 50, 255]);
  });

  it('rejects a mask of another size and an opacity outside 0–1', () => {
    expect(() => compositeOverlay([0, 0], [{ mask: [1], color: [0, 0, 0], opacity: 1 }])).toThrow(
      /layer 0 has 1/,
    );
    expect(() => compositeOverlay([0], [{ mask: [1], color: [0, 0, 0], opacity: 2 }])).toThrow(RangeError);
  });
});
