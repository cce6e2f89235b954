import { boundingBox, type Image2D } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { refocusedMaps, refocusWindow } from './refocus';
import { oracle, slice } from './test-support';

describe('refocusWindow', () => {
  it('is a square of factor × the larger side, centred on the consensus box', () => {
    expect(refocusWindow({ y0: 100, x0: 120, y1: 120, x1: 130 }, [400, 300], 8)).toEqual({
      y0: 30,
      x0: 45,
      y1: 190,
      x1: 205,
    });
  });

  it('never shrinks below minSide, and may reach past the edges', () => {
    expect(refocusWindow({ y0: 0, x0: 0, y1: 4, x1: 4 }, [300, 300], 8, 96)).toEqual({
      y0: -46,
      x0: -46,
      y1: 50,
      x1: 50,
    });
  });

  it('is null when it would reach the image’s larger side', () => {
    expect(refocusWindow({ y0: 40, x0: 40, y1: 60, x1: 62 }, [176, 144], 8)).toBeNull();
    expect(refocusWindow({ y0: 40, x0: 40, y1: 60, x1: 60 }, [160, 120], 8)).toBeNull();
    expect(refocusWindow({ y0: 40, x0: 40, y1: 60, x1: 60 }, [161, 161], 8)).not.toBeNull();
  });
});

describe('refocusedMaps', () => {
  it('maps the window back to its place, 0 outside it, whatever the localizer’s input size', async () => {
    const { image } = slice(300, 260, 150, 120, 8, 14);
    const lv = ndarray(
      Uint8Array.from(image.data, (v) => (v === 1 ? 1 : 0)),
      [300, 260],
    );
    const window = { y0: 90, x0: 60, y1: 210, x1: 180 };
    const localizer = oracle([64, 64], 0.75, 2); // finds the LV cavity (value 1)
    const [map] = await refocusedMaps(localizer, [image], window);
    expect(map.shape).toEqual([300, 260]);
    const found = ndarray(
      Uint8Array.from(map.data, (v) => (v >= 0.5 ? 1 : 0)),
      [300, 260],
    );
    const [a, b] = [boundingBox(found), boundingBox(lv)];
    for (const k of ['y0', 'x0', 'y1', 'x1'] as const) expect(Math.abs(a![k] - b![k])).toBeLessThanOrEqual(2);
    // nothing outside the window, although the localizer's map of the crop is never empty there by accident
    for (let y = 0; y < 300; y++)
      for (let x = 0; x < 260; x++)
        if (y < 90 || y >= 210 || x < 60 || x >= 180) expect(map.get(y, x)).toBe(0);
  });

  it('pads a window that reaches past the image with the edge and keeps only the image’s part', async () => {
    const image: Image2D = ndarray(new Float32Array(50 * 50).fill(1), [50, 50]);
    const [map] = await refocusedMaps(oracle([32, 32], 0.75, 2), [image], {
      y0: -20,
      x0: 30,
      y1: 40,
      x1: 90,
    });
    expect(map.shape).toEqual([50, 50]);
    expect(map.get(0, 49)).toBeCloseTo(1);
    expect(map.get(39, 30)).toBeCloseTo(1);
    expect(map.get(45, 35)).toBe(0);
    expect(map.get(10, 10)).toBe(0);
    expect(await refocusedMaps(oracle([32, 32], 0.75, 2), [], { y0: 0, x0: 0, y1: 8, x1: 8 })).toEqual([]);
  });
});
