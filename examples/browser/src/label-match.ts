import { InputFileError } from './errors';
import { frameIndexOf, patientIdOf } from './file-names';
import type { SliceLayout } from './nifti-slice';

/** A NIfTI file's name and slice layout. */
export interface NamedLayout {
  /** The file's name. */
  name: string;
  /** Its slices. */
  layout: SliceLayout;
}

/**
 * Which frame of a label file goes with frame `imageFrame` of an image. Both must have the same slices, rows and
 * columns. The same frame when both have as many frames. A 3D label file goes with a 3D image unless the names
 * say another ACDC patient or frame (`patient001_frame12_gt` is not for `patient001_frame01`), and with the
 * frame of a 4D cine its name says (`_frameNN`, ACDC's 1-based numbers, or `_tNN_myo`, from 0), or with every
 * frame if it says none.
 *
 * @returns the label file's frame index, or `null` when it labels another patient or frame.
 * @throws {@link InputFileError} naming the label file when its slices, rows, columns or frames do not fit.
 */
export function labelFrameFor(label: NamedLayout, image: NamedLayout, imageFrame: number): number | null {
  const [l, i] = [label.layout, image.layout];
  const same = l.slices === i.slices && l.height === i.height && l.width === i.width;
  if (!same || (l.frames !== i.frames && l.frames !== 1)) {
    const text = (s: SliceLayout) => `${s.frames} frame(s) × ${s.slices} slice(s) × ${s.height}×${s.width}`;
    throw new InputFileError(label.name, `its ${text(l)} do not fit ${image.name}'s ${text(i)}`);
  }
  const ids = [label.name, image.name].map((n) => (/patient\d+/i.test(n) ? patientIdOf(n) : null));
  if (ids[0] !== null && ids[1] !== null && ids[0] !== ids[1]) return null;
  if (l.frames === i.frames && i.frames > 1) return imageFrame;
  const labelFrame = frameIndexOf(label.name);
  if (labelFrame === null) return 0;
  const imageFrameIndex = i.frames > 1 ? imageFrame : frameIndexOf(image.name);
  return imageFrameIndex === null || imageFrameIndex === labelFrame ? 0 : null;
}
