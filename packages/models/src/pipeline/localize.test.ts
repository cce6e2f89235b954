import { boundingBox, type Image2D } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { regionTrack } from './localize';

const H = 64;
const W = 64;

/** A `[H, W]` map with value `p` inside each disc `[cy, cx, r]`, 0 elsewhere. */
function map(discs: readonly (readonly [number, number, number])[], p = 1): Image2D {
  const out = new Float32Array(H * W);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      if (discs.some(([cy, cx, r]) => Math.hypot(y - cy, x - cx) <= r)) out[y * W + x] = p;
  return ndarray(out, [H, W]);
}

/** A stack whose heart sits at (30, 28) with radius 8 on every slice. */
const heart = (d: number) => Array.from({ length: d }, () => map([[30, 28, 8]]));
const trueBox = boundingBox(map([[30, 28, 8]]))!;

describe('regionTrack', () => {
  it('a slice whose map is a larger decoy elsewhere gets the box interpolated from its neighbours', () => {
    const stack = heart(6);
    stack[2] = map([[10, 50, 11]]);
    const t = regionTrack([stack]);
    expect(t.status[0]).toEqual([
      'component',
      'component',
      'interpolated',
      'component',
      'component',
      'component',
    ]);
    expect(t.boxes[0][2]).toEqual(trueBox);
    expect(boundingBox(t.regions[0][2])).toEqual(trueBox);
    expect(t.consensus).toEqual(trueBox);
  });

  it('picks the component that agrees with the stack, not the largest one', () => {
    const stack = heart(5);
    stack[3] = map([
      [30, 28, 8],
      [10, 50, 11],
    ]);
    const t = regionTrack([stack]);
    expect(t.status[0][3]).toBe('component');
    expect(boundingBox(t.regions[0][3])).toEqual(trueBox);
  });

  it('replaces a box that jumps away from its neighbours although it touches the consensus', () => {
    const stack = heart(7);
    stack[3] = map([[30, 42, 8]]); // shifted by 14 px, more than 0.35 × 17
    const t = regionTrack([stack]);
    expect(t.status[0][3]).toBe('interpolated');
    expect(t.boxes[0][3]).toEqual(trueBox);
  });

  it('apical and basal slices with weak evidence are absent; an interior weak slice is interpolated', () => {
    const stack = heart(7);
    stack[0] = map([[30, 28, 8]], 0.55); // faint: below minPeak
    stack[6] = map([[30, 28, 2]]); // tiny: below 0.2 × the median area
    stack[5] = map([[50, 10, 4]]); // a blob elsewhere at the apex
    stack[3] = map([[30, 28, 8]], 0.55);
    const t = regionTrack([stack]);
    expect(t.status[0]).toEqual([
      'absent',
      'component',
      'component',
      'interpolated',
      'component',
      'absent',
      'absent',
    ]);
    for (const z of [0, 5, 6]) {
      expect(t.boxes[0][z]).toBeNull();
      expect(t.regions[0][z].data.every((v) => v === 0)).toBe(true);
    }
  });

  it('interpolates centre and size linearly between the nearest accepted slices', () => {
    const stack = [map([[20, 20, 6]]), map([[10, 50, 3]]), map([[24, 24, 6]])];
    const t = regionTrack([stack], { maxShift: 1 });
    expect(t.status[0][1]).toBe('interpolated');
    expect(t.boxes[0][1]).toEqual({ y0: 16, x0: 16, y1: 29, x1: 29 });
  });

  it('fuses cine frames: a frame whose every slice misses still gets the stack’s boxes between found ones', () => {
    const good = heart(4);
    const bad = heart(4);
    bad[1] = map([[8, 8, 6]]);
    bad[2] = map([[8, 8, 6]]);
    const t = regionTrack([good, good, bad]);
    expect(t.status[2]).toEqual(['component', 'interpolated', 'interpolated', 'component']);
    expect(t.boxes[2][1]).toEqual(trueBox);
    expect(t.regions).toHaveLength(3);
  });

  it('an all-empty stack (or no stack) is absent everywhere', () => {
    const t = regionTrack([Array.from({ length: 3 }, () => map([]))]);
    expect(t.consensus).toBeNull();
    expect(t.status[0]).toEqual(['absent', 'absent', 'absent']);
    expect(t.regions[0].every((m) => m.data.every((v) => v === 0))).toBe(true);
    expect(regionTrack([]).regions).toEqual([]);
  });

  it('rejects frames of different depth, maps of different shape and bad options by name', () => {
    expect(() => regionTrack([heart(2), heart(3)])).toThrow(/frame 1 has 3 slices/);
    expect(() => regionTrack([[map([]), ndarray(new Float32Array(4), [2, 2])]])).toThrow(/map \[0\]\[1\]/);
    expect(() => regionTrack([heart(2)], { threshold: 1 })).toThrow(/threshold/);
    expect(() => regionTrack([heart(2)], { neighbours: 0 })).toThrow(/neighbours/);
  });
});
