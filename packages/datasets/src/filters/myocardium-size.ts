import { ACDC_LABELS, boundingBox } from '@myoseg/core';
import ndarray from 'ndarray';
import { InvalidOptionError } from '../errors';
import type { SliceFilter } from './slice-filter';

/**
 * Rejects slices whose myocardium bounding box is under `minSide × minSide` pixels: narrower or shorter than
 * `minSide` (the paper's 30×30). A slice without myocardium is rejected too. Name: `myocardium-under-NxN`.
 *
 * @param minSide - smallest accepted box side in pixels, a positive integer (default 30).
 */
export function myocardiumMinSize(minSide = 30): SliceFilter {
  if (!Number.isInteger(minSide) || minSide < 1) {
    throw new InvalidOptionError(`myocardiumMinSize: minSide must be a positive integer, got ${minSide}`);
  }
  return {
    name: `myocardium-under-${minSide}x${minSide}`,
    reject(sample) {
      const labels = sample.labelMap.data;
      const myo = new Uint8Array(labels.length);
      for (let i = 0; i < labels.length; i++) myo[i] = labels[i] === ACDC_LABELS.myocardium ? 1 : 0;
      const box = boundingBox(ndarray(myo, [...sample.labelMap.shape]));
      if (!box) return 'no myocardium in the slice';
      const [bh, bw] = [box.y1 - box.y0, box.x1 - box.x0];
      return bh < minSide || bw < minSide
        ? `the myocardium bounding box is ${bh}×${bw} pixels (under ${minSide}×${minSide})`
        : null;
    },
  };
}
