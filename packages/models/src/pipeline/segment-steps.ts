import {
  clipIntensities,
  largestConnectedComponent,
  type Mask,
  type NumericNdArray,
  pasteMask,
  resize,
  restoreMask,
  type Spacing,
} from '@myoseg/core';
import ndarray from 'ndarray';
import { cropAroundRegion, thresholdMap } from './crop-region';
import type { MyocardiumPipeline, SegmentResult } from './pipeline';

/** Throws a RangeError naming `what` unless `spacing` has one positive value per name in `names`. */
export function checkSpacing(what: string, spacing: readonly number[] | undefined, names: string): void {
  if (spacing && (spacing.length !== names.split(',').length || !spacing.every((s) => s > 0))) {
    throw new RangeError(`${what}: spacing must be [${names}] in mm (> 0), got [${spacing.join(', ')}]`);
  }
}

/** The images clipped to the pipeline's {@link MyocardiumPipeline.clipPercentiles} (the same images when off). */
export function clipSlices(seg: MyocardiumPipeline, images: readonly NumericNdArray[]): NumericNdArray[] {
  const clip = seg.clipPercentiles;
  return clip === false
    ? [...images]
    : images.map((img) => clipIntensities(img, { lower: clip[0], upper: clip[1] }));
}

/** The localizer's probability maps at its input size, one per image. */
export async function localize(
  seg: MyocardiumPipeline,
  images: readonly NumericNdArray[],
): Promise<NumericNdArray[]> {
  const locSize = seg.localizer.inputSize;
  return seg.localizer.predict(images.map((img) => resize(img, [locSize[0], locSize[1]])));
}

/**
 * Steps 2–5 around given regions: crop, segment, restore, paste (with the refinement passes); `t0` is when
 * localization started, for the timings.
 */
export async function segmentRegions(
  seg: MyocardiumPipeline,
  images: readonly NumericNdArray[],
  regions: readonly Mask[],
  t0: number,
  spacing: Spacing | undefined,
): Promise<SegmentResult[]> {
  const t1 = performance.now();
  const results: SegmentResult[] = images.map((img, i) => {
    const shape: [number, number] = [img.shape[0], img.shape[1]];
    return {
      mask: ndarray(new Uint8Array(shape[0] * shape[1]), shape),
      regionMask: regions[i],
      cropBox: null,
      sigma: null,
      found: false,
      timings: { localizeMs: 0, segmentMs: 0, restoreMs: 0, totalMs: 0 },
    };
  });
  // pass 0 crops around the localizer's regions; each refinement pass around the previous pass's mask
  let around: readonly Mask[] = regions;
  let pending = images.map((_, i) => i);
  let segmentMs = 0;
  for (let pass = 0; pass <= seg.refinePasses && pending.length > 0; pass++) {
    const ta = performance.now();
    const crops = pending.flatMap((i) => {
      const c = cropAroundRegion(images[i], around[i], seg.frame);
      return c ? [{ i, ...c }] : [];
    });
    const segSize = seg.cropSegmenter.inputSize;
    const segProbs = await seg.cropSegmenter.predict(
      crops.map((c) => resize(c.crop, [segSize[0], segSize[1]])),
    );
    segmentMs += performance.now() - ta;
    const next: Mask[] = [...around];
    pending = [];
    crops.forEach((c, k) => {
      const side = c.box.x1 - c.box.x0;
      const sigma = seg.sigmaFor(side);
      const thresholded = thresholdMap(segProbs[k], seg.threshold);
      const lowRes = seg.largestComponent ? largestConnectedComponent(thresholded) : thresholded;
      const mask = pasteMask(restoreMask(lowRes, [side, side], { sigma }), c.box, [
        images[c.i].shape[0],
        images[c.i].shape[1],
      ]);
      // a refinement that loses the myocardium keeps the previous pass's result
      if (pass > 0 && !mask.data.includes(1)) return;
      Object.assign(results[c.i], { mask, cropBox: c.box, lowRes, sigma, found: true });
      next[c.i] = mask;
      pending.push(c.i);
    });
    around = next;
  }
  const t3 = performance.now();
  const n = images.length || 1;
  for (const r of results) {
    r.timings = {
      localizeMs: (t1 - t0) / n,
      segmentMs: segmentMs / n,
      restoreMs: (t3 - t1 - segmentMs) / n,
      totalMs: (t3 - t0) / n,
    };
    if (spacing) r.areaMm2 = r.mask.data.reduce((a, b) => a + b, 0) * spacing[0] * spacing[1];
  }
  return results;
}
