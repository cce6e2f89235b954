import {
  isIdentityReorientation,
  type NumericNdArray,
  reorient,
  reorientation,
  reorientSpacing,
  resize,
  restoreOrientation,
  type Spacing,
} from '@myoseg/core';
import ndarray from 'ndarray';
import { regionTrack, type SliceLocalization } from './localize';
import type { MyocardiumPipeline, SegmentResult, VolumeResult, VolumeSegmentOptions } from './pipeline';
import { refocusedMaps, refocusWindow } from './refocus';
import { checkSpacing, clipSlices, localize, segmentRegions } from './segment-steps';

/**
 * Segments stacks `[D, H, W]` of the same shape, localized together unless `volumeConsistent` is false (with the
 * localizer's second look in a window around a small first consensus, {@link VolumeSegmentOptions.refocus}),
 * turned to the networks' orientation when the options give an affine.
 */
export async function segmentStacks(
  seg: MyocardiumPipeline,
  stacks: readonly NumericNdArray[],
  options: VolumeSegmentOptions,
): Promise<VolumeResult[]> {
  checkSpacing('segmentVolume', options.spacing, 'dz, dy, dx');
  const turn =
    options.affine && seg.orientation && stacks.length > 0
      ? reorientation(options.affine, seg.orientation, options.spacing)
      : undefined;
  if (!turn || isIdentityReorientation(turn)) return segmentStacksAsStored(seg, stacks, options);
  const spacing = options.spacing && reorientSpacing(options.spacing, turn);
  const results = await segmentStacksAsStored(
    seg,
    stacks.map((v) => reorient(v, turn)),
    { ...options, spacing },
  );
  return results.map((r) => ({ ...r, mask: restoreOrientation(r.mask, turn), reorientation: turn }));
}

/** {@link segmentStacks} on stacks in their stored voxel order. */
async function segmentStacksAsStored(
  seg: MyocardiumPipeline,
  stacks: readonly NumericNdArray[],
  options: VolumeSegmentOptions,
): Promise<VolumeResult[]> {
  const { spacing, volumeConsistent = true, refocus = 5 } = options;
  if (refocus !== false && !(refocus > 0 && Number.isFinite(refocus)))
    throw new RangeError(`segmentVolume: refocus must be a number > 0 or false, got ${refocus}`);
  const [d, h, w] = stacks[0]?.shape ?? [0, 0, 0];
  const slices = stacks.flatMap((v) => Array.from({ length: d }, (_, z) => v.pick(z, null, null)));
  const sliceSpacing: Spacing | undefined = spacing && [spacing[1], spacing[2]];
  let results: SegmentResult[];
  let localization: SliceLocalization[][] | undefined;
  if (volumeConsistent === false) results = await seg.segmentBatch(slices, { spacing: sliceSpacing });
  else {
    if (slices.length > 0 && !(h >= 1 && w >= 1))
      throw new RangeError(`segmentVolume: slices must be at least 1×1, got [${h}, ${w}]`);
    const t0 = performance.now();
    // the track's maps and the crops come from the clipped slices (segmentBatch clips on the per-slice path)
    const clipped = clipSlices(seg, slices);
    const trackOptions = { ...(volumeConsistent === true ? {} : volumeConsistent), threshold: seg.threshold };
    const byFrame = (maps: readonly NumericNdArray[]) => stacks.map((_, t) => maps.slice(t * d, (t + 1) * d));
    const maps = (await localize(seg, clipped)).map((p) => resize(p, [h, w], { method: 'bilinear' }));
    let track = regionTrack(byFrame(maps), trackOptions);
    const focus =
      refocus !== false &&
      track.consensus &&
      refocusWindow(track.consensus, [h, w], refocus, Math.max(...seg.localizer.inputSize));
    if (focus) track = regionTrack(byFrame(await refocusedMaps(seg.localizer, clipped, focus)), trackOptions);
    results = await segmentRegions(seg, clipped, track.regions.flat(), t0, sliceSpacing);
    localization = track.status;
  }
  return stacks.map((_, t) => {
    const mine = results.slice(t * d, (t + 1) * d);
    const data = new Uint8Array(d * h * w);
    mine.forEach((r, z) => {
      data.set(r.mask.data, z * h * w);
    });
    const out: VolumeResult = { mask: ndarray(data, [d, h, w]), slices: mine };
    if (spacing)
      out.volumeMl = (data.reduce((a, b) => a + b, 0) * spacing[0] * spacing[1] * spacing[2]) / 1000;
    if (localization) out.localization = localization[t];
    return out;
  });
}
