import { readNifti, writeNifti } from '@myoseg/datasets';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { InputFileError } from './errors';
import { frameStack, imageSlice, labelSlice, sliceLayout } from './nifti-slice';

/** A [T=2, D=3, H=2, W=4] int16 cine whose voxel value is 1000·t + 100·k + 10·y + x. */
function cine() {
  const [t, d, h, w] = [2, 3, 2, 4];
  const data = new Int16Array(t * d * h * w);
  for (let n = 0; n < data.length; n++) {
    const x = n % w;
    const y = Math.floor(n / w) % h;
    const k = Math.floor(n / (w * h)) % d;
    data[n] = 1000 * Math.floor(n / (w * h * d)) + 100 * k + 10 * y + x;
  }
  return readNifti(writeNifti(ndarray(data, [t, d, h, w]), { spacing: [30, 8, 1.5, 1.25] }));
}

describe('sliceLayout', () => {
  it('reads 2D, 3D and 4D shapes', () => {
    expect(sliceLayout([5, 7], 'a')).toEqual({ frames: 1, slices: 1, height: 5, width: 7 });
    expect(sliceLayout([3, 5, 7], 'a')).toEqual({ frames: 1, slices: 3, height: 5, width: 7 });
    expect(sliceLayout([2, 3, 5, 7], 'a')).toEqual({ frames: 2, slices: 3, height: 5, width: 7 });
  });

  it('names the file when the shape has 1 or 5 axes', () => {
    expect(() => sliceLayout([7], 'line.nii')).toThrow(InputFileError);
    expect(() => sliceLayout([1, 2, 3, 4, 5], 'five.nii')).toThrow(
      /five\.nii: expected a 2D, 3D or 4D image/,
    );
  });
});

describe('imageSlice', () => {
  it('cuts plane (t, k) with rows j and columns i, and gives [dy, dx]', () => {
    const { image, spacing } = imageSlice(cine(), 1, 2, 'cine.nii.gz');
    expect(image.shape).toEqual([2, 4]);
    expect(image.data).toBeInstanceOf(Float32Array);
    expect(Array.from(image.data)).toEqual([1200, 1201, 1202, 1203, 1210, 1211, 1212, 1213]);
    expect(spacing).toEqual([1.5, 1.25]);
  });

  it('rejects a frame or slice out of range, naming the file', () => {
    expect(() => imageSlice(cine(), 2, 0, 'cine.nii.gz')).toThrow(
      'cine.nii.gz: frame 2 is out of range (0–1)',
    );
    expect(() => imageSlice(cine(), 0, -1, 'cine.nii.gz')).toThrow(/slice -1 is out of range \(0–2\)/);
  });
});

describe('frameStack', () => {
  it('gives frame t as a float32 stack [D, H, W] with [dz, dy, dx] and the affine; a 2D image as one slice', () => {
    const image = cine();
    const stack = frameStack(image, 1, 'cine.nii.gz');
    expect(stack.shape).toEqual([3, 2, 4]);
    expect(stack.spacing).toEqual([8, 1.5, 1.25]);
    expect(stack.data).toBeInstanceOf(Float32Array);
    expect(Array.from(stack.data.subarray(8, 12))).toEqual([1100, 1101, 1102, 1103]); // k = 1, y = 0
    expect(stack.affine).toEqual(image.affine.map((r) => [...r]));
    const flat = readNifti(writeNifti(ndarray(new Float32Array([1, 2, 3, 4]), [2, 2]), { spacing: [2, 3] }));
    expect(frameStack(flat, 0, 'flat.nii')).toMatchObject({ shape: [1, 2, 2], spacing: [1, 2, 3] });
    expect(() => frameStack(image, 2, 'cine.nii.gz')).toThrow('cine.nii.gz: frame 2 is out of range (0–1)');
  });
});

describe('labelSlice', () => {
  it('returns uint8 labels and rejects values that are not labels', () => {
    const labels = readNifti(writeNifti(ndarray(new Float32Array([0, 1, 2, 3, 0, 2]), [1, 2, 3])));
    expect(Array.from(labelSlice(labels, 0, 0, 'gt').data)).toEqual([0, 1, 2, 3, 0, 2]);
    const bad = readNifti(writeNifti(ndarray(new Float32Array([0, 1.5]), [1, 2])));
    expect(() => labelSlice(bad, 0, 0, 'bad_gt.nii')).toThrow(
      /bad_gt\.nii: value 1\.5 in slice 0 is not a label/,
    );
  });
});
