import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ellipseMask, f32, u8 } from '../test/fixtures';
import { boundingBox } from './bounding-box';
import { cropImage, pasteMask } from './crop';
import { squareCropBox } from './crop-box';
import { ShapeMismatchError } from './errors';

describe('boundingBox', () => {
  it('is end-exclusive and null for an empty mask', () => {
    const m = u8([0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0], [3, 4]);
    expect(boundingBox(m)).toEqual({ y0: 1, x0: 1, y1: 3, x1: 3 });
    expect(boundingBox(u8([0, 0], [1, 2]))).toBeNull();
  });
});

describe('squareCropBox', () => {
  it('centres a square of side L·(1 + 2·frame) on the box', () => {
    // box 20 rows × 10 cols: L = 20, side = 26, centre (20, 35)
    expect(squareCropBox({ y0: 10, x0: 30, y1: 30, x1: 40 })).toEqual({ y0: 7, x0: 22, y1: 33, x1: 48 });
    expect(squareCropBox({ y0: 10, x0: 30, y1: 30, x1: 40 }, { frame: 0 })).toEqual({
      y0: 10,
      x0: 25,
      y1: 30,
      x1: 45,
    });
  });

  it('may reach past the image edge', () => {
    const b = squareCropBox({ y0: 0, x0: 0, y1: 10, x1: 10 }, { imageShape: [50, 50] });
    expect(b.y0).toBeLessThan(0);
    expect(b.y1 - b.y0).toBe(13);
  });

  it('rejects empty boxes, negative frames and boxes outside the image', () => {
    expect(() => squareCropBox({ y0: 3, x0: 3, y1: 3, x1: 5 })).toThrow(/non-empty/);
    expect(() => squareCropBox({ y0: 0, x0: 0, y1: 3, x1: 5 }, { frame: -0.1 })).toThrow(/frame/);
    expect(() => squareCropBox({ y0: 0, x0: 0, y1: 3, x1: 5 }, { imageShape: [2, 9] })).toThrow(
      /outside the image/,
    );
  });

  it('property: the square contains the box and is square', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (y0, x0, h, w, frame) => {
          const s = squareCropBox({ y0, x0, y1: y0 + h, x1: x0 + w }, { frame });
          expect(s.y1 - s.y0).toBe(s.x1 - s.x0);
          expect(s.y0).toBeLessThanOrEqual(y0);
          expect(s.x0).toBeLessThanOrEqual(x0);
          expect(s.y1).toBeGreaterThanOrEqual(y0 + h);
          expect(s.x1).toBeGreaterThanOrEqual(x0 + w);
        },
      ),
    );
  });
});

describe('cropImage / pasteMask', () => {
  const img = f32([1, 2, 3, 4, 5, 6], [2, 3]);

  it('pads outside the image with zeros or the edge', () => {
    const box = { y0: -1, x0: 1, y1: 1, x1: 4 };
    expect(Array.from(cropImage(img, box).data)).toEqual([0, 0, 0, 2, 3, 0]);
    expect(Array.from(cropImage(img, box, { pad: 'edge' }).data)).toEqual([2, 3, 3, 2, 3, 3]);
  });

  it('keeps the dtype', () => {
    expect(cropImage(u8([1, 0, 1, 1], [2, 2]), { y0: 0, x0: 0, y1: 1, x1: 2 }).data).toBeInstanceOf(
      Uint8Array,
    );
  });

  it('clips at the edge when pasting', () => {
    const crop = u8([1, 1, 1, 1], [2, 2]);
    const pasted = pasteMask(crop, { y0: -1, x0: 2, y1: 1, x1: 4 }, [2, 3]);
    expect(Array.from(pasted.data)).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it('rejects a mask that is not the box size', () => {
    expect(() => pasteMask(u8([1, 1], [1, 2]), { y0: 0, x0: 0, y1: 2, x1: 2 }, [3, 3])).toThrow(
      ShapeMismatchError,
    );
  });

  it('property: pasteMask(cropImage(m, box), box) = m for boxes that hold the mask', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 30 }),
        fc.integer({ min: 8, max: 30 }),
        fc.integer({ min: 0, max: 1000 }),
        (h, w, seed) => {
          const m = ellipseMask(h, w, h / 2, w / 2, h / 4 + (seed % 3), w / 4);
          const bb = boundingBox(m);
          if (!bb) return;
          const box = squareCropBox(bb, { frame: 0.15 });
          const back = pasteMask(cropImage(m, box), box, [h, w]);
          expect(Array.from(back.data)).toEqual(Array.from(m.data));
        },
      ),
    );
  });
});
