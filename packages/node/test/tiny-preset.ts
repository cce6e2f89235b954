import type { PresetOverride } from '@myoseg/models/training';

/**
 * The smallest preset that trains both networks (1/16 width, 32² localizer, 24² segmenter; one frozen epoch, then
 * one more): seconds on a small twin cohort, for tests of what surrounds training.
 */
export const TINY_PRESET = {
  base: 'quick',
  widthMultiplier: 1 / 16,
  localizerSize: [32, 32],
  segmenterSize: [24, 24],
  frozenEpochs: 1,
  epochs: 1,
  batchSize: 8,
} satisfies PresetOverride;
