import { readNifti, writeNifti } from '@myoseg/datasets';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { maskFile, maskFileName } from './mask-file';

describe('maskFileName', () => {
  it('names masks as `myoseg segment` does', () => {
    expect(maskFileName('patient001_frame01.nii.gz', 0, 1)).toBe('patient001_frame01_myo.nii.gz');
    expect(maskFileName('patient001_4d.nii', 7, 30)).toBe('patient001_4d_t07_myo.nii.gz');
  });
});

describe('maskFile', () => {
  const cine = readNifti(
    writeNifti(ndarray(new Int16Array(2 * 2 * 2 * 3), [2, 2, 2, 3]), { spacing: [25, 10, 1.5, 1.25] }),
  );
  const masks = [
    ndarray(new Uint8Array([0, 1, 0, 0, 0, 0]), [2, 3]),
    ndarray(new Uint8Array([0, 0, 0, 5, 0, 1]), [2, 3]),
  ];

  it("writes 0/1 slices with the image's spacing and affine", () => {
    const back = readNifti(maskFile(masks, cine, 'cine.nii.gz'));
    expect(back.shape).toEqual([2, 2, 3]);
    expect(back.datatype).toBe('uint8');
    expect(Array.from(back.data)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
    expect(back.spacing.map((s) => Number(s.toFixed(5)))).toEqual([10, 1.5, 1.25]);
    expect(back.affine).toEqual(cine.affine);
  });

  it('names the image when the masks do not fit its slices', () => {
    expect(() => maskFile(masks.slice(1), cine, 'cine.nii.gz')).toThrow(
      /^cine\.nii\.gz: expected 2 mask\(s\) of 2×3/,
    );
  });
});
