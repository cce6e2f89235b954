import { InvalidShapeError, ShapeMismatchError } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { overlayPng, renderOverlay } from './overlay';
import { decodePng, maskOf } from './test-support';

/** A 6×8 ramp image: value = 10·x (0…70). */
const ramp = () => {
  const image = ndarray(new Float32Array(48), [6, 8]);
  for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) image.set(y, x, 10 * x);
  return image;
};
const pixel = (r: { rgba: Uint8Array; width: number }, y: number, x: number) => [
  ...r.rgba.subarray((y * r.width + x) * 4, (y * r.width + x) * 4 + 4),
];

describe('renderOverlay', () => {
  it('windows the image to grey levels, clipping outside the window', () => {
    const out = renderOverlay(ramp(), [], { window: [10, 50] });
    expect([out.width, out.height]).toEqual([8, 6]);
    expect(pixel(out, 0, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(out, 2, 2)).toEqual([64, 64, 64, 255]); // (20 − 10) / 40 · 255 = 63.75
    expect(pixel(out, 3, 5)).toEqual([255, 255, 255, 255]);
    expect(pixel(out, 5, 7)).toEqual([255, 255, 255, 255]);
  });

  it("'auto' maps the 1st and 99th percentiles to black and white", () => {
    const out = renderOverlay(ramp(), []);
    // 1st percentile of 48 values (0…70, six of each) = 0, 99th = 70
    expect(pixel(out, 0, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(out, 0, 7)).toEqual([255, 255, 255, 255]);
    expect(pixel(out, 0, 3)[0]).toBe(Math.round((30 / 70) * 255));
  });

  it('blends the mask colour with its opacity inside the mask and leaves the rest grey', () => {
    const mask = maskOf(6, 8, (y, x) => y === 1 && x === 2);
    const out = renderOverlay(ramp(), [{ mask, color: [255, 0, 0], opacity: 0.5 }], { window: [0, 40] });
    const grey = (20 / 40) * 255;
    expect(pixel(out, 1, 2)).toEqual([
      Math.round(grey * 0.5 + 127.5),
      Math.round(grey * 0.5),
      Math.round(grey * 0.5),
      255,
    ]);
    expect(pixel(out, 2, 2)).toEqual([128, 128, 128, 255]);
    expect(pixel(out, 1, 3)).toEqual([191, 191, 191, 255]);
  });

  it('draws later masks on top of earlier ones', () => {
    const all = maskOf(6, 8, () => true);
    const out = renderOverlay(
      ramp(),
      [
        { mask: all, color: [255, 0, 0], opacity: 1 },
        { mask: all, color: [0, 0, 255], opacity: 1 },
      ],
      { window: [0, 1] },
    );
    expect(pixel(out, 3, 3)).toEqual([0, 0, 255, 255]);
  });

  it('outlines only the border of the mask (1 output pixel wide, also after scaling)', () => {
    const image = ndarray(new Float32Array(64), [8, 8]);
    const square = maskOf(8, 8, (y, x) => y >= 2 && y < 7 && x >= 1 && x < 6);
    const out = renderOverlay(image, [{ mask: square, color: [0, 255, 0], opacity: 0, outline: true }], {
      window: [0, 1],
    });
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const inside = square.get(y, x) === 1;
        const border = inside && (y === 2 || y === 6 || x === 1 || x === 5);
        expect(pixel(out, y, x), `(${y}, ${x})`).toEqual(border ? [0, 255, 0, 255] : [0, 0, 0, 255]);
      }
    }
    const scaled = renderOverlay(image, [{ mask: square, color: [0, 255, 0], opacity: 0, outline: true }], {
      window: [0, 1],
      scale: 3,
    });
    expect([scaled.width, scaled.height]).toEqual([24, 24]);
    expect(pixel(scaled, 6, 3)).toEqual([0, 255, 0, 255]); // top-left corner of the square
    expect(pixel(scaled, 7, 4)).toEqual([0, 0, 0, 255]); // one output pixel inside: not outlined
    expect(pixel(scaled, 20, 17)).toEqual([0, 255, 0, 255]); // bottom-right corner
    expect(pixel(scaled, 5, 3)).toEqual([0, 0, 0, 255]); // just outside
  });

  it('outlines mask pixels on the image edge', () => {
    const image = ndarray(new Float32Array(9), [3, 3]);
    const full = maskOf(3, 3, () => true);
    const out = renderOverlay(image, [{ mask: full, color: [9, 9, 9], opacity: 0, outline: true }], {
      window: [0, 1],
    });
    expect(pixel(out, 0, 0)).toEqual([9, 9, 9, 255]);
    expect(pixel(out, 1, 1)).toEqual([0, 0, 0, 255]);
  });

  it('reads strided image and mask views', () => {
    const t = ramp().transpose(1, 0); // [8, 6], value = 10·y
    const mask = maskOf(6, 8, (y, x) => y === 0 && x === 1).transpose(1, 0); // set at (1, 0)
    const out = renderOverlay(t, [{ mask, color: [255, 255, 255], opacity: 1 }], { window: [0, 70] });
    expect([out.width, out.height]).toEqual([6, 8]);
    expect(pixel(out, 7, 3)).toEqual([255, 255, 255, 255]);
    expect(pixel(out, 1, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(out, 1, 1)[0]).toBe(Math.round((10 / 70) * 255));
  });

  it('rejects bad input, naming the argument', () => {
    expect(() => renderOverlay(ndarray(new Float32Array(0), [0, 3]), [])).toThrow(InvalidShapeError);
    expect(() => renderOverlay(ramp(), [{ mask: maskOf(6, 7, () => true), color: [1, 2, 3] }])).toThrow(
      ShapeMismatchError,
    );
    const mask = maskOf(6, 8, () => true);
    expect(() => renderOverlay(ramp(), [{ mask, color: [1, 2, 300] }])).toThrow(/masks\[0\]\.color/);
    expect(() => renderOverlay(ramp(), [{ mask, color: [1, 2, 3], opacity: 2 }])).toThrow(
      /masks\[0\]\.opacity/,
    );
    expect(() => renderOverlay(ramp(), [], { scale: 1.5 })).toThrow(/scale/);
    expect(() => renderOverlay(ramp(), [], { window: [5, 5] })).toThrow(/window/);
  });
});

describe('overlayPng', () => {
  it('encodes the rendered raster as a PNG file', () => {
    const mask = maskOf(6, 8, (y, x) => x > y);
    const args = [ramp(), [{ mask, color: [200, 30, 30] as const, outline: true }], { scale: 2 }] as const;
    const decoded = decodePng(overlayPng(...args));
    const raster = renderOverlay(...args);
    expect([decoded.width, decoded.height]).toEqual([16, 12]);
    expect(Buffer.from(decoded.rgba).equals(Buffer.from(raster.rgba))).toBe(true);
  });
});
