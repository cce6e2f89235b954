import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors';
import { relabel } from './labels';

describe('relabel', () => {
  const map = ndarray(new Uint8Array([0, 1, 2, 3, 3, 2, 1, 0]), [2, 4]);

  it('keeps all labels for "all" (same array)', () => {
    expect(relabel(map, 'all')).toBe(map);
  });

  it('merges myocardium and LV cavity and drops the RV for "localization"', () => {
    const out = relabel(map, 'localization');
    expect(Array.from(out.data)).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    expect(out.shape).toEqual([2, 4]);
  });

  it('keeps the myocardium only for "myocardium"', () => {
    expect(Array.from(relabel(map, 'myocardium').data)).toEqual([0, 0, 1, 0, 0, 1, 0, 0]);
  });

  it('accepts strided views and refuses an unknown mode', () => {
    expect(Array.from(relabel(map.transpose(1, 0), 'myocardium').data)).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
    expect(() => relabel(map, 'lv' as 'all')).toThrow(InvalidOptionError);
  });
});
