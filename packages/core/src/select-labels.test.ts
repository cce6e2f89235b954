import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { u8 } from '../test/fixtures';
import { selectLabels } from './select-labels';

describe('selectLabels', () => {
  it('keeps the chosen labels as 1 in 2D, 3D and strided views', () => {
    const labels = u8([0, 1, 2, 3, 2, 0], [2, 3]);
    expect(Array.from(selectLabels(labels, [2, 3]).data)).toEqual([0, 0, 1, 1, 1, 0]);
    expect(Array.from(selectLabels(labels.transpose(1, 0), [2]).data)).toEqual([0, 0, 0, 1, 1, 0]);
    const vol = ndarray(Uint8Array.from([3, 2, 1, 0, 2, 2, 0, 3]), [2, 2, 2]);
    expect(Array.from(selectLabels(vol, [2]).data)).toEqual([0, 1, 0, 0, 1, 1, 0, 0]);
    // a slice of a volume: row-major from its offset on
    expect(Array.from(selectLabels(vol.pick(1, null, null), [2, 3]).data)).toEqual([1, 1, 0, 1]);
    expect(Array.from(selectLabels(vol.pick(null, 1, null), [2]).data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(selectLabels(vol.pick(null, 0, null), [2]).data)).toEqual([0, 1, 1, 1]);
  });
});
