import { describe, expect, it } from 'vitest';
import { InputFileError } from './errors';
import { labelFrameFor } from './label-match';

const layout = (frames: number, slices = 4) => ({ frames, slices, height: 8, width: 9 });

describe('labelFrameFor', () => {
  it('pairs frames one to one when both files have as many', () => {
    const image = { name: 'cine.nii.gz', layout: layout(3) };
    expect(labelFrameFor({ name: 'cine_seg.nii.gz', layout: layout(3) }, image, 2)).toBe(2);
  });

  it("puts a 3D ACDC ground truth on its own frame of the patient's 4D cine", () => {
    const cine = { name: 'patient001_4d.nii.gz', layout: layout(30) };
    const es = { name: 'patient001_frame12_gt.nii.gz', layout: layout(1) };
    expect(labelFrameFor(es, cine, 11)).toBe(0);
    expect(labelFrameFor(es, cine, 0)).toBeNull();
  });

  it('keeps a 3D ground truth to its own frame and patient among 3D images', () => {
    const ed = { name: 'patient001_frame01.nii.gz', layout: layout(1) };
    expect(labelFrameFor({ name: 'patient001_frame01_gt.nii.gz', layout: layout(1) }, ed, 0)).toBe(0);
    expect(labelFrameFor({ name: 'patient001_frame12_gt.nii.gz', layout: layout(1) }, ed, 0)).toBeNull();
    expect(labelFrameFor({ name: 'patient002_frame01_gt.nii.gz', layout: layout(1) }, ed, 0)).toBeNull();
    expect(labelFrameFor({ name: 'corrected_mask.nii.gz', layout: layout(1) }, ed, 0)).toBe(0);
  });

  it('puts a `myoseg segment` output of one cine frame on that frame', () => {
    const cine = { name: 'patient001_4d.nii.gz', layout: layout(30) };
    const t5 = { name: 'patient001_4d_t05_myo.nii.gz', layout: layout(1) };
    expect(labelFrameFor(t5, cine, 5)).toBe(0);
    expect(labelFrameFor(t5, cine, 4)).toBeNull();
  });

  it('puts a 3D mask that names no frame on every frame of a cine', () => {
    const cine = { name: 'cine.nii.gz', layout: layout(5) };
    expect(labelFrameFor({ name: 'mask.nii.gz', layout: layout(1) }, cine, 4)).toBe(0);
  });

  it('names the label file when its shape does not fit', () => {
    const image = { name: 'a.nii', layout: layout(1) };
    expect(() => labelFrameFor({ name: 'b_gt.nii', layout: layout(1, 5) }, image, 0)).toThrow(InputFileError);
    expect(() =>
      labelFrameFor({ name: 'b_gt.nii', layout: layout(2) }, { ...image, layout: layout(3) }, 0),
    ).toThrow(/^b_gt\.nii: its 2 frame\(s\) × 4 slice\(s\) × 8×9 do not fit a\.nii's 3 frame/);
  });
});
