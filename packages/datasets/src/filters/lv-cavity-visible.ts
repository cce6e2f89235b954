import { ACDC_LABELS } from '@myoseg/core';
import type { SliceFilter } from './slice-filter';

/** Rejects slices without any LV cavity pixel (apical slices, small HCM cavities at ES). Name: `no-lv-cavity`. */
export const lvCavityVisible: SliceFilter = {
  name: 'no-lv-cavity',
  reject(sample) {
    return sample.labelMap.data.includes(ACDC_LABELS.lvCavity) ? null : 'no LV cavity in the slice';
  },
};
