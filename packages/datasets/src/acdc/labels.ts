import { ACDC_LABELS, selectLabels } from '@myoseg/core';
import type { NdArray } from 'ndarray';
import { InvalidOptionError } from '../errors';
import type { LabelMode } from './types';

const LABEL_MODES: readonly LabelMode[] = ['all', 'localization', 'myocardium'];

/** Checks that `mode` is a {@link LabelMode}. */
export function checkLabelMode(what: string, mode: string): asserts mode is LabelMode {
  if (!LABEL_MODES.includes(mode as LabelMode)) {
    throw new InvalidOptionError(
      `${what}: labels is ${JSON.stringify(mode)} (expected ${LABEL_MODES.join(', ')})`,
    );
  }
}

/**
 * The paper's label change for one ACDC label map: `all` keeps 0–3 (the same array), `localization` maps
 * myocardium and LV cavity to 1 and the rest (RV cavity included) to 0, `myocardium` maps label 2 to 1.
 *
 * @param labelMap - `[H, W]` (or any shape) uint8, ACDC labels 0–3.
 * @returns a new uint8 0/1 mask of the same shape (the input itself for `all`).
 */
export function relabel(labelMap: NdArray<Uint8Array>, mode: LabelMode): NdArray<Uint8Array> {
  checkLabelMode('relabel', mode);
  const { myocardium, lvCavity } = ACDC_LABELS;
  if (mode === 'all') return labelMap;
  return selectLabels(labelMap, mode === 'localization' ? [myocardium, lvCavity] : [myocardium]);
}
