import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { labelKind, myocardiumMask } from './label-mask';

describe('labelKind', () => {
  it('calls a file with a value above 1 ACDC labels, else binary', () => {
    expect(labelKind([0, 1, 0, 1])).toBe('binary');
    expect(labelKind([0, 1, 3])).toBe('acdc');
    expect(labelKind([])).toBe('binary');
  });
});

describe('myocardiumMask', () => {
  const labels = ndarray(new Uint8Array([0, 1, 2, 3, 2, 0]), [2, 3]);
  it('keeps label 2 of ACDC labels', () => {
    expect(Array.from(myocardiumMask(labels, 'acdc').data)).toEqual([0, 0, 1, 0, 1, 0]);
  });
  it('keeps every non-zero pixel of a binary mask, on a strided view too', () => {
    expect(Array.from(myocardiumMask(labels, 'binary').data)).toEqual([0, 1, 1, 1, 1, 0]);
    const transposed = labels.transpose(1, 0);
    const mask = myocardiumMask(transposed, 'binary');
    expect(mask.shape).toEqual([3, 2]);
    expect(Array.from(mask.data)).toEqual([0, 1, 1, 1, 1, 0]);
  });
});
