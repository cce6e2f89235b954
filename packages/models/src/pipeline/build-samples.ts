import {
  type Box,
  boundingBox,
  cropImage,
  LOCALIZATION_LABELS,
  MYOCARDIUM_LABELS,
  seededRandom,
  selectLabels,
  squareCropBox,
} from '@myoseg/core';
import type { SegmentationSample } from '../training/data';
import type { LabeledSlice } from './labeled-slice';
import type { PipelinePreset } from './presets';

function jitterBox(box: Box, jitter: number, random: () => number): Box {
  const side = Math.max(box.y1 - box.y0, box.x1 - box.x0);
  const d = () => Math.round((random() * 2 - 1) * jitter * side);
  const y0 = box.y0 + d();
  const x0 = box.x0 + d();
  return { y0, x0, y1: Math.max(y0 + 1, box.y1 + d()), x1: Math.max(x0 + 1, box.x1 + d()) };
}

/**
 * The localizer's training pairs: each slice with its region mask (myocardium ∪ LV), plus `zoomCopies` random
 * square crops of 50–90 % of the slice's shorter side that hold the whole region (fastai's random resized crop,
 * kept around the target), so the localizer sees the heart at more scales.
 */
export function localizerSamples(
  slices: readonly LabeledSlice[],
  zoomCopies: number,
  seed: number,
): SegmentationSample[] {
  const random = seededRandom(seed);
  const out: SegmentationSample[] = [];
  for (const s of slices) {
    const mask = selectLabels(s.mask, LOCALIZATION_LABELS);
    out.push({ image: s.image, mask });
    const region = boundingBox(mask);
    if (!region) continue;
    const [h, w] = s.image.shape;
    for (let c = 0; c < zoomCopies; c++) {
      const side = Math.max(
        region.y1 - region.y0,
        region.x1 - region.x0,
        Math.round((0.5 + 0.4 * random()) * Math.min(h, w)),
      );
      // a square inside the image (where it fits) that holds the region
      const place = (lo: number, hi: number, len: number) => {
        const min = Math.max(0, hi - side);
        const max = Math.min(lo, len - side);
        return max >= min ? min + Math.floor(random() * (max - min + 1)) : Math.round((lo + hi - side) / 2);
      };
      const y0 = place(region.y0, region.y1, h);
      const x0 = place(region.x0, region.x1, w);
      const box = { y0, x0, y1: y0 + side, x1: x0 + side };
      out.push({
        image: cropImage(s.image, box, { pad: 'edge' }),
        mask: cropImage(mask, box, { pad: 'zero' }),
      });
    }
  }
  return out;
}

/**
 * The segmenter's training pairs: crops around each slice's true region (myocardium ∪ LV) with the frame,
 * plus `jitterCopies` crops around boxes moved by up to `cropJitter`, so the segmenter learns to tolerate the
 * localizer's error. Slices without the region are skipped.
 */
export function segmenterSamples(
  slices: readonly LabeledSlice[],
  preset: Pick<PipelinePreset, 'frame' | 'cropJitter' | 'jitterCopies'>,
  seed: number,
): SegmentationSample[] {
  const random = seededRandom(seed);
  const out: SegmentationSample[] = [];
  for (const s of slices) {
    const region = boundingBox(selectLabels(s.mask, LOCALIZATION_LABELS));
    if (!region) continue;
    const myo = selectLabels(s.mask, MYOCARDIUM_LABELS);
    const boxes = [
      region,
      ...Array.from({ length: preset.jitterCopies }, () => jitterBox(region, preset.cropJitter, random)),
    ];
    for (const b of boxes) {
      const box = squareCropBox(b, { frame: preset.frame });
      out.push({
        image: cropImage(s.image, box, { pad: 'edge' }),
        mask: cropImage(myo, box, { pad: 'zero' }),
      });
    }
  }
  return out;
}

/**
 * Cross-entropy class weights √(max share / share) from the pixel shares of each class in `samples`' masks (a
 * class that never occurs gets weight 1).
 */
export function balancedClassWeights(samples: readonly SegmentationSample[], numClasses: number): number[] {
  const counts = new Float64Array(numClasses);
  for (const s of samples) {
    const [h, w] = s.mask.shape;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) counts[s.mask.get(y, x)]++;
  }
  const most = Math.max(...counts);
  return Array.from(counts, (c) => (c > 0 ? Math.sqrt(most / c) : 1));
}
