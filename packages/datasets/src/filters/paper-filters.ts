import { exposureInRange } from './exposure';
import { lvCavityVisible } from './lv-cavity-visible';
import { myocardiumMinSize } from './myocardium-size';
import { myocardiumFullyVisible } from './myocardium-visible';
import type { SliceFilter } from './slice-filter';

/**
 * The paper's four filters in order: myocardium not fully visible, myocardium bounding box under 30×30 pixels,
 * no LV cavity, too dark or too bright.
 */
export const paperFilters: readonly SliceFilter[] = [
  myocardiumFullyVisible,
  myocardiumMinSize(30),
  lvCavityVisible,
  exposureInRange(),
];
