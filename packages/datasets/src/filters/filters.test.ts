import { describe, expect, it } from 'vitest';
import { ringArt, sampleFromArt } from '../../test/slice-sample';
import { InvalidOptionError } from '../errors';
import { exposureInRange } from './exposure';
import { lvCavityVisible } from './lv-cavity-visible';
import { myocardiumMinSize } from './myocardium-size';
import { myocardiumFullyVisible } from './myocardium-visible';
import { paperFilters } from './paper-filters';
import { filterSlices, type SliceContext, type SliceFilter } from './slice-filter';

const context = (brightness = 1, stackBrightness = 1): SliceContext => ({
  stack: [],
  brightness,
  stackBrightness,
});

describe('myocardiumFullyVisible', () => {
  it('keeps a closed ring', () => {
    expect(myocardiumFullyVisible.reject(sampleFromArt(ringArt(6)), context())).toBeNull();
  });

  it('rejects an open ring, no myocardium, and myocardium on the border', () => {
    const open = ringArt(6).map((row, y) =>
      y === 1 || y === 2 ? `${row.slice(0, 3)}..${row.slice(5)}` : row,
    );
    expect(myocardiumFullyVisible.reject(sampleFromArt(open), context())).toMatch(
      /ring is open: 2 LV cavity pixels/,
    );
    const none = ['....', '.cc.', '....'];
    expect(myocardiumFullyVisible.reject(sampleFromArt(none), context())).toBe('no myocardium in the slice');
    expect(myocardiumFullyVisible.reject(sampleFromArt(ringArt(6, 0)), context())).toMatch(
      /image border at 20 pixels/,
    );
  });

  it('counts the RV touching the cavity as an open ring, but not a closed apical disc', () => {
    const rvLeak = ['......', '.mmmm.', '.mccr.', '.mmmm.', '......'];
    expect(myocardiumFullyVisible.reject(sampleFromArt(rvLeak), context())).toMatch(/open/);
    expect(
      myocardiumFullyVisible.reject(sampleFromArt(['....', '.mm.', '.mm.', '....']), context()),
    ).toBeNull();
  });
});

describe('myocardiumMinSize', () => {
  it('rejects a box under N×N and keeps N×N (boundary)', () => {
    expect(myocardiumMinSize(30).reject(sampleFromArt(ringArt(30)), context())).toBeNull();
    expect(myocardiumMinSize(30).reject(sampleFromArt(ringArt(29)), context())).toBe(
      'the myocardium bounding box is 29×29 pixels (under 30×30)',
    );
    const wide = [`.${'m'.repeat(40)}.`, `.${'m'.repeat(40)}.`];
    expect(myocardiumMinSize(30).reject(sampleFromArt(wide), context())).toMatch(/2×40/);
    expect(myocardiumMinSize(3).name).toBe('myocardium-under-3x3');
    expect(() => myocardiumMinSize(0)).toThrow(InvalidOptionError);
  });
});

describe('lvCavityVisible', () => {
  it('rejects slices without LV cavity', () => {
    expect(lvCavityVisible.reject(sampleFromArt(ringArt(6)), context())).toBeNull();
    expect(lvCavityVisible.reject(sampleFromArt(['mm', 'mm']), context())).toBe('no LV cavity in the slice');
  });
});

describe('exposureInRange', () => {
  it('compares the brightness with the stack median', () => {
    const f = exposureInRange();
    const s = sampleFromArt(['.']);
    expect(f.reject(s, context(100, 100))).toBeNull();
    expect(f.reject(s, context(49, 100))).toMatch(/too dark/);
    expect(f.reject(s, context(201, 100))).toMatch(/too bright/);
    expect(f.reject(s, context(50, 0))).toBeNull();
    expect(exposureInRange({ minRatio: 0.9 }).reject(s, context(80, 100))).toMatch(/0.80×/);
    expect(() => exposureInRange({ minRatio: 3, maxRatio: 2 })).toThrow(InvalidOptionError);
  });
});

describe('filterSlices', () => {
  const ring = ringArt(30);
  const stack = [
    sampleFromArt(ring, { slice: 0, brightness: 100 }),
    sampleFromArt(ring, { slice: 1, brightness: 110 }),
    sampleFromArt(ring, { slice: 2, brightness: 20 }),
    sampleFromArt(ringArt(10), { slice: 3, brightness: 100 }),
    sampleFromArt(['..', '..'], { slice: 4, brightness: 100 }),
    sampleFromArt(ring, { slice: 0, phase: 'ES', brightness: 500 }),
  ];

  it('counts each rejected slice once, for its first filter, and keeps the rest in order', () => {
    const report = filterSlices(stack);
    expect(report.total).toBe(6);
    expect(report.kept.map((s) => s.slice)).toEqual([0, 1, 0]);
    expect(report.removedBy).toEqual({
      'myocardium-not-fully-visible': 1,
      'myocardium-under-30x30': 1,
      'no-lv-cavity': 0,
      'too-dark-or-too-bright': 1,
    });
    expect(report.failedBy['myocardium-under-30x30']).toBe(2);
    const empty = report.rejected.find((r) => r.sample.slice === 4)!;
    expect(empty.reasons.map((r) => r.filter)).toEqual([
      'myocardium-not-fully-visible',
      'myocardium-under-30x30',
      'no-lv-cavity',
    ]);
    // The ES slice is alone in its stack, so its brightness is its stack's median.
    expect(report.kept.some((s) => s.phase === 'ES')).toBe(true);
  });

  it('composes with custom filters in the given order', () => {
    const oddSlices: SliceFilter = { name: 'odd', reject: (s) => (s.slice % 2 ? 'odd slice' : null) };
    const report = filterSlices(stack, [oddSlices, ...paperFilters]);
    expect(report.removedBy.odd).toBe(2);
    expect(report.rejected.find((r) => r.sample.slice === 1)?.reason).toBe('odd slice');
    expect(filterSlices([], [oddSlices])).toEqual({
      kept: [],
      rejected: [],
      removedBy: { odd: 0 },
      failedBy: { odd: 0 },
      total: 0,
    });
    expect(() => filterSlices(stack, [oddSlices, oddSlices])).toThrow(/unique/);
  });
});
