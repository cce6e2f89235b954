import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { InvalidShapeError } from './errors';
import {
  type Affine,
  isIdentityReorientation,
  orientationOf,
  type Reorientation,
  reorient,
  reorientAffine,
  reorientation,
  reorientSpacing,
  restoreOrientation,
} from './orientation';

const volume = (shape: [number, number, number]) => {
  const n = shape[0] * shape[1] * shape[2];
  return ndarray(
    Float32Array.from({ length: n }, (_, i) => i),
    shape,
  );
};

const anyReorientation = fc
  .tuple(
    fc.constantFrom<[number, number, number][]>(
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ),
    fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
  )
  .map(([axes, flips]): Reorientation => ({ axes, flips }));

describe('orientationOf', () => {
  it("gives nibabel's aff2axcodes, oblique axes included", () => {
    // expected values: nibabel.orientations.aff2axcodes on the same matrices (nibabel 5, Debian python3-nibabel)
    expect(
      orientationOf([
        [-1.5, 0, 0, 0],
        [0, 1.5, 0, 0],
        [0, 0, 8, 0],
        [0, 0, 0, 1],
      ]),
    ).toBe('LAS');
    expect(
      orientationOf([
        [0, 0, -8, 0],
        [1.5, 0, 0, 0],
        [0, -1.5, 0, 0],
        [0, 0, 0, 1],
      ]),
    ).toBe('AIL');
    expect(
      orientationOf([
        [1.2, 0.5, 3, 0],
        [-0.4, 1.1, -6, 0],
        [0.3, -1.3, 4, 0],
        [0, 0, 0, 1],
      ]),
    ).toBe('RIP');
  });

  it('is null for an affine with a zero column, and refuses a matrix that is not 3×4 or 4×4', () => {
    expect(
      orientationOf([
        [1, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ]),
    ).toBeNull();
    expect(() => orientationOf([[1, 0, 0, 0]])).toThrow(InvalidShapeError);
  });
});

describe('reorientation', () => {
  const ras: Affine = [
    [1.5, 0, 0, 0],
    [0, 1.5, 0, 0],
    [0, 0, 8, 0],
    [0, 0, 0, 1],
  ];

  it('is the identity for a stack already in the target orientation, and refuses bad codes', () => {
    expect(isIdentityReorientation(reorientation(ras, 'RAS', [8, 1.5, 1.5]))).toBe(true);
    expect(() => reorientation(ras, 'RAX')).toThrow(/R\/L, A\/P, S\/I/);
    expect(() => reorientation(ras, 'RRS')).toThrow(/each of/);
  });

  it('brings any transposed or flipped copy, with its correct affine, back to the same voxels', () => {
    const v = volume([4, 5, 6]);
    fc.assert(
      fc.property(anyReorientation, (copyOf) => {
        const copy = reorient(v, copyOf);
        const affine = reorientAffine(ras, v.shape, copyOf);
        const r = reorientation(affine, 'RAS', reorientSpacing([8, 1.5, 1.5], copyOf));
        const back = reorient(copy, r);
        expect(back.shape).toEqual([4, 5, 6]);
        expect(Array.from(back.data)).toEqual(Array.from(v.data));
        // and a mask made in the reference orientation lands on the copy's own grid
        expect(Array.from(restoreOrientation(back, r).data)).toEqual(Array.from(copy.data));
      }),
    );
  });

  it('keeps the coarsest axis as the slice axis of an oblique short-axis stack', () => {
    // slices 8 mm apart along a normal closest to anterior; in-plane axes closest to R and S
    const c = Math.SQRT1_2;
    const oblique: Affine = [
      [1.5, 0, 0, 0],
      [0, 1.5 * 0.4, 8 * c + 0.5, 0],
      [0, 1.5 * 0.9, 8 * 0.6, 0],
      [0, 0, 0, 1],
    ];
    expect(orientationOf(oblique)).toBe('RSA');
    expect(reorientation(oblique, 'RAS').axes[0]).not.toBe(0); // nearest-axis rule alone moves the slices
    expect(reorientation(oblique, 'RAS', [8, 1.5, 1.5]).axes[0]).toBe(0);
  });
});

describe('reorient', () => {
  it('transposes and flips as described, keeps the data type, and refuses non-3D arrays', () => {
    const v = ndarray(Uint8Array.from([1, 2, 3, 4, 5, 6]), [1, 2, 3]);
    const r: Reorientation = { axes: [0, 2, 1], flips: [false, true, false] };
    const out = reorient(v, r);
    expect(out.shape).toEqual([1, 3, 2]);
    expect(out.data).toBeInstanceOf(Uint8Array);
    // out[0, y, x] = v[0, x, 2 - y]
    expect(Array.from(out.data)).toEqual([3, 6, 2, 5, 1, 4]);
    expect(Array.from(restoreOrientation(out, r).data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reorientSpacing([8, 1, 2], r)).toEqual([8, 2, 1]);
    expect(() => reorient(ndarray(new Uint8Array(4), [2, 2]), r)).toThrow(InvalidShapeError);
  });

  it('reads strided views', () => {
    const v = volume([2, 3, 4]);
    const view = v.step(1, -1, 1);
    const out = reorient(view, { axes: [0, 1, 2], flips: [false, true, false] });
    expect(Array.from(out.data)).toEqual(Array.from(v.data));
  });
});
