import { ACDC_LABELS } from '@myoseg/core';
import type { SliceFilter } from './slice-filter';

const { myocardium: MYO, lvCavity: LV } = ACDC_LABELS;

/** True for a label that may not border the LV cavity in a closed ring. */
const outside = (label: number) => label !== MYO && label !== LV;

/**
 * Rejects slices whose myocardium is not fully visible: no myocardium at all (above the base, below the apex),
 * myocardium cut by the image border, or an open ring: an LV cavity pixel with a 4-neighbour that is neither
 * LV cavity nor myocardium (valve plane, outflow tract). Name: `myocardium-not-fully-visible`.
 */
export const myocardiumFullyVisible: SliceFilter = {
  name: 'myocardium-not-fully-visible',
  reject(sample) {
    const [h, w] = sample.labelMap.shape;
    const labels = sample.labelMap.data;
    let myocardium = 0;
    let onBorder = 0;
    let open = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = labels[y * w + x];
        const border = y === 0 || x === 0 || y === h - 1 || x === w - 1;
        if (v === MYO) {
          myocardium++;
          if (border) onBorder++;
        } else if (v === LV) {
          if (border) {
            open++;
            continue;
          }
          const i = y * w + x;
          if (
            outside(labels[i - w]) ||
            outside(labels[i + w]) ||
            outside(labels[i - 1]) ||
            outside(labels[i + 1])
          ) {
            open++;
          }
        }
      }
    }
    if (myocardium === 0) return 'no myocardium in the slice';
    if (onBorder > 0) return `the myocardium touches the image border at ${onBorder} pixels`;
    if (open > 0)
      return `the myocardium ring is open: ${open} LV cavity pixels touch neither myocardium nor cavity`;
    return null;
  },
};
