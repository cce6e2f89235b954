import { describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import { outputStems } from './segment-inputs';

describe('outputStems', () => {
  it('keeps names that no other input shares', () => {
    expect(outputStems(['/d/a/x.nii.gz', '/d/b/y.nii'])).toEqual(['x', 'y']);
  });

  it('adds parent folders to shared names, as many as it takes, and extensions where the folder is shared too', () => {
    expect(outputStems(['/d/a/x.nii.gz', '/d/b/x.nii.gz', '/d/b/z.nii.gz'])).toEqual(['a_x', 'b_x', 'z']);
    expect(outputStems(['/p/a/x.nii.gz', '/q/a/x.nii.gz'])).toEqual(['p_a_x', 'q_a_x']);
    expect(outputStems(['/d/x.nii', '/d/x.nii.gz'])).toEqual(['x_nii', 'x_nii_gz']);
  });

  it('goes on where a longer name meets another input’s own name', () => {
    // a/x → a_x would meet the file named a_x: both take their folder
    expect(outputStems(['/d/a/x.nii.gz', '/d/b/x.nii.gz', '/d/c/a_x.nii.gz'])).toEqual([
      'd_a_x',
      'b_x',
      'c_a_x',
    ]);
  });

  it('refuses inputs it cannot tell apart', () => {
    // a/b/x and c/b/x need two folders: a_b_x, which is the name of the file at the root
    const files = ['/a_b_x.nii.gz', '/a/b/x.nii.gz', '/c/b/x.nii.gz'];
    expect(() => outputStems(files)).toThrow(InputError);
    expect(() => outputStems(files)).toThrow(
      '/a_b_x.nii.gz and /a/b/x.nii.gz: cannot give them different output names; rename one',
    );
  });
});
