import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { viewRegion } from './view-region';

function mask(shape: [number, number], box: [number, number, number, number]) {
  const [h, w] = shape;
  const m = ndarray(new Uint8Array(h * w), shape);
  for (let y = box[0]; y < box[2]; y++) for (let x = box[1]; x < box[3]; x++) m.set(y, x, 1);
  return m;
}

describe('viewRegion', () => {
  it('is a square around the union of the masks with a frame of half its side', () => {
    // union y 40–50, x 40–60: side 20, plus 10 on each side = 40, centred on (45, 50).
    const box = viewRegion(
      [mask([100, 100], [40, 40, 50, 50]), mask([100, 100], [45, 50, 50, 60])],
      [100, 100],
    );
    expect(box).toEqual({ y0: 25, x0: 30, y1: 65, x1: 70 });
  });

  it('moves the square inside the image at an edge', () => {
    expect(viewRegion([mask([100, 100], [0, 90, 10, 100])], [100, 100])).toEqual({
      y0: 0,
      x0: 80,
      y1: 20,
      x1: 100,
    });
  });

  it('cuts the square at the edges of a narrow image, and shows everything without masks', () => {
    expect(viewRegion([mask([100, 12], [40, 2, 60, 10])], [100, 12])).toEqual({
      y0: 30,
      x0: 0,
      y1: 70,
      x1: 12,
    });
    expect(viewRegion([mask([6, 8], [0, 0, 0, 0])], [6, 8])).toEqual({ y0: 0, x0: 0, y1: 6, x1: 8 });
  });
});
